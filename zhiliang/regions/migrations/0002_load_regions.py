"""Load the GB/T 2260 regions bundled in zhiliang/regions/data/regions.csv.

The loader is copied here (not imported from services) so the migration keeps working with the
historical model whatever happens to the app code later.
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
    # Parents first: province rows have no parent, cities point at provinces, counties at cities.
    rows.sort(key=lambda r: (r["parent_code"] != "", r["level"] == "county", r["code"]))
    for row in rows:
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        region, _ = Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "level": row["level"],
                "parent": parent,
            },
        )
        by_code[region.code] = region


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
