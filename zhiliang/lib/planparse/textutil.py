"""Small text helpers shared by the note parser and the department resolver."""

from __future__ import annotations

import functools
import re


@functools.cache
def _separator_re(seps: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(seps) + "]")


def split_outside_brackets(text: str, seps: str, opens: str = "（(", closes: str = "）)") -> list[str]:
    """Split *text* on any character of *seps* that is not inside brackets.

    'A、B（C、D）' → ['A', 'B（C、D）']. An unmatched closing bracket is ignored.
    """
    if not any(o in text for o in opens):
        return _separator_re(seps).split(text)
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch in opens:
            depth += 1
        elif ch in closes:
            depth = max(0, depth - 1)
        if depth == 0 and ch in seps:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out
