"""Plan data model; `to_dict()` follows contracts/plan-json.md (field names are fixed)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Responsible:
    name: str
    role: str  # 'lead' | 'assist' | 'shared'
    department: str | None = None
    prefix: str | None = None  # level prefix carried from the first unit of the list (not exported)

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "department": self.department}


@dataclass
class Deadline:
    text: str
    date: str | None
    recurring: bool = False

    def to_dict(self) -> dict:
        return {"text": self.text, "date": self.date, "recurring": self.recurring}


@dataclass
class Target:
    text: str
    subject: str
    value: float | int
    unit: str
    comparator: str = "="
    breakdown: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "subject": self.subject,
            "value": self.value,
            "unit": self.unit,
            "comparator": self.comparator,
            "breakdown": list(self.breakdown),
        }


@dataclass
class Measure:
    text: str
    responsible: list[Responsible] = field(default_factory=list)
    label: str = ""

    def to_dict(self) -> dict:
        d = {"text": self.text, "responsible": [r.to_dict() for r in self.responsible]}
        if self.label:
            d["label"] = self.label
        return d


@dataclass
class Task:
    number: int
    label: str
    title: str
    text: str = ""
    measures: list[Measure] = field(default_factory=list)
    responsible: list[Responsible] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "label": self.label,
            "title": self.title,
            "text": self.text,
            "measures": [m.to_dict() for m in self.measures],
            "responsible": [r.to_dict() for r in self.responsible],
            "targets": [t.to_dict() for t in self.targets],
            "deadlines": [d.to_dict() for d in self.deadlines],
        }


@dataclass
class Section:
    number: int
    label: str
    title: str
    kind: str  # 'tasks' | 'goals' | 'other'
    tasks: list[Task] = field(default_factory=list)
    text: str = ""  # body of goals/other sections, kept so nothing is dropped
    targets: list[Target] = field(default_factory=list)  # goal sections state plan-level targets

    def to_dict(self) -> dict:
        d = {
            "number": self.number,
            "label": self.label,
            "title": self.title,
            "kind": self.kind,
            "tasks": [t.to_dict() for t in self.tasks],
        }
        if self.kind != "tasks":
            d["text"] = self.text
            d["targets"] = [t.to_dict() for t in self.targets]
        return d


@dataclass
class Plan:
    source: str
    title: str | None = None
    notice_title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None
    year: int | None = None
    region: str | None = None
    level: str | None = None
    basis: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    duplicates_removed: int = 0
    warnings: list[str] = field(default_factory=list)
    preamble: str = ""
    closing: str = ""

    @property
    def tasks(self) -> list[Task]:
        return [t for s in self.sections for t in s.tasks]

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "title": self.title,
            "notice_title": self.notice_title,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "date": self.date,
            "year": self.year,
            "region": self.region,
            "level": self.level,
            "basis": list(self.basis),
            "sections": [s.to_dict() for s in self.sections],
            "duplicates_removed": self.duplicates_removed,
            "warnings": list(self.warnings),
            "preamble": self.preamble,
            "closing": self.closing,
        }
