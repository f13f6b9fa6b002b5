"""Small plan documents for import tests (bytes, as an upload or the CLI would give them)."""

from __future__ import annotations


def plan_document(
    *, region: str = "浙江省", year: int = 2019, unit: str = "省标准化研究院", extra: str = ""
) -> bytes:
    """A two-task plan of *region* whose first task is led by *unit* (unknown to the registry by default)."""
    return f"""{region}{year}年质量工作要点

一、重点任务
（一）推进标准化试点。开展国家标准化综合改革试点，年内完成试点评估。（{unit}负责，省质监局配合）
（二）加强计量监督。开展民生计量专项检查，全年检查加油机5000台以上。（省质监局负责）{extra}
""".encode()
