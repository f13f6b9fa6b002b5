"""Write paths for departments: the bundled registry (departments.csv) and reviewed aliases."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiliang.departments.models import AliasSource, Department, DepartmentAlias

DEPARTMENTS_CSV = Path(__file__).resolve().parent.parent / "lib" / "planparse" / "data" / "departments.csv"


@dataclass(frozen=True)
class DepartmentRow:
    code: str
    kind: str
    canonical_name: str
    aliases: tuple[str, ...]
    national_forms: tuple[str, ...]
    successor_2018: str
    notes: str

    @property
    def names(self) -> list[str]:
        """Every name the department goes by: canonical first, then aliases, then national forms."""
        return list(dict.fromkeys([self.canonical_name, *self.aliases, *self.national_forms]))


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


def department_rows(path: Path = DEPARTMENTS_CSV) -> list[DepartmentRow]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            DepartmentRow(
                code=r["code"].strip(),
                kind=r["kind"].strip(),
                canonical_name=r["canonical_name"].strip(),
                aliases=_split(r["aliases"]),
                national_forms=_split(r["national_forms"]),
                successor_2018=r["successor_2018"].strip(),
                notes=r["notes"].strip(),
            )
            for r in csv.DictReader(fh)
        ]


@dataclass(frozen=True)
class RegistrySyncResult:
    departments_created: int
    departments_updated: int
    aliases_created: int


@transaction.atomic
def department_registry_sync(*, path: Path = DEPARTMENTS_CSV) -> RegistrySyncResult:
    """Load the registry CSV into Department and DepartmentAlias rows; idempotent.

    Departments are keyed by code. Every canonical name, alias and national form becomes a
    reference alias; a name already taken (by an earlier row or by a review decision) is left
    as it is, so reviewed aliases are never overwritten.
    """
    existing = {d.code: d for d in Department.objects.all()}
    taken = set(DepartmentAlias.objects.values_list("name", flat=True))
    created = updated = 0
    new_aliases: list[DepartmentAlias] = []
    for row in department_rows(path):
        wanted = {
            "kind": row.kind,
            "canonical_name": row.canonical_name,
            "national_forms": "|".join(row.national_forms),
            "successor_2018": row.successor_2018,
            "notes": row.notes,
        }
        department = existing.get(row.code)
        if department is None:
            department = Department.objects.create(code=row.code, **wanted)
            created += 1
        else:
            dirty = [field for field, value in wanted.items() if getattr(department, field) != value]
            if dirty:
                for field in dirty:
                    setattr(department, field, wanted[field])
                department.save(update_fields=dirty)
                updated += 1
        for name in row.names:
            if name not in taken:
                taken.add(name)
                new_aliases.append(
                    DepartmentAlias(department=department, name=name, source=AliasSource.REFERENCE)
                )
    DepartmentAlias.objects.bulk_create(new_aliases)
    return RegistrySyncResult(
        departments_created=created, departments_updated=updated, aliases_created=len(new_aliases)
    )


@transaction.atomic
def department_alias_create(*, department: Department, name: str, user: User | None) -> DepartmentAlias:
    """Remember that *name* means *department* (a review decision); audited through auditlog."""
    name = name.strip()
    if not name:
        raise ValidationError(_("单位名称不能为空"))
    existing = DepartmentAlias.objects.filter(name=name).select_related("department").first()
    if existing is not None:
        if existing.department_id == department.pk:
            return existing
        raise ValidationError(
            _("名称“%(name)s”已对应部门“%(department)s”")
            % {"name": name, "department": existing.department.canonical_name}
        )
    alias = DepartmentAlias(department=department, name=name, source=AliasSource.REVIEW, created_by=user)
    alias.full_clean()
    with disable_auditlog():  # the explicit entry below carries the actor in every context (web, CLI)
        alias.save()
    LogEntry.objects.log_create(
        alias,
        force_log=True,
        action=LogEntry.Action.CREATE,
        changes={"name": ["None", alias.name], "department": ["None", department.code]},
        actor=user,
    )
    return alias
