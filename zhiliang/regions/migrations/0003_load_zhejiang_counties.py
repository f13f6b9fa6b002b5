"""Load the county-level units of 浙江省 added to zhiliang/regions/data/regions.csv.

Databases migrated before the table listed every county of the bundled sample province got only a
few of Hangzhou's. The loader is the one of 0002 (copied there so the migration keeps working with
the historical model): it keys rows by code, so running it again changes nothing.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "regions.csv"


def load_regions(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code = {r.code: r for r in Region.objects.all()}
    rows.sort(key=lambda r: (r["parent_code"] != "", r["level"] == "county", r["code"]))
    for row in rows:
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        wanted = {
            "name": row["name"],
            "short_name": row["short_name"],
            "level": row["level"],
            "parent": parent,
        }
        region = by_code.get(row["code"])
        if region is None:
            by_code[row["code"]] = Region.objects.create(code=row["code"], **wanted)
            continue
        dirty = [field for field, value in wanted.items() if getattr(region, field) != value]
        if dirty:
            for field in dirty:
                setattr(region, field, wanted[field])
            region.save(update_fields=dirty)


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_load_regions")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
