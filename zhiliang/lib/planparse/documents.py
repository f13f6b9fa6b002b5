"""Split a text into documents, drop repeated copies, and locate header / body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import match_label
from .meta import (
    is_addressee,
    is_docnum_line,
    is_notice_title,
    is_preamble_like,
    is_title_like,
)

_WS = re.compile(r"[\s\u3000\u00a0]+")
_NORM = re.compile(r"[\s\u3000、，,。．.：:；;“”\"'‘’（）()《》〈〉【】\[\]！!？?—\-…·]")


@dataclass
class Doc:
    lines: list[str]
    start: int  # index of the first line in the file's line list
    copies: int = 0  # repeated copies merged into this one
    others: list[list[str]] = field(default_factory=list)  # the merged copies (for missing meta)


# Scraped copies glue the next item onto the previous line: "…负责）\u3000\u3000（九）加快…".
# (Opening with the mark rather than a look-behind lets the regex engine skip ahead to the marks.)
_GLUED = re.compile(
    r"([。）)；;！])[ \t\u3000\u00a0]+(?=[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、](?!\d))"
)


def split_lines(text: str) -> list[str]:
    """Non-empty lines, trimmed of ASCII/ideographic spaces (labels stay as written)."""
    out = []
    for raw in _GLUED.sub("\\1\n", text).split("\n"):
        line = raw.strip(" \t\r\u3000\u00a0\ufeff")
        if line:
            out.append(line)
    return out


def _is_header_line(line: str) -> bool:
    return (
        is_notice_title(line)
        or is_docnum_line(line)
        or is_addressee(line)
        or (is_title_like(line) and match_label(line) is None)
    )


def split_documents(lines: list[str]) -> list[Doc]:
    """Cut where the top heading level restarts (一、 after 五、) — a new document begins there."""
    labels = [match_label(x) for x in lines]
    levels = {lab.level for lab in labels if lab and lab.level <= 2}
    if not levels:
        return [Doc(lines, 0)]
    top = min(levels)
    cuts = [0]
    prev_num = None
    last_labeled = -1
    for i, lab in enumerate(labels):
        if lab is None:
            continue
        if lab.level == top:
            if prev_num is not None and lab.number <= prev_num and lab.number == 1:
                cut = _find_cut(lines, labels, last_labeled + 1, i)
                if cut is not None and cut > cuts[-1]:
                    cuts.append(cut)
            prev_num = lab.number
        last_labeled = i
    cuts.append(len(lines))
    return [Doc(lines[a:b], a) for a, b in zip(cuts, cuts[1:]) if b > a]


def _find_cut(lines, labels, lo: int, hi: int) -> int | None:
    """Where the next document's head begins in the gap lines[lo:hi] (None: not a new document)."""
    for j in range(lo, hi):
        line = lines[j]
        if line.startswith("附件") or line.startswith("附表"):
            return None  # an annex of the same document restarts its numbering
        if _is_header_line(line):
            return j
    for j in range(lo, hi):
        if is_preamble_like(lines[j]):
            return j
    return hi


def _signature(lines: list[str]) -> set[str]:
    sig = set()
    started = False
    for line in lines:
        if not started and match_label(line) is None:
            continue
        started = True
        n = _NORM.sub("", line)
        if len(n) >= 8:
            sig.add(n)
    return sig


def drop_duplicates(docs: list[Doc]) -> list[Doc]:
    """Merge copies of the same document; the fullest copy is kept in the first copy's place."""
    if len(docs) == 1:  # the common case: nothing to compare (an empty document is dropped)
        return docs if docs[0].lines else []
    kept: list[tuple[Doc, set[str]]] = []
    for doc in docs:
        sig = _signature(doc.lines)
        for k, (other, osig) in enumerate(kept):
            small = min(len(sig), len(osig))
            if small and len(sig & osig) / small >= 0.85:
                best, worse = (doc, other) if len(doc.lines) > len(other.lines) else (other, doc)
                best.copies = other.copies + 1
                best.others = [*other.others, worse.lines]
                best.start = other.start
                kept[k] = (best, osig | sig)
                break
        else:
            if sig or doc.lines:
                kept.append((doc, sig))
    return [d for d, _ in kept]
