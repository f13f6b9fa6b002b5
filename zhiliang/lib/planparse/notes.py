"""Responsibility notes → Responsible lists with roles.

Forms: （A、B按职责分工负责） / A、B负责，C协助 / A牵头，B配合 / （牵头单位：A；配合单位：B） /
责任单位：A / a bare list （A、B） / a note with a time limit inside (A负责，2016年9月底前完成) /
a note written as its own sentence (A、B负责落实。).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .deadlines import find_deadlines
from .meta import strip_parens_tail
from .model import Deadline, Responsible
from .textutil import split_outside_brackets

UNIT_END = re.compile(
    r"(?:局|厅|委|办|部|署|会|行|院|所|中心|政府|单位|部门|海关|室|团|联|协|社|组|处|站|队|集团|公司|机构|银行|法院|检察院|学校|大学|总局|协会)$"
)
_NOT_UNIT = re.compile(
    r"^(?:开展|推进|加强|建立|实施|完善|组织|提高|提升|推动|制定|加快|积极|深入|做好|强化|支持|鼓励|引导)"
    r"|以下简称|简称|试行|是指|包括|[0-9０-９%。！？“”]"
)
_LEVEL_PREFIX = re.compile(r"^(省|市|县|区|自治区|州|盟)")
_LABELS = {
    "牵头单位": "lead", "牵头部门": "lead", "主责单位": "lead", "主办单位": "lead", "牵头": "lead",
    "责任单位": "resp", "责任部门": "resp", "负责单位": "resp", "实施单位": "resp", "承办单位": "resp",
    "配合单位": "assist", "配合部门": "assist", "协办单位": "assist", "协助单位": "assist",
    "参与单位": "assist", "协同单位": "assist", "协同责任单位": "assist", "牵头责任单位": "lead",
    "完成时限": "time", "完成时间": "time", "时间节点": "time", "时限": "time", "时间": "time",
}  # fmt: skip
_LABEL_RE = re.compile(r"^(" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")\s*[：:]\s*(.*)$")
_VERBS = {
    "按职责分工分别负责": "shared", "按照职责分工负责": "shared", "按职责分工负责": "shared",
    "按职责分别负责": "shared", "按职责负责": "shared", "按职责分工落实": "shared", "分别负责": "shared",
    "共同负责": "shared", "按职能分工负责": "shared",
    "牵头负责": "lead", "牵头落实": "lead", "牵头实施": "lead", "牵头": "lead",
    "负责落实": "resp", "负责实施": "resp", "负责": "resp", "具体负责": "resp", "落实": "resp",
    "配合落实": "assist", "配合": "assist", "协助": "assist", "协同": "assist", "参与": "assist",
    "参加": "assist", "协助配合": "assist", "共同参与": "assist",
}  # fmt: skip
_VERB_RE = re.compile(
    r"^(?:由)?(?P<list>.+?)(?P<verb>" + "|".join(sorted(_VERBS, key=len, reverse=True)) + r")$"
)
_TRAIL_ETC = re.compile(r"等(?:其他|其它)?(?:相关|有关)?(?:部门|单位)?$")
_AND = re.compile(r"(?<=[局厅委办部署会行院所心府位门关室团联协社组处站队])(?:和|及|与|以及)")
_TIME_HINT = re.compile(r"[年月季长持常定每底]")
# Cheap pre-checks so ordinary parentheses and sentences are not fully parsed.
_NOTE_TAIL = re.compile(
    r"负责|牵头|配合|协助|参与|协同|参加|落实|[：:]|[局厅委办部署会行院所心府位门关室团联协社组处站队司]$"
)
_SENT_NOTE_HINT = re.compile(
    r"(?:负责|牵头|配合|协助|参与|落实|协同|参加|实施)[。；;]?$|^(?:牵头|责任|配合|协办|主责|协同)(?:责任)?(?:单位|部门)[：:]"
)
_CLAUSE_SPLIT = re.compile(r"[；;。，,]|(?<=牵头)、|(?<=负责)、")


@dataclass
class Note:
    responsible: list[Responsible] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    has_verb: bool = False
    labeled: bool = False


@lru_cache(maxsize=16384)
def looks_like_unit(s: str) -> bool:
    return 2 <= len(s) <= 40 and bool(UNIT_END.search(_strip_paren(s))) and not _NOT_UNIT.search(s)


def _strip_paren(s: str) -> str:
    if not s.endswith(("）", ")")):
        return s
    return strip_parens_tail(s)


_UNIT_SEPS = "、，,/／"


def split_units(s: str) -> list[str] | None:
    """'省质监局、工商局等' → ['省质监局', '工商局']; None when an item is not a unit name."""
    units = _split_units(s)
    return list(units) if units is not None else None


@lru_cache(maxsize=16384)
def _split_units(s: str) -> tuple[str, ...] | None:
    raw = [x.strip() for x in split_outside_brackets(s, _UNIT_SEPS) if x.strip()]
    items: list[str] = []
    for x in raw:
        parts = _AND.split(x)
        if len(parts) > 1 and all(looks_like_unit(_TRAIL_ETC.sub("", p)) for p in parts):
            items.extend(parts)
        else:
            items.append(x)
    # 各市、县人民政府: a short head without a unit ending joins the next item
    merged: list[str] = []
    pending = ""
    for x in items:
        x = pending + x if pending else x
        pending = ""
        core = _TRAIL_ETC.sub("", x) if not looks_like_unit(x) else x
        if not looks_like_unit(core) and len(x) <= 4:
            pending = x + "、"
            continue
        merged.append(x)
    if pending:
        return None
    out = []
    for x in merged:
        y = _TRAIL_ETC.sub("", x)
        if y != x and looks_like_unit(y):
            x = y  # 省科技厅等相关部门 → 省科技厅
        elif not looks_like_unit(x):
            return None
        if x not in out:
            out.append(x)
    return tuple(out) or None


def parse_note(content: str, year: int | None, *, allow_bare: bool = True) -> Note | None:
    """Parse a note's content; None when it is not a responsibility note.

    The same notes recur across tasks and plans (省质监局负责, 各市政府落实), so results are cached
    per (content, year, allow_bare); callers get fresh Responsible objects they may change.
    """
    content = content.strip().rstrip("。；;")
    if not content or len(content) > 400:
        return None
    note = _parse_note(content, year, allow_bare)
    if note is None:
        return None
    return Note(
        [Responsible(r.name, r.role, r.department, r.prefix) for r in note.responsible],
        list(note.deadlines),
        note.has_verb,
        note.labeled,
    )


@lru_cache(maxsize=8192)
def _parse_note(content: str, year: int | None, allow_bare: bool) -> Note | None:
    clauses = [c.strip() for c in _CLAUSE_SPLIT.split(content) if c.strip()]
    groups: list[tuple[str, list[str]]] = []  # (role kind, units)
    note = Note()
    last_kind = None
    for c in clauses:
        m = _LABEL_RE.match(c)
        if m:
            note.labeled = True
            kind = _LABELS[m.group(1)]
            value = m.group(2).strip()
            if kind == "time":
                note.deadlines.extend(d for _, _, d in find_deadlines(value, year, ongoing=True))
                if not any(True for _ in find_deadlines(value, year, ongoing=True)) and value:
                    note.deadlines.append(Deadline(value, None, False))
                last_kind = "time"
                continue
            units = split_units(value) if value else []
            if units is None:
                return None
            groups.append((kind, units))
            last_kind = kind
            continue
        dl = find_deadlines(c, year, ongoing=True) if _TIME_HINT.search(c) else None
        if dl and _is_time_clause(c, dl):
            note.deadlines.extend(d for _, _, d in dl)
            continue
        m = _VERB_RE.match(c)
        if m:
            units = split_units(m.group("list"))
            if units:
                note.has_verb = True
                groups.append((_VERBS[m.group("verb")], units))
                last_kind = _VERBS[m.group("verb")]
                continue
        units = split_units(c)
        if units is None:
            return None
        if last_kind in ("lead", "resp", "assist") and note.labeled:
            groups.append((last_kind, units))  # 责任单位：A，B — continuation of a labelled field
        else:
            if not allow_bare:
                return None
            groups.append(("bare", units))
    if not groups:
        return None
    note.responsible = _roles(groups)
    return note


_TIME_FILLER = re.compile(
    r"完成|前|底|内|之前|以前|实现|到位|落实|启动|出台|坚持|推进|开展|工作|全面|基本|力争|[，,\s]"
)


def _is_time_clause(c: str, dl) -> bool:
    """A clause that is only a time limit: '2016年9月底前完成', '长期坚持'."""
    rest = c
    for s, e, _ in reversed(dl):
        rest = rest[:s] + rest[e:]
    return len(_TIME_FILLER.sub("", rest)) <= 2


def _roles(groups: list[tuple[str, list[str]]]) -> list[Responsible]:
    kinds = {k for k, _ in groups}
    has_lead = "lead" in kinds
    has_assist = "assist" in kinds
    n_units = sum(len(u) for _, u in groups)
    out: list[Responsible] = []
    for kind, units in groups:
        if kind == "lead":
            role = "lead"
        elif kind == "assist":
            role = "assist"
        elif kind == "resp":
            if has_assist or (n_units == 1 and not has_lead):
                role = "lead"
            elif has_lead:
                role = "assist"
            else:
                role = "shared"
        elif kind == "shared" and has_lead:
            role = "assist"  # A牵头，B按职责分工负责
        else:
            role = "shared"
        prefix = None
        if units:
            pm = _LEVEL_PREFIX.match(units[0])
            prefix = pm.group(1) if pm else None
        for u in units:
            if any(r.name == u for r in out):
                continue
            own = _LEVEL_PREFIX.match(u)
            out.append(Responsible(u, role, None, prefix if not own else None))
    return out


def apply_first_leads(resp: list[Responsible]) -> None:
    """Plan says the first-listed unit leads: an equal list becomes lead + assists."""
    if resp and all(r.role == "shared" for r in resp):
        resp[0].role = "lead"
        for r in resp[1:]:
            r.role = "assist"


# ---------------------------------------------------------------- finding notes in running text

_SENT_END = "。；;！!？?\n"


@dataclass
class NoteSpan:
    start: int
    end: int
    note: Note


def find_notes(text: str, year: int | None) -> list[NoteSpan]:
    """Parenthesised notes and whole-sentence notes in a block of text, in order."""
    spans: list[NoteSpan] = []
    n = len(text)
    nxt = 0
    for om in _OPEN_RE.finditer(text):
        i = om.start()
        if i < nxt:
            continue  # inside a note already taken
        j = _match_close(text, i)
        if j is None:
            continue
        content = text[i + 1 : j]
        k = i - 1
        while k >= 0 and text[k] in " \u3000":
            k -= 1
        before = text[k] if k >= 0 else ""
        k = j + 1
        while k < n and text[k] in " \u3000":
            k += 1
        after = text[k] if k < n else ""
        at_end = not after or after in _SENT_END or (before != "" and before in _SENT_END)
        near_end = at_end or after in ("，", ",")
        if near_end and not _NOTE_TAIL.search(content.rstrip("。；; ")):
            near_end = False
        note = parse_note(content, year, allow_bare=bool(at_end)) if near_end else None
        if note and (note.has_verb or note.labeled or at_end):
            spans.append(NoteSpan(i, j + 1, note))
        nxt = j + 1
    # sentence notes: 'A、B负责落实。' or '责任单位：A、B' standing on their own
    n_paren = len(spans)  # the parenthesised notes above are already in order
    for s, e in _hint_sentences(text):
        if any(sp.start < e and s < sp.end for sp in spans):
            continue
        sent = text[s:e].strip()
        if not sent or sent[0] in "（(" or not _SENT_NOTE_HINT.search(sent):
            continue
        note = parse_note(sent, year, allow_bare=False)
        if note and (note.has_verb or note.labeled) and note.responsible:
            spans.append(NoteSpan(s, e, note))
    if len(spans) > n_paren:
        spans.sort(key=lambda sp: sp.start)
    return spans


_OPEN_RE = re.compile(r"[（(]")
# Where _SENT_NOTE_HINT can match in a sentence (a superset: the hint is checked again): a verb
# before the sentence end, or a role label. Every branch opens with one of a few two-character
# words so the regex engine can skip ahead to them.
_HINT_CANDIDATE_RE = re.compile(
    r"(?:负责|牵头|配合|协助|参与|落实|协同|参加|实施|责任|协办|主责)"
    r"(?:(?<=负责|牵头|配合|协助|参与|落实|协同|参加|实施)(?=[。；;]?\s*(?:[。\n]|$))"
    r"|(?<=牵头|责任|配合|协办|主责|协同)(?=(?:责任)?(?:单位|部门)[：:]))"
)


def _hint_sentences(text: str):
    """(start, end) of the sentences (split after 。 and newlines) that may hold a sentence note."""
    last_end = 0
    for m in _HINT_CANDIDATE_RE.finditer(text):
        p = m.start()
        if p < last_end:
            continue  # same sentence as the previous candidate
        s = max(text.rfind("。", 0, p), text.rfind("\n", 0, p)) + 1
        e1, e2 = text.find("。", p), text.find("\n", p)
        e = (min(e1, e2) if e1 != -1 and e2 != -1 else max(e1, e2)) + 1 or len(text)
        last_end = e
        yield s, e


_PAREN_RE = re.compile(r"[（()）\n]")


# An unnested note closing within the 500-character window: the loop below would return its end.
_FLAT_PAREN_RE = re.compile(r"[（(][^（()）\n]{0,498}[）)]")


def _match_close(text: str, i: int) -> int | None:
    m = _FLAT_PAREN_RE.match(text, i)
    if m:
        return m.end() - 1
    depth = 0
    for m in _PAREN_RE.finditer(text, i, min(len(text), i + 500)):
        ch = m.group(0)
        if ch == "\n":
            return None
        if ch in "（(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start()
    return None
