"""Turn task-division table rows into tasks, or fill the body's tasks from them."""

from __future__ import annotations

import re

from .deadlines import find_deadlines
from .model import Measure, Plan, Section, Task
from .notes import apply_first_leads, parse_note, split_units
from .structure import Context
from .targets import find_targets

_LEVEL = re.compile(r"^(省|市|县|区)")
_NORM = re.compile(r"[\s、，,。．.：:；;“”\"'‘’（）()《》]")


def _units(cell: str, role: str, ctx: Context):
    from .model import Responsible

    if not cell or cell in ("-", "—", "/", "无"):
        return []
    if role == "resp":
        note = parse_note(cell, ctx.year)
        if note is None or not note.has_verb:
            note = parse_note(f"责任单位：{cell}", ctx.year) or note  # a 责任单位 column reads as a label
        if note is None:
            ctx.warnings.append(f"分工表中的责任单位“{cell}”未能识别")
            return []
        if ctx.first_leads:
            apply_first_leads(note.responsible)
        return note.responsible
    units = split_units(cell)
    if units is None:
        note = parse_note(cell, ctx.year)
        if note is None:
            ctx.warnings.append(f"分工表中的单位“{cell}”未能识别")
            return []
        for r in note.responsible:
            r.role = role
        return note.responsible
    prefix = None
    m = _LEVEL.match(units[0])
    if m:
        prefix = m.group(1)
    return [Responsible(u, role, None, None if _LEVEL.match(u) else prefix) for u in units]


def _row_task(table, row, ctx: Context) -> tuple[Task, list]:
    label = table.cell(row, "no")
    text = table.cell(row, "task") or table.cell(row, "measure")
    title = text
    for ch in "。：:":
        p = title.find(ch)
        if p > 0:
            title = title[:p]
    task = Task(0, label, title.strip(), text)
    resp = _units(table.cell(row, "lead"), "lead", ctx) + _units(table.cell(row, "assist"), "assist", ctx)
    resp += _units(table.cell(row, "resp"), "resp", ctx)
    names = set()
    for r in resp:
        if r.name not in names:
            task.responsible.append(r)
            names.add(r.name)
    tcell = table.cell(row, "time")
    if tcell:
        dl = [d for _, _, d in find_deadlines(tcell, ctx.year, ongoing=True)]
        if not dl:
            from .model import Deadline

            dl = [Deadline(tcell, None, False)]
            ctx.warnings.append(f"分工表第{label}行的完成时限“{tcell}”未能换算为日期")
        task.deadlines.extend(dl)
    task.targets = find_targets(text + "。" + table.cell(row, "target"))
    task.deadlines[:0] = [d for _, _, d in find_deadlines(text, ctx.year)]
    return task, resp


def apply_tables(plan: Plan, tables, ctx: Context) -> None:
    body_tasks = plan.tasks
    if not body_tasks:
        sec = Section(len(plan.sections) + 1, "", "", "tasks")
        n = 0
        for table in tables:
            has_measure = "measure" in table.columns and "task" in table.columns
            current: Task | None = None
            for row in table.rows:
                task, resp = _row_task(table, row, ctx)
                measure_text = table.cell(row, "measure")
                if has_measure:
                    if table.cell(row, "task") or current is None:
                        n += 1
                        task.number = n
                        task.responsible = []
                        current = task
                        sec.tasks.append(task)
                    current.measures.append(Measure(measure_text, list(resp), table.cell(row, "no")))
                    for r in resp:
                        if r.name not in {x.name for x in current.responsible}:
                            current.responsible.append(r)
                    if task is not current:
                        current.deadlines.extend(task.deadlines)
                        current.targets.extend(find_targets(measure_text))
                else:
                    n += 1
                    task.number = n
                    sec.tasks.append(task)
        for t in sec.tasks:
            if not t.responsible:
                ctx.warnings.append(f"第{t.number}项任务“{t.title}”：未找到责任单位")
        if plan.sections and not any(s.tasks for s in plan.sections):
            sec.number = len(plan.sections) + 1
        plan.sections.append(sec)
        return
    index = {_NORM.sub("", t.title): t for t in body_tasks}
    for table in tables:
        for row in table.rows:
            task, _ = _row_task(table, row, ctx)
            key = _NORM.sub("", task.title)
            hit = index.get(key) or next(
                (t for k, t in index.items() if k and key and (k.startswith(key) or key.startswith(k))), None
            )
            if hit is None:
                ctx.warnings.append(f"分工表第{task.label}行“{task.title}”在正文中找不到对应任务")
                continue
            if not hit.responsible:
                hit.responsible = task.responsible
                ctx.warnings[:] = [
                    w for w in ctx.warnings if w != f"第{hit.number}项任务“{hit.title}”：未找到责任单位"
                ]
            if not hit.deadlines:
                hit.deadlines = task.deadlines
