"""Load the bundled defaults (record types, grading schemes, list criteria) from ``credit/data/``.

Used by the data migration (with historical models) and by ``zhiliang credit_load_defaults``.
Idempotent: rows are matched on ``code`` and updated in place.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_data(name: str) -> dict[str, Any]:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def load_defaults(*, record_type_model=None, scheme_model=None, criterion_model=None) -> dict[str, int]:
    """Upsert the bundled rows; returns counts per kind. Pass historical models from migrations."""
    if record_type_model is None:
        from zhiliang.credit.models import GradingScheme, ListCriterion, RecordType

        record_type_model, scheme_model, criterion_model = RecordType, GradingScheme, ListCriterion
    counts = {"record_types": 0, "schemes": 0, "criteria": 0}
    for row in read_data("record_types.json")["record_types"]:
        row = dict(row)
        code = row.pop("code")
        record_type_model.objects.update_or_create(code=code, defaults=row)
        counts["record_types"] += 1
    for row in read_data("grading_schemes.json")["schemes"]:
        row = dict(row)
        code = row.pop("code")
        row["valid_from"] = _date(row["valid_from"])
        row["valid_to"] = _date(row.get("valid_to"))
        if row.get("is_default"):
            scheme_model.objects.filter(is_default=True).exclude(code=code).update(is_default=False)
        scheme_model.objects.update_or_create(code=code, defaults=row)
        counts["schemes"] += 1
    for row in read_data("list_criteria.json")["criteria"]:
        row = dict(row)
        code = row.pop("code")
        criterion_model.objects.update_or_create(code=code, defaults=row)
        counts["criteria"] += 1
    return counts
