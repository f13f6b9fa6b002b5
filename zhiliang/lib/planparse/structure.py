"""Body structure: sections (一、), tasks (the level below), measures, notes attached to them."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .deadlines import find_deadlines
from .labels import Label, match_label
from .model import Measure, Responsible, Section, Task
from .notes import NoteSpan, apply_first_leads, find_notes
from .targets import find_targets

_GOALS = re.compile(r"^(?:主要|发展|工作|总体|具体|年度|预期)?目标$|^(?:主要|发展|工作|总体|具体|年度)目标")
_OTHER = re.compile(
    r"总体要求|指导思想|基本原则|保障措施|组织实施|组织领导|工作要求|实施步骤|进度安排|工作步骤|有关要求"
    r"|总体思路|工作原则|保障机制|实施保障|工作机制|附则|职责分工|实施范围|工作安排$|保障$|有关事项"
)
_SENT_END = "。！？!?"
_PUNCT_ONLY = re.compile(r"^[\s。，,；;：:、！？!?）)]*$")


def section_kind(title: str) -> str:
    if "任务" not in title and _GOALS.search(title):
        return "goals"
    if _OTHER.search(title):
        return "other"
    return "tasks"


@dataclass
class Block:
    label: Label | None
    lines: list[str]


@dataclass
class Context:
    year: int | None
    first_leads: bool
    warnings: list[str]


def build_sections(lines: list[str], ctx: Context) -> tuple[list[Section], str, str]:
    """(sections, text before the first heading, closing text after the last task)."""
    labels = [match_label(x) for x in lines]
    present = sorted({lab.level for lab in labels if lab})
    if not present:
        return [], "\n".join(lines), ""
    sec_level = 1 if 1 in present else None
    head: list[str] = []
    groups: list[Block] = []  # one per section
    for line, lab in zip(lines, labels):
        if sec_level and lab and lab.level == sec_level:
            groups.append(Block(lab, []))
        elif groups:
            groups[-1].lines.append(line)
        elif sec_level is None:
            groups.append(Block(None, [line]))
        else:
            head.append(line)
    sections: list[Section] = []
    closing: list[str] = []
    number = 0
    for k, g in enumerate(groups):
        if g.label is None:
            label, title, intro_title = "", "", ""
        else:
            label, title, intro_title = g.label.text, _heading_title(g.label.rest), g.label.rest
        kind = section_kind(title)
        sec = Section(len(sections) + 1, label, title, kind)
        body_labels = [match_label(x) for x in g.lines]
        task_level = min((lab.level for lab in body_labels if lab and lab.level != sec_level), default=None)
        if kind != "tasks" or task_level is None:
            sec.text = "\n".join(([intro_title] if intro_title != title else []) + g.lines)
            if kind == "goals":
                sec.targets = find_targets(sec.text)
            sections.append(sec)
            continue
        intro: list[str] = [] if intro_title == title else [intro_title]
        blocks: list[Block] = []
        for line, lab in zip(g.lines, body_labels):
            if lab and lab.level == task_level:
                blocks.append(Block(lab, [lab.rest]))
            elif blocks:
                blocks[-1].lines.append(line)
            else:
                intro.append(line)
        trailing: list[str] = []
        for b in blocks:
            number += 1
            task, tail = build_task(number, b, task_level, ctx)
            sec.tasks.append(task)
            trailing = tail
            if tail and b is not blocks[-1]:
                sec.text += ("\n" if sec.text else "") + "\n".join(tail)
        sec.text = "\n".join(intro + ([sec.text] if sec.text else []))
        if trailing:
            if k == len(groups) - 1:
                closing = trailing
            else:
                sec.text = "\n".join(x for x in (sec.text, *trailing) if x)
        sections.append(sec)
    if not any(s.tasks for s in sections) and sec_level:
        flat = _flat_tasks(groups, ctx)
        if flat:
            return flat, "\n".join(head), ""
    return sections, "\n".join(head), "\n".join(closing)


def _flat_tasks(groups: list[Block], ctx: Context) -> list[Section]:
    """Level-one items that carry notes are the tasks themselves (no sub-levels)."""
    sec = Section(1, "", "", "tasks")
    n = 0
    for g in groups:
        if g.label is None or section_kind(_heading_title(g.label.rest)) != "tasks":
            continue
        n += 1
        task, _ = build_task(n, Block(g.label, [g.label.rest, *g.lines]), g.label.level, ctx)
        sec.tasks.append(task)
    if not any(t.responsible for t in sec.tasks):
        return []
    return [sec]


def _heading_title(rest: str) -> str:
    """Section heading text without trailing punctuation (a heading may run on: 一、总体要求。……)."""
    t = rest
    for ch in "。：:":
        p = t.find(ch)
        if p > 0:
            t = t[:p]
    return t.strip()


_TITLE_END_RE = re.compile(r"[。：:！!？?]")


def _task_title(text: str) -> str:
    """Text up to the first sentence/colon mark (a mark in the first position does not count)."""
    if text[:1] in _TITLE_END_CHARS:
        # find() semantics: a mark that opens the text is skipped, and so are its later copies
        cut = len(text)
        for ch in _TITLE_END_CHARS:
            p = text.find(ch)
            if 0 < p < cut:
                cut = p
        return text[:cut].strip()
    m = _TITLE_END_RE.search(text)
    return (text[: m.start()] if m else text).strip()


_TITLE_END_CHARS = "。：:！!？?"


def _masked(text: str, spans: list[NoteSpan], a: int, b: int) -> str:
    if not spans:
        return text[a:b]
    out = []
    pos = a
    for sp in spans:
        if sp.end <= a or sp.start >= b:
            continue
        out.append(text[pos : max(pos, sp.start)])
        pos = max(pos, sp.end)
    out.append(text[pos:b] if pos < b else "")
    return "".join(out)


def build_task(number: int, block: Block, level: int, ctx: Context) -> tuple[Task, list[str]]:
    """Build a task from its lines; returns the task and trailing closing lines that are not part of it."""
    lines = list(block.lines)
    # unlabeled note-free lines after the line that closed the task with a note belong to the section
    joined = "\n".join(lines)
    spans = find_notes(joined, ctx.year)
    tail: list[str] = []
    if spans:
        offs, o = [], 0
        for ln in lines:
            offs.append(o)
            o += len(ln) + 1
        # spans are sorted by start: the last one starts on the last line with a note
        last_note_line = bisect_right(offs, spans[-1].start) - 1
        if last_note_line < len(lines) - 1 and all(
            match_label(x) is None for x in lines[last_note_line + 1 :]
        ):
            after = lines[last_note_line]
            if _PUNCT_ONLY.match(after[_line_end_of_last_note(spans, offs[last_note_line]) :] or ""):
                tail = lines[last_note_line + 1 :]
                lines = lines[: last_note_line + 1]
                joined = "\n".join(lines)
                spans = [sp for sp in spans if sp.end <= len(joined)]
    text = joined
    # units: the title, then sentences / numbered sub-items
    units: list[tuple[int, int, str]] = []  # (start, end, label)
    first = lines[0] if lines else ""
    clean_first = _masked(text, spans, 0, len(first))
    title = _task_title(clean_first)
    title_end = _title_end(text, spans, len(first))
    units.append((0, title_end, "\0title"))
    pos = title_end
    k = len(first) + 1
    for s, e in _sentence_spans(text, spans, title_end, len(first)):
        units.append((s, e, ""))
    pos = k
    sub_lines = lines[1:]
    i = 0
    while i < len(sub_lines):
        ln = sub_lines[i]
        lab = match_label(ln)
        if lab and lab.level > level:
            start = pos + (len(ln) - len(lab.rest))
            end = pos + len(ln)
            i += 1
            pos += len(ln) + 1
            while i < len(sub_lines) and match_label(sub_lines[i]) is None:
                end = pos + len(sub_lines[i])
                pos += len(sub_lines[i]) + 1
                i += 1
            units.append((start, end, lab.text))
        else:
            for s, e in _sentence_spans(text, spans, pos, pos + len(ln)):
                units.append((s, e, ""))
            pos += len(ln) + 1
            i += 1
    measures: list[Measure] = []
    unit_measure: dict[int, Measure] = {}
    for idx, (s, e, lab) in enumerate(units):
        if lab == "\0title":
            continue
        mt = _masked(text, spans, s, e).strip()
        if _PUNCT_ONLY.match(mt):
            continue
        m = Measure(mt, [], lab)
        measures.append(m)
        unit_measure[idx] = m
    task = Task(number, block.label.text if block.label else "", title)
    clean = _masked(text, spans, 0, len(text))
    task.text = "\n".join([y for y in map(str.strip, clean.split("\n")) if y])
    only_trailing = len(spans) == 1 and _PUNCT_ONLY.match(text[spans[0].end :] or "")
    for sp in spans:
        resp = sp.note.responsible
        if ctx.first_leads:
            apply_first_leads(resp)
        _merge(task.responsible, resp)
        task.deadlines.extend(sp.note.deadlines)
        if only_trailing:
            continue
        idx = _owner(units, sp.start)
        if idx is not None and idx in unit_measure:
            _merge(unit_measure[idx].responsible, resp)
    task.measures = measures
    task.deadlines = [d for _, _, d in find_deadlines(clean, ctx.year)] + task.deadlines
    task.targets = find_targets(clean)
    if not task.responsible:
        ctx.warnings.append(f"第{number}项任务“{title}”：未找到责任单位")
    return task, tail


def _line_end_of_last_note(spans: list[NoteSpan], line_off: int) -> int:
    return max(sp.end for sp in spans) - line_off


def _title_end(text: str, spans: list[NoteSpan], line_end: int) -> int:
    """Just past the first sentence/colon mark of the first line that is not inside a note."""
    i = 0
    for sp in spans:  # sorted, non-overlapping
        if sp.start >= line_end:
            break
        if sp.start < i:
            continue
        m = _TITLE_END_RE.search(text, i, sp.start)
        if m:
            return m.end()
        i = sp.end
    if i < line_end:
        m = _TITLE_END_RE.search(text, i, line_end)
        if m:
            return m.end()
    return line_end


_SENT_END_RE = re.compile(r"[。！？!?]")


def _sentence_spans(text: str, spans: list[NoteSpan], a: int, b: int):
    inside = [sp for sp in spans if sp.start < b and sp.end > a]
    if not inside:
        start = a
        for m in _SENT_END_RE.finditer(text, a, b):
            yield start, m.end()
            start = m.end()
        if start < b:
            yield start, b
        return
    start = a
    for m in _SENT_END_RE.finditer(text, a, b):
        i = m.start()
        in_note = False
        for sp in inside:  # a plain loop: cheaper than any() over a generator here
            if sp.start <= i < sp.end:
                in_note = True
                break
        if in_note:
            continue  # a full stop inside a note
        s = start
        for sp in inside:
            if sp.start == s:
                s = sp.end  # a note between sentences belongs to the one before it
        yield s, i + 1
        start = i + 1
    s = start
    for sp in inside:
        if sp.start == s:
            s = sp.end
    if s < b:
        yield s, b


def _owner(units: list[tuple[int, int, str]], pos: int) -> int | None:
    """The unit containing pos, else the last one ending at or before it."""
    best = None
    for idx, (s, e, _) in enumerate(units):
        if s <= pos < e:
            return idx
        if e <= pos:
            best = idx
    return best


def _merge(into: list[Responsible], more: list[Responsible]) -> None:
    names = {r.name for r in into}
    for r in more:
        if r.name not in names:
            into.append(r)
            names.add(r.name)
