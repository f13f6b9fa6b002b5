"""Chinese numerals (一百二十三, 二〇一六) to integers."""

from __future__ import annotations

DIGITS = {
    "〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000}
CN_NUM_CHARS = "".join(DIGITS) + "".join(UNITS)
_CN_START = frozenset(CN_NUM_CHARS)  # none of these is a decimal digit, sign or space for int()


def cn_to_int(s: str) -> int | None:
    """Parse 二十三 / 一百零五 / 二〇一六 / 3 / ３ ; None when it is not a number."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)  # int() accepts full-width digits too
    if all(c in DIGITS for c in s):
        # digit-by-digit form used for years: 二〇一六
        return int("".join(str(DIGITS[c]) for c in s))
    total, section, num = 0, 0, 0
    for c in s:
        if c in DIGITS:
            num = DIGITS[c]
        elif c in UNITS:
            unit = UNITS[c]
            if unit == 10000:
                total += (section + num) * unit
                section, num = 0, 0
            else:
                section += (num or 1) * unit  # 十 alone means 10
                num = 0
        else:
            return None
    return total + section + num


def to_int(s: str) -> int | None:
    """Arabic (half/full width) or Chinese numeral."""
    s = s.strip()
    if not s:
        return None
    if s[0] in _CN_START:
        return cn_to_int(s)  # int() would raise: skip the exception
    try:
        return int(s)
    except ValueError:
        return cn_to_int(s)
