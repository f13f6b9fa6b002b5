"""Task-division tables pasted as tab- or space-separated rows (序号 / 工作任务 / 牵头单位 / …)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SPACE = re.compile(r"\s")
_DIGIT_START = re.compile(r"^\d")
_CELL_SPLIT_TAB = re.compile(r"\t")
_CELL_SPLIT_SP = re.compile(r"(?:[ \u3000]{2,}|\s*\|\s*)")
COLUMNS = {
    "no": ("序号", "编号"),
    "task": ("工作任务", "重点任务", "主要任务", "任务内容", "工作内容", "具体任务", "任务名称", "任务"),
    "measure": ("具体措施", "工作措施", "主要措施", "工作举措", "措施"),
    "lead": ("牵头单位", "牵头部门", "主责单位", "牵头责任单位"),
    "assist": ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "协同责任单位"),
    "resp": ("责任单位", "责任部门", "负责单位"),
    "time": ("完成时限", "完成时间", "时间节点", "时限要求", "时限", "进度安排"),
    "target": ("工作目标", "预期目标", "目标"),
}


@dataclass
class Table:
    columns: list[str]  # kinds per column ('' = unknown)
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    start: int = 0
    end: int = 0

    def cell(self, row: list[str], kind: str) -> str:
        for k, c in zip(self.columns, row):
            if k == kind:
                return c.strip()
        return ""


def _cells(line: str, tabbed: bool) -> list[str]:
    parts = (_CELL_SPLIT_TAB if tabbed else _CELL_SPLIT_SP).split(line.strip().strip("|"))
    return [p.strip() for p in parts]


def _kind(header: str) -> str:
    h = _SPACE.sub("", header)
    for kind, names in COLUMNS.items():
        if any(h == n or h.startswith(n) for n in names):
            return kind
    return ""


def find_tables(lines: list[str]) -> list[Table]:
    """Header row with 序号 + a task column + a unit column, then the rows under it."""
    tables = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "序号" in line and ("单位" in line or "部门" in line):
            tabbed = "\t" in line
            heads = _cells(line, tabbed)
            kinds = [_kind(h) for h in heads]
            if len(heads) >= 3 and "no" in kinds and ("task" in kinds or "measure" in kinds):
                t = Table(kinds, heads, start=i)
                j = i + 1
                while j < len(lines):
                    cells = _cells(lines[j], tabbed or "\t" in lines[j])
                    if len(cells) < 2:
                        if (
                            t.rows
                            and not _DIGIT_START.match(lines[j])
                            and len(lines[j]) < 200
                            and j + 1 < len(lines)
                            and len(_cells(lines[j + 1], tabbed)) >= 2
                        ):
                            # a wrapped cell: append to the previous row's task text
                            t.rows[-1][min(1, len(t.rows[-1]) - 1)] += lines[j]
                            j += 1
                            continue
                        break
                    if len(cells) < len(heads):
                        cells += [""] * (len(heads) - len(cells))
                    t.rows.append(cells[: len(heads)] if len(cells) > len(heads) else cells)
                    j += 1
                t.end = j
                if t.rows:
                    tables.append(t)
                    i = j
                    continue
        i += 1
    return tables
