"""Resolve the responsible-unit names written in plans to functional department codes.

The code table is ``data/departments.csv`` (one row per functional body of c. 2016, with aliases,
national forms and the post-2018 successor). A name is matched *in context*:

* level prefixes (省/自治区/市/州/县/区 …) and a shared prefix written only on the first unit;
* place names in front of or inside the name (安徽银监局, 合肥市质监局, 人行合肥中心支行);
* abbreviation habits (委员会→委, 人民政府→政府, 监督管理→监管, the "和" in 住房和城乡建设厅);
* post-2018 names through the successor column, only when exactly one code matches;
* collective units (…成员单位, 各市、县人民政府, 有关部门).

Anything ambiguous or unknown resolves to ``None``: the resolver never guesses.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .regions import REGIONS_CSV, read_regions
from .textutil import split_outside_brackets

__all__ = ["DepartmentInfo", "DepartmentResolver", "split_units"]

_DATA = Path(__file__).resolve().parent / "data"

GROUP_MEMBERS = "GROUP_MEMBERS"
LOCAL_GOVS = "LOCAL_GOVS"
RELEVANT_DEPTS = "RELEVANT_DEPTS"


@dataclass(frozen=True)
class DepartmentInfo:
    code: str
    kind: str
    canonical_name: str
    aliases: tuple[str, ...]
    national_forms: tuple[str, ...]
    successor_2018: str
    notes: str


# Name forms seen in real texts that the csv does not list (documented in domain.md §4).
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "AGRI": ("省农村农业厅",),  # typo seen in a real text
    "PBOC": (
        "中国人民银行分行",
        "人民银行分行",
        "人行分行",
        "人民银行支行",
        "人行支行",
        "人民银行营业管理部",
        "中国人民银行营业管理部",
        "人民银行省分行",
        "人民银行分行营业管理部",
        "中国人民银行分行营业管理部",
    ),
    "TAX": ("省税务局", "税务局", "国家税务总局税务局"),
    "STATS": ("国家统计局调查总队", "统计局调查总队", "调查总队"),
    "CIQ": ("出入境检验检疫局", "检验检疫局"),
    "CBRC": ("银行业监督管理委员会监管局", "银行业监督管理局"),
    "CIRC": ("保险监督管理委员会监管局", "保险监督管理局"),
    "CSRC": ("证券监督管理委员会监管局",),
    "PROPAGANDA": ("委宣传部", "省委宣传部", "市委宣传部", "县委宣传部"),
}

# Level words that may open a unit name; they carry no functional meaning.
_LEVEL_PREFIXES = ("自治区", "自治州", "地区", "省", "市", "州", "县", "区", "盟", "旗")
_LEADING_NOISE = ("中共", "中国共产党", "中华人民共和国")

_TRAILING_ETC_RE = re.compile(r"(?:等(?:各|其他)?(?:相关|有关)?(?:部门|单位|机构)?)+$")
_PAREN_RE = re.compile(r"\([^()]*\)")
_WS_RE = re.compile(r"\s+")

_GROUP_RE = re.compile(r"成员(?:单位|部门)$")
_RELEVANT_RE = re.compile(
    r"^(?:国务院|省政府|市政府|县政府|省直|市直|县直|区直|省|市|县|区)?各?(?:其他|其它)?(?:有关|相关)(?:部门|单位|方面|机构)$"
    r"|^(?:省|市|县|区)(?:政府|直)各(?:部门|单位|直属机构)$"
)
_LOCAL_GOV_END_RE = re.compile(r"(?:人民政府|政府|管委会)$")
# What may appear between 各 and 人民政府 in a "all local governments" phrase.
_LOCAL_GOV_BODY_RE = re.compile(r"^[市县区州地盟旗、,()级以上设辖直管省试点镇乡街道办事处]*$")


def _match_key(s: str) -> str:
    """Reduce a name to the form used for dictionary look-ups (both sides go through this)."""
    s = s.replace("委员会", "委").replace("人民政府", "政府").replace("监督管理", "监管")
    # "和"/"与" inside names is optional in practice (人力资源(和)社会保障厅, 海洋与渔业厅).
    return s.replace("和", "").replace("与", "")


def _clean(name: str) -> str:
    s = unicodedata.normalize("NFKC", name)
    s = _WS_RE.sub("", s).strip("“”\"'‘’《》<>:：;；,，、。.")
    s = _TRAILING_ETC_RE.sub("", s) or s
    return s


class _Ambiguous:
    pass


_SUB_OFFICE_RE = re.compile(r"(?:分行|支行|海关|银监局|保监局|证监局|检验检疫局)(?=.)")
# Abbreviations the code table does not list in every combination (人力社保局, 市监局).
_ABBREVIATIONS = (("人力社保", "人力资源社会保障"), ("人社", "人力资源社会保障"), ("经信", "经济和信息化"),
                  ("住建", "住房城乡建设"), ("卫健", "卫生健康"), ("市监", "市场监管"),
                  # one-character heads of city committees: 市科委, 市建委, 市旅委, 市林水局
                  ("科委", "科技委"), ("建委", "建设委"), ("旅委", "旅游委"), ("林水", "林业水利"))  # fmt: skip


_AMBIGUOUS = _Ambiguous()


class DepartmentResolver:
    def __init__(self, infos: list[DepartmentInfo], places: list[str] | None = None) -> None:
        self._infos = {info.code: info for info in infos}
        # Three tiers: names of the 2016 bodies, sole post-2018 successors, shared successors.
        self._tiers: list[dict[str, set[str]]] = [{}, {}, {}]
        for info in infos:
            names = [info.canonical_name, *info.aliases, *info.national_forms]
            names += _EXTRA_ALIASES.get(info.code, ())
            for n in names:
                self._add(0, n, info.code)
            succ = info.successor_2018
            if succ:
                parts, shared = _split_successor(succ)
                for n in parts:
                    self._add(2 if shared else 1, n, info.code)
        self._set_places(places or [])
        # Per instance, so a resolver built from another table never sees this one's answers.
        self._cached = functools.lru_cache(maxsize=65536)(self._resolve_uncached)

    # ----------------------------------------------------------------- construction

    @classmethod
    @functools.cache
    def default(cls) -> DepartmentResolver:
        return cls.from_csv(_DATA / "departments.csv", regions_path=REGIONS_CSV)

    @classmethod
    def from_csv(cls, path, *, regions_path=None) -> DepartmentResolver:
        infos = []
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                infos.append(
                    DepartmentInfo(
                        code=row["code"].strip(),
                        kind=row["kind"].strip(),
                        canonical_name=row["canonical_name"].strip(),
                        aliases=_split_list(row.get("aliases", "")),
                        national_forms=_split_list(row.get("national_forms", "")),
                        successor_2018=(row.get("successor_2018") or "").strip(),
                        notes=(row.get("notes") or "").strip(),
                    )
                )
        places = _load_places(regions_path if regions_path is not None else REGIONS_CSV)
        return cls(infos, places)

    def _add(self, tier: int, name: str, code: str) -> None:
        name = _clean(name)
        if not name:
            return
        forms = {name}
        # The csv writes provincial forms ("省质监局"); texts also write them bare or with another
        # level ("质监局", "市质监局"), so index the bare form too.
        for lp in ("省",):
            if name.startswith(lp) and not name.startswith("省委") and len(name) > 2:
                forms.add(name[len(lp) :])
        for f in forms:
            self._tiers[tier].setdefault(_match_key(f), set()).add(code)

    def _set_places(self, places: list[str]) -> None:
        uniq = sorted({p for p in places if p}, key=len, reverse=True)
        self._places = uniq
        self._place_re = re.compile("|".join(map(re.escape, uniq))) if uniq else None

    # ----------------------------------------------------------------- queries

    @property
    def codes(self) -> list[str]:
        return list(self._infos)

    def department(self, code: str) -> DepartmentInfo:
        return self._infos[code]

    def resolve(
        self,
        name: str,
        *,
        region: str | None = None,
        level: str | None = None,
        prefix: str | None = None,
    ) -> str | None:
        """Return the department code for *name*, or None when unknown or ambiguous.

        *region* (e.g. '安徽省') adds its name to the strippable place names; *prefix* is the
        level word written on an earlier unit of the same list ('省'); *level* ('province',
        'city', 'county', 'national') supplies a prefix when *prefix* is not given.
        """
        if not name:
            return None
        return self._cached(name, region, level, prefix)

    def _resolve_uncached(self, name: str, region, level, prefix) -> str | None:
        result = self._resolve(name, region=region, level=level, prefix=prefix)
        if result is None and len(name) >= 3:
            result = self._resolve_local(name, region=region, level=level, prefix=prefix)
        return result if isinstance(result, str) else None

    def _resolve(self, name: str, *, region, level, prefix) -> str | _Ambiguous | None:
        s = _clean(name)
        if not s:
            return None
        for noise in _LEADING_NOISE:
            if s.startswith(noise) and len(s) > len(noise):
                s = s[len(noise) :]
        collective = _collective(s)
        if collective:
            return collective

        extra_places = _region_forms(region)
        result = self._lookup_variants(s, extra_places)
        if result is not None:
            return result

        # Shared-prefix elision: "省质监局、工商局" -> try "省工商局".
        if prefix is None and level:
            prefix = {"province": "省", "city": "市", "county": "县"}.get(level)
        if prefix and not s.startswith(prefix):
            result = self._lookup_variants(prefix + s, extra_places)
            if isinstance(result, str):
                return result
        # Officially-styled bracketed notes: "省质监局（省质量强省办）" -> the name outside them.
        stripped = _PAREN_RE.sub("", s)
        if stripped and stripped != s:
            return self._resolve(stripped, region=region, level=level, prefix=prefix)
        return None

    def _resolve_local(self, name: str, *, region, level, prefix) -> str | _Ambiguous | None:
        """Offices the code table names only at provincial level.

        A sub-office named after its parent (人行成都分行营业管理部 → 人行成都分行), and city or
        county bureaus, which mirror the provincial departments (市科技局 → 省科技厅, 县人社局 →
        省人力资源社会保障厅). Candidates that disagree make the name ambiguous.
        """
        for m in _SUB_OFFICE_RE.finditer(name):
            head = name[: m.end()]
            if 4 <= len(head) < len(name):
                result = self._resolve(head, region=region, level=level, prefix=prefix)
                if result is not None:
                    return result
        base = name
        if region and base.startswith(region):
            base = base[len(region) :]
        if base[:1] in "省市县区":
            base = base[1:]
        elif not prefix and level not in ("city", "county"):
            return None  # a bare name in a provincial plan is the province's own body
        variants = [base]
        for short, full in _ABBREVIATIONS:
            if short in base:
                variants.append(base.replace(short, full))
        found: set[str] = set()
        for v in variants:
            for cand in (f"省{v[:-1]}厅", f"省{v}") if v.endswith("局") else (f"省{v}",):
                result = self._resolve(cand, region=None, level="province", prefix=None)
                if result is _AMBIGUOUS:
                    return result
                if result is not None:
                    found.add(result)  # type: ignore[arg-type]
        if not found:
            # A city committee mirrors a provincial department (市商务委 → 省商务厅, 市科委 → 省科技厅).
            for v in variants:
                if v.endswith("委") and len(v) >= 3:
                    result = self._resolve(f"省{v[:-1]}厅", region=None, level="province", prefix=None)
                    if result is _AMBIGUOUS:
                        return result
                    if result is not None:
                        found.add(result)  # type: ignore[arg-type]
        if len(found) > 1:
            return _AMBIGUOUS
        return found.pop() if found else None

    def _lookup(self, s: str) -> str | _Ambiguous | None:
        k = _match_key(s)
        for tier in self._tiers:
            codes = tier.get(k)
            if codes:
                return next(iter(codes)) if len(codes) == 1 else _AMBIGUOUS
        return None

    def _variants(self, s: str, extra_places: tuple[str, ...]):
        yield s
        for noise in ("国家", "国务院"):
            if s.startswith(noise) and len(s) > len(noise) + 1:
                yield from self._level_variants(s[len(noise) :])
        yield from self._level_variants(s, include_self=False)
        # A place name at the start: 安徽银监局, 合肥市质监局, 新疆维吾尔自治区质监局.
        place = self._leading_place(s, extra_places)
        if place:
            rest = s[len(place) :]
            if rest:
                yield from self._level_variants(rest)
                yield "省" + rest
        # A place name inside: 人行合肥中心支行, 国家税务总局安徽省税务局, 共青团安徽省委.
        for p in (*extra_places, *self._places):
            i = s.find(p, 1)
            if i > 0:
                yield s[:i] + s[i + len(p) :]
                yield s[:i] + "省" + s[i + len(p) :]
                break

    def _level_variants(self, s: str, include_self: bool = True):
        if include_self:
            yield s
        for lp in _LEVEL_PREFIXES:
            if s.startswith(lp) and len(s) > len(lp) + 1:
                rest = s[len(lp) :]
                yield "省" + rest
                yield rest
                break

    def _leading_place(self, s: str, extra_places: tuple[str, ...]) -> str | None:
        for p in extra_places:
            if s.startswith(p):
                return p
        if self._place_re is not None:
            m = self._place_re.match(s)
            if m:
                return m.group(0)
        return None

    def _lookup_variants(self, s: str, extra_places: tuple[str, ...]) -> str | _Ambiguous | None:
        seen = set()
        for v in self._variants(s, extra_places):
            if v in seen or not v:
                continue
            seen.add(v)
            r = self._lookup(v)
            if r is not None:
                return r
        return None


# --------------------------------------------------------------------------- helpers


def _split_list(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split("|") if p.strip())


def _split_successor(value: str) -> tuple[list[str], bool]:
    """Names of the post-2018 successor(s) and whether the body was split among several.

    '省工业和信息化厅（或经济和信息化厅）' -> two names of one body; '省知识产权局（…管理）' -> the
    name without the remark; '省自然资源厅／省农业农村厅' -> two bodies (shared).
    """
    value = unicodedata.normalize("NFKC", value)
    parts = [p for p in re.split(r"[/／]", value) if p.strip()]
    names = []
    for part in parts:
        base = _PAREN_RE.sub("", part).strip()
        if base:
            names.append(base)
        alt = re.search(r"\(或([^()]+)\)", part)
        if alt:
            names.append(alt.group(1).strip())
    return names, len(parts) > 1


def _load_places(path) -> list[str]:
    places: list[str] = []
    for row in read_regions(path):
        full, short = row.get("name", ""), row.get("short", "")
        places += [full, short]
        if full.endswith("自治州") and short:
            places.append(short + "州")  # 昌吉州, 伊犁州
    return [p for p in places if len(p) >= 2]


@functools.lru_cache(maxsize=256)
def _region_forms(region: str | None) -> tuple[str, ...]:
    if not region:
        return ()
    region = unicodedata.normalize("NFKC", region).strip()
    forms = [region]
    m = re.match(r"^(.+?)(?:维吾尔|壮族|回族)?(?:自治区|特别行政区|省|市|地区|自治州|县|区)$", region)
    if m and len(m.group(1)) >= 2:
        forms.append(m.group(1))
    return tuple(sorted(set(forms), key=len, reverse=True))


def _collective(s: str) -> str | None:
    if _GROUP_RE.search(s):
        return GROUP_MEMBERS
    if _RELEVANT_RE.match(s):
        return RELEVANT_DEPTS
    if s.startswith("各") and len(s) > 1:
        body = _LOCAL_GOV_END_RE.sub("", s[1:])
        if _LOCAL_GOV_BODY_RE.match(body) and (body or s != "各"):
            return LOCAL_GOVS
    return None


# --------------------------------------------------------------------------- splitting lists

_HARD_SEPS = "、，,；;/／"
_PROTECT = "\x00"
_LOCAL_GOV_PHRASE_RE = re.compile(
    r"各[^、，,；;和及与]{1,6}?(?:、(?:省直管|设区)?[市县区州旗](?:[（(][市县区旗、，,]+[）)])?)+(?:人民政府|政府)?"
)
_SOFT_SEP_RE = re.compile("以及|和|及|与|同")
_UNIT_END_RE = re.compile(
    r"(?:厅|局|委|办|部|会|署|行|关|院|所|处|室|政府|单位|部门|中心|公司|集团|小组|协会|联合会|总队|支队|队|站|社|团|委员会|办公室)$"
)


def _looks_like_unit(s: str) -> bool:
    return len(s) >= 2 and bool(_UNIT_END_RE.search(s))


def split_units(text: str, resolver: DepartmentResolver | None = None) -> list[str]:
    """Split a list of units written in a note into names, as written.

    '省质监局、省工商局和省商务厅' -> ['省质监局', '省工商局', '省商务厅']. Splits on 、，,；; always
    (but not inside brackets, nor in "各市、县人民政府"), and on 和/及/与 only where both sides are
    units and the whole is not one (人力资源和社会保障厅, 文化和旅游厅 stay whole). A trailing
    等 / 等相关部门 is removed from each name.
    """
    resolver = resolver or DepartmentResolver.default()
    text = unicodedata.normalize("NFC", text or "").strip()
    # "各市、县人民政府" is one collective unit: shield its enumeration comma from splitting.
    text = _LOCAL_GOV_PHRASE_RE.sub(lambda m: m.group(0).replace("、", _PROTECT), text)
    parts = split_outside_brackets(text, _HARD_SEPS, opens="（(【[", closes="）)】]")
    merged = [p.strip().replace(_PROTECT, "、") for p in parts]

    out: list[str] = []
    for p in merged:
        out.extend(_split_soft(p, resolver))
    cleaned = []
    for p in out:
        p = p.strip(" \t\u3000")
        p = _TRAILING_ETC_RE.sub("", p) or p
        if p:
            cleaned.append(p)
    return cleaned


def _split_soft(part: str, resolver: DepartmentResolver) -> list[str]:
    if not _SOFT_SEP_RE.search(part):
        return [part]
    whole = resolver.resolve(part)
    if whole is not None and _collective(_clean(part)) is None:
        return [part]  # a known name that contains 和/与 (人力资源和社会保障厅)
    # A collective match on the whole ("…办公室和成员单位") only yields to sides that resolve.
    strict = whole is not None

    def ok(s: str) -> bool:
        return resolver.resolve(s) is not None or (not strict and _looks_like_unit(s))

    for m in _SOFT_SEP_RE.finditer(part):
        left, right = part[: m.start()], part[m.end() :]
        if not left or not right or not ok(left):
            continue
        rest = _split_soft(right, resolver)
        if all(ok(r) for r in rest):
            return [left, *rest]
    return [part]
