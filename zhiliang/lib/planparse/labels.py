"""Heading labels: 一、 / （一） / 1. / （1） / ① and their levels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .numerals import to_int

_CN = "一二三四五六七八九十百〇零"
_D = "0-9０-９"
# Level order follows GB/T 9704-2012 7.3.3; level 5 covers the common extras.
_PATTERNS = [
    (1, re.compile(rf"^(?P<n>[{_CN}]{{1,4}})\s*[、，,．.](?![{_D}])")),
    (2, re.compile(rf"^[（(]\s*(?P<n>[{_CN}]{{1,4}})\s*[）)]")),
    (3, re.compile(rf"^(?P<n>[{_D}]{{1,3}})\s*[.．﹒、，,](?![{_D}])")),
    (4, re.compile(rf"^[（(]\s*(?P<n>[{_D}]{{1,3}})\s*[）)]")),
    (5, re.compile(rf"^(?:(?P<c>[①-⑳])|(?P<n>[{_D}]{{1,2}})\s*[)）])")),
]
_COUNTED = re.compile(r"^[年月日%％个家项件万亿]")
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}


@dataclass(frozen=True)
class Label:
    level: int
    text: str  # as written, e.g. '（三）'
    number: int
    rest: str  # the line after the label


@lru_cache(maxsize=65536)
def match_label(line: str) -> Label | None:
    for level, pat in _PATTERNS:
        m = pat.match(line)
        if not m:
            continue
        if level == 5 and m.group("c"):
            n = _CIRCLED[m.group("c")]
        else:
            n = to_int(m.group("n"))
        if n is None:
            continue
        text = m.group(0).rstrip()
        rest = line[m.end() :].strip()
        if not rest and level == 3:
            continue  # a bare number is a table cell or page number, not a heading
        if level == 3 and _COUNTED.match(rest):
            continue  # "2016 年…" or "5 个" written with a space
        return Label(level, text, n, rest)
    return None
