"""Load the department registry bundled with the parser (zhiliang/lib/planparse/data/departments.csv).

The loader is a copy of departments.services.department_registry_sync written against the
historical models, so this migration stays valid whatever happens to the app code.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parents[2] / "lib" / "planparse" / "data" / "departments.csv"


def _split(value):
    return [part.strip() for part in value.split("|") if part.strip()]


def load_departments(apps, schema_editor):
    Department = apps.get_model("departments", "Department")
    DepartmentAlias = apps.get_model("departments", "DepartmentAlias")
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    taken = set(DepartmentAlias.objects.values_list("name", flat=True))
    for row in rows:
        national_forms = _split(row["national_forms"])
        department, _ = Department.objects.update_or_create(
            code=row["code"].strip(),
            defaults={
                "kind": row["kind"].strip(),
                "canonical_name": row["canonical_name"].strip(),
                "national_forms": "|".join(national_forms),
                "successor_2018": row["successor_2018"].strip(),
                "notes": row["notes"].strip(),
            },
        )
        names = [row["canonical_name"].strip(), *_split(row["aliases"]), *national_forms]
        for name in dict.fromkeys(names):
            if name not in taken:
                taken.add(name)
                DepartmentAlias.objects.create(department=department, name=name, source="reference")


class Migration(migrations.Migration):
    dependencies = [("departments", "0001_initial")]

    operations = [migrations.RunPython(load_departments, migrations.RunPython.noop)]
