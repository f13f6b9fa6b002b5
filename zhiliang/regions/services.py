"""Write paths for regions: loading the bundled GB/T 2260 table (data/regions.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from zhiliang.regions.models import Region

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str


def region_rows(path: Path = REGIONS_CSV) -> list[RegionRow]:
    """Rows of the bundled table, parents before children (the file is ordered that way)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            RegionRow(
                code=r["code"].strip(),
                name=r["name"].strip(),
                short_name=r["short_name"].strip(),
                level=r["level"].strip(),
                parent_code=r["parent_code"].strip(),
            )
            for r in csv.DictReader(fh)
        ]


@transaction.atomic
def region_registry_sync(*, path: Path = REGIONS_CSV) -> int:
    """Create or update every region of the table (keyed by code); return how many rows changed.

    Idempotent: a second run changes nothing and returns 0. Regions not in the table are kept.
    """
    existing = {r.code: r for r in Region.objects.all()}
    changed = 0
    for row in sorted(region_rows(path), key=lambda r: (r.parent_code != "", r.level == "county", r.code)):
        parent = existing.get(row.parent_code) if row.parent_code else None
        region = existing.get(row.code)
        if region is None:
            region = Region.objects.create(
                code=row.code, name=row.name, short_name=row.short_name, level=row.level, parent=parent
            )
            existing[row.code] = region
            changed += 1
            continue
        wanted = {
            "name": row.name,
            "short_name": row.short_name,
            "level": row.level,
            "parent_id": parent and parent.pk,
        }
        dirty = [field for field, value in wanted.items() if getattr(region, field) != value]
        if dirty:
            for field in dirty:
                setattr(region, field, wanted[field])
            region.save(update_fields=[f.removesuffix("_id") for f in dirty])
            changed += 1
    return changed
