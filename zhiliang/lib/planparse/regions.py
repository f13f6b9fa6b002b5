"""Province-level areas and local place names at the start of a title or issuer.

The names come from ``data/regions.csv`` (name, short, level, parent), the one table of regions
shared with :class:`~.departments.DepartmentResolver`; it is read once, on first use.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from pathlib import Path

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"

# A city or county name at the start of a title/issuer: 杭州市…, 宁国市…, 肥西县…
_LOCAL_RES = (
    re.compile(r"^([\u4e00-\u9fa5]{2,4}?(?:市|自治州|州(?!市)|盟)[\u4e00-\u9fa5]{1,4}?(?:县|区|旗|市))"),
    re.compile(r"^([\u4e00-\u9fa5]{1,6}?(?:市|县|区|旗|自治州|州(?![市县区])|盟))"),
)
_NOT_PLACE = re.compile(
    r"关于|加强|推进|贯彻|实施|质量|开展|全面|深入|城市|城区|社区|园区|景区|小区|开发区|示范区|新区|地区|辖区|全市|全县|全区"
)


def read_regions(path=None) -> list[dict[str, str]]:
    """Rows of a regions table (name, short, level, parent), values stripped; [] when it is missing."""
    try:
        with open(path or REGIONS_CSV, encoding="utf-8-sig", newline="") as f:
            return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]
    except FileNotFoundError:
        return []


@functools.cache
def _provinces() -> tuple[dict[str, str], frozenset[str], re.Pattern[str]]:
    """(short or full name → full name, full names, a pattern finding either)."""
    rows = [r for r in read_regions() if r.get("level") == "province"]
    full_of = {r["name"]: r["name"] for r in rows}
    full_of.update({r["short"]: r["name"] for r in rows if r.get("short")})
    full = sorted({r["name"] for r in rows}, key=len, reverse=True)
    short = sorted({r["short"] for r in rows if r.get("short")}, key=len, reverse=True)
    return full_of, frozenset(full), re.compile("|".join(map(re.escape, full + short)))


def province_mentions(text: str) -> Iterator[tuple[int, str]]:
    """(position, full name) of each province-level area named in *text*, short or full."""
    full_of, _, pattern = _provinces()
    for m in pattern.finditer(text):
        yield m.start(), full_of[m.group(0)]


def province_of(name: str) -> str | None:
    """Full province-level name mentioned in a string (first match)."""
    return next((full for _, full in province_mentions(name)), None)


@functools.cache
def _locals() -> tuple[dict[str, str], dict[str, str], re.Pattern[str] | None]:
    """(short or full name → full name, full name → level) of the sub-provincial areas in the table,
    and a pattern finding a short name that stands alone (杭州2019年…, not 杭州湾…)."""
    rows = [r for r in read_regions() if r.get("level") and r.get("level") != "province"]
    full_of = {r["name"]: r["name"] for r in rows}
    full_of.update({r["short"]: r["name"] for r in rows if r.get("short") and r["short"] not in full_of})
    level = {r["name"]: r["level"] for r in rows}
    short = sorted({r["short"] for r in rows if len(r.get("short") or "") >= 2}, key=len, reverse=True)
    pattern = re.compile("(?:" + "|".join(map(re.escape, short)) + r")(?![\u4e00-\u9fa5])") if short else None
    return full_of, level, pattern


# A year opening a title: 2019年杭州市质量工作要点.
_LEADING_YEAR = re.compile(r"^\s*(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?\s*")


def local_region(s: str) -> str | None:
    """'杭州市…' / '桐庐县…' / '杭州市西湖区…' at the start of a title or issuer, as its full name
    (a short name the regions table knows, 杭州2019年…, becomes 杭州市)."""
    s = _LEADING_YEAR.sub("", s, count=1)
    full_of, _, short_re = _locals()
    for pat in _LOCAL_RES:
        m = pat.match(s)
        if m and not _NOT_PLACE.search(m.group(1)):
            return full_of.get(m.group(1), m.group(1))
    m = short_re.match(s) if short_re is not None else None
    return full_of[m.group(0)] if m else None


def level_of(region: str | None) -> str | None:
    if not region:
        return None
    if region == "全国":
        return "national"
    known = _locals()[1].get(region)
    if known:
        return known
    if region in _provinces()[1] or region.endswith(("省", "自治区")):
        return "province"  # municipalities (北京市) and SARs included
    if region.endswith(("市", "州", "盟")):
        return "city"
    return "county"
