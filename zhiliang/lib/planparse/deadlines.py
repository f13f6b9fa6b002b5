"""Time limits (年内, 三季度, 6月底前, 2016年9月30日前, 长期坚持) resolved against the plan's year."""

from __future__ import annotations

import calendar
import re

from .model import Deadline
from .numerals import to_int

_Y = r"(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}"
_M = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_DD = r"[12]\d|3[01]|0?[1-9]|[一二]?十[一二三四五六七八九]?|三十一?|[一二三四五六七八九]"
_PATTERN = re.compile(
    r"(?=[0-9〇○零一二三四五六七八九十上下今年前第长持常经每定])"
    rf"(?:(?:(?P<y>{_Y})\s*年\s*)?(?P<m>{_M})\s*月份?\s*(?:(?P<d>{_DD})\s*[日号]|(?P<e>底|末|中旬|上旬|下旬))?\s*(?P<b>前|之前|以前|完成)?"
    rf"|(?:(?P<y2>{_Y})\s*)?(?P<w>年底|年末|年度内|年内|今年内|今年底|上半年|下半年)(?P<b2>前|之前|以前)?"
    rf"|(?:(?P<y3>{_Y})\s*年\s*)?(?P<q>前|第)?(?P<qn>[一二三四1-4])\s*季度末?(?P<b3>前|之前|以前)?"
    rf"|(?P<y4>{_Y})\s*年\s*(?P<e4>底|末)?\s*(?P<b4>前|之前|以前)"
    r"|(?P<ongoing>长期坚持|长期推进|长期开展|持续推进|持续开展|长期|持续|常态化|经常性|每年|定期))"
)
_SKIP_BEFORE = re.compile(r"[0-9０-９一二三四五六七八九十两几多]$")
# A bare period word (上半年, 三季度, 年底) is a time limit where it stands as an adverbial: at the
# start of a clause (or after 于/在/力争 …), at its end, or before a verb of completion. After a
# verb or before a noun it is an object or attribute: 公布上半年抽查结果, 发布三季度报告.
_CLAUSE_MARKS = "，,。；;：:、！!？?（()）\n"
_LEAD_IN = re.compile(r"(?:于|在|到|至|自|从|年|力争|争取|确保|计划|预计|并|将|要|均|须|需)$")
_OBJECT_OF = re.compile(
    r"(?:公布|通报|报送|发布|总结|汇总|报告|上报|统计|分析|提交|评估|回顾|部署|安排|制定)$"
)
_DONE_AFTER = re.compile(
    r"完成|前|底|内|末|启动|出台|建成|印发|实现|形成|开展|组织|召开|举办|建立|制定|开始|基本|全面|力争|确保|要|将"
)
# Ongoing wording in running text counts only where it closes its clause: 此项工作长期坚持。
_ONGOING_END = re.compile(r"(?:下去)?\s*(?:[，,。；;！!）)\n]|$)")


def _adverbial(text: str, start: int, end: int) -> bool:
    i = start
    while i > 0 and text[i - 1] in " \u3000":
        i -= 1
    if i == 0 or text[i - 1] in _CLAUSE_MARKS:
        return True
    head = text[max(0, i - 4) : i]
    if _OBJECT_OF.search(head):
        return False
    if _LEAD_IN.search(head):
        return True
    return end >= len(text) or text[end] in _CLAUSE_MARKS or bool(_DONE_AFTER.match(text, end))


# Every match holds one of these key characters (月, 年, 季度, or the first character of the
# ongoing words), and before the first of them only characters of _PREFIX_CHARS (a year, a month
# numeral, 上半/下半/今, 前/第, spaces). So instead of trying _PATTERN at every position, the scan
# finds the key characters and tries it only at the few positions just before each one.
_KEY_RE = re.compile(r"[月年季长持常经每定]")
_PREFIX_CHARS = frozenset("0123456789〇○零一二三四五六七八九十上下今前第半") | frozenset(
    " \t\n\r\f\v\u3000\xa0"
)


def _matches(text: str):
    """The same matches as _PATTERN.finditer(text), found from the key characters."""
    match = _PATTERN.match
    pos = 0  # where the next match may start (end of the previous one)
    tried = 0  # positions below this were tried and failed
    for k in _KEY_RE.finditer(text):
        a = k.start()
        if a < pos:
            continue
        j = a
        lo = max(pos, tried)
        while j > lo and ((c := text[j - 1]) in _PREFIX_CHARS or c.isspace() or c.isdecimal()):
            j -= 1
        for s in range(max(j, lo), a + 1):
            m = match(text, s)
            if m:
                yield m
                pos = m.end()
                break
        else:
            tried = a + 1
            continue
        tried = pos


def find_deadlines(text: str, year: int | None, *, ongoing: bool = False) -> list[tuple[int, int, Deadline]]:
    """Deadlines in `text`. Ongoing wording is only a deadline where `ongoing` (note or time-limit cell)."""
    out = []
    for m in _matches(text):
        gy, gm, gd, ge, gb, y2, w, b2, y3, _q, qn, b3, y4, _e4, _b4, ongoing_word = m.groups()
        start, end = m.span()
        raw = m.group(0).rstrip()
        if ongoing_word:
            body_ok = ((raw.startswith("长期") and len(raw) > 2) or raw == "持续推进") and _ONGOING_END.match(
                text, end
            )
            if ongoing or body_ok:  # in running text only unmistakable wording (…长期坚持。, …持续推进。)
                out.append((start, end, Deadline(raw, None, True)))
            continue
        if gm:
            if not (ge or gb):
                continue  # a bare month names an event, not a limit
            if gb == "完成":
                raw = raw[: -len("完成")]
            y = _year(gy, year)
            mo = to_int(gm)
            if not mo or not 1 <= mo <= 12:
                continue
            last = calendar.monthrange(y or 2000, mo)[1]
            if gd:
                d = min(to_int(gd) or last, last)
            elif ge == "上旬":
                d = 10
            elif ge == "中旬":
                d = 20
            else:
                d = last
            out.append((start, end, Deadline(raw, _date(y, mo, d))))
        elif w:
            if not y2 and start > 0 and _SKIP_BEFORE.search(text, max(0, start - 2), start):
                continue  # 三年内 / 5年内 are durations, not this year's limit
            if not (ongoing or b2 or w.endswith("内") or _adverbial(text, start, end)):
                continue
            y = _year(y2, year)
            md = (6, 30) if w == "上半年" else (12, 31)
            out.append((start, end, Deadline(raw, _date(y, *md))))
        elif qn:
            q = to_int(qn)
            if not q or not 1 <= q <= 4:
                continue
            if not (ongoing or b3 or raw.endswith("末") or _adverbial(text, start, end)):
                continue
            y = _year(y3, year)
            mo = q * 3
            out.append((start, end, Deadline(raw, _date(y, mo, calendar.monthrange(y or 2000, mo)[1]))))
        elif y4:
            y = _year(y4, year)
            out.append((start, end, Deadline(raw, _date(y, 12, 31))))
    return out


def _year(s: str | None, default: int | None) -> int | None:
    return to_int(s) if s else default


def _date(y: int | None, mo: int, d: int) -> str | None:
    return f"{y:04d}-{mo:02d}-{d:02d}" if y else None
