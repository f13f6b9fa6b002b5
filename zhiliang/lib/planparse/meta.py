"""Document-level facts: 发文字号, dates, titles, issuer, year, region, level, basis."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .numerals import to_int
from .regions import level_of, local_region, province_mentions

_SPACE_PARENS = re.compile(r"[\s（）()]")
_EMPTY_PARENS = re.compile(r"[（(]\s*[）)]")
_PARENS_TAIL = re.compile(r"[（(][^（）()]*[）)]$")
_OPEN = "〔[［(（【"
_CLOSE = "〕]］)）】"
_DOCNUM_TAIL = re.compile(
    rf"[{re.escape(_OPEN)}]\s*((?:19|20)\d{{2}})\s*[{re.escape(_CLOSE)}]\s*(\d{{1,4}})\s*号"
)
_CJK = re.compile(r"[\u4e00-\u9fa5]")
# Characters that make up 机关代字 after the place abbreviation (皖|政办秘, 冀|政办字, 国|办发).
_CODE_CHARS = set("政府办发字函秘文规委厅质监联席检改财金社农工商税科教卫党组宣电明传议复通告令审")
_DATE = re.compile(
    r"((?:19|20)\d{2}|[〇○零Ｏ一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_DATE_LINE = re.compile(
    rf"^[（(]?\s*(?:成文日期[:：]?|印发日期[:：]?)?\s*{_DATE.pattern}\s*(?:印发|发布)?\s*[）)]?$"
)
_ORG_LINE = re.compile(
    r"^(?:中共)?[\u4e00-\u9fa5]{2,30}(?:人民政府|政府|办公厅|办公室|委员会|领导小组|工作组|局|厅|委|部|署|院|总局)$"
)
_NOTICE_TITLE = re.compile(r"关于.{2,}的(?:通知|通告)$")
_TITLE_WORDS = re.compile(r"计划|方案|意见|要点|安排|规划|纲要|办法|措施|细则|决定|分工|任务|工作|通知")
_NOTICE_BODY = re.compile(
    r"印发给你们|现印发|现转发|现予印发|请认真贯彻|请结合实际|请遵照执行|已经.{0,12}同意"
)
_ADDRESSEE = re.compile(r"^各.{2,}[：:]$|^.{0,40}(?:人民政府|各部门|直属机构|有关单位)[，,、].*[：:]$")
_PREAMBLE_HINT = re.compile(
    r"制定本|制订本|特制定|特制订|现提出|结合.{0,10}实际|为贯彻|为落实|为深入|根据|按照"
)
_PLAN_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?(?:行动计划|工作|重点|质量|计划|实施方案|工作要点|任务)")
_YEAR = re.compile(r"(?<![\d\-－—~～至到])((?:19|20)\d{2})\s*年(?![\d\-－—~～至到])")
_BASIS = re.compile(
    rf"《[^《》]*》(?:\s*[（(]\s*([^（）()]*?{_DOCNUM_TAIL.pattern})\s*[）)])?|[\u4e00-\u9fa5]{{1,10}}{_DOCNUM_TAIL.pattern}"
)
FIRST_LEADS = re.compile(
    r"(?:列|排|位)(?:在|于)?(?:第一|首)(?:位|个)?的?(?:单位|部门)?(?:为|是)牵头|第一(?:个|位)?(?:单位|部门)为牵头|首位为牵头|排名第一的为牵头"
)


def doc_numbers(line: str) -> list[tuple[int, int, str]]:
    """All 发文字号 in a line as (start, end, normalised) — brackets normalised to 〔〕."""
    out = []
    for m in _DOCNUM_TAIL.finditer(line):
        start = m.start()
        i = start
        while i > 0 and _CJK.match(line[i - 1]) and start - i < 14:
            i -= 1
        run = line[i:start]
        if not run:
            continue
        alone = (i == 0 or line[i - 1] in "（(【 \t\u3000") and not line[m.end() :].strip(" ）)】\u3000")
        if not (len(run) <= 6 and alone):
            # glued into running text: keep the code characters plus one place abbreviation
            j = start
            while j > i and line[j - 1] in _CODE_CHARS:
                j -= 1
            if j > i:
                j -= 1
            run = line[j:start]
            i = j
        out.append((i, m.end(), f"{run}〔{m.group(1)}〕{int(m.group(2))}号"))
    return out


def parse_date(s: str) -> str | None:
    m = _DATE.search(s)
    if not m:
        return None
    y, mo, d = to_int(m.group(1)), to_int(m.group(2)), to_int(m.group(3))
    if not y or not mo or not d or not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


# The line predicates below are pure and asked several times per header line (is_title_like
# repeats the others), so they are cached like labels.match_label.
@lru_cache(maxsize=16384)
def is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line))


@lru_cache(maxsize=16384)
def is_docnum_line(line: str) -> bool:
    nums = doc_numbers(line)
    if not nums:
        return False
    rest = line[: nums[0][0]] + line[nums[0][1] :]
    return not _SPACE_PARENS.sub("", rest)


@lru_cache(maxsize=16384)
def is_org_line(line: str) -> bool:
    return len(line) <= 40 and bool(_ORG_LINE.match(line))


@lru_cache(maxsize=16384)
def is_notice_title(line: str) -> bool:
    line = strip_parens_tail(line)
    return len(line) <= 120 and "。" not in line and bool(_NOTICE_TITLE.search(line))


@lru_cache(maxsize=16384)
def is_addressee(line: str) -> bool:
    return len(line) <= 150 and bool(_ADDRESSEE.match(line))


def is_notice_body(line: str) -> bool:
    return bool(_NOTICE_BODY.search(line))


@lru_cache(maxsize=16384)
def is_title_like(line: str) -> bool:
    if not (5 <= len(line) <= 90) or line.endswith(("。", "；", "：", ":", "，")):
        return False
    if is_date_line(line) or is_docnum_line(line) or is_addressee(line) or "。" in line:
        return False
    return bool(_TITLE_WORDS.search(line))


def is_preamble_like(line: str) -> bool:
    return line.endswith("。") and bool(_PREAMBLE_HINT.search(line))


def strip_parens_tail(line: str) -> str:
    """Drop a trailing （皖政办秘〔2016〕76号） or （此件公开发布）."""
    return _PARENS_TAIL.sub("", line).strip()


def clean_title(line: str) -> tuple[str, str | None]:
    """Remove scraping junk (an embedded 发文字号) from a title; return (title, doc_number)."""
    number = None
    for start, end, norm in reversed(doc_numbers(line)):
        number = number or norm
        line = line[:start] + line[end:]
    line = _EMPTY_PARENS.sub("", line).strip()
    line = line.strip("《》 \u3000")
    return line, number


def year_of(*texts: str | None) -> int | None:
    for t in texts:
        if not t:
            continue
        m = _YEAR.search(t)
        if m:
            return int(m.group(1))
    return None


def plan_year(title, notice_title, preamble, date, basis, body) -> int | None:
    y = year_of(title, notice_title)
    if y:
        return y
    m = _PLAN_YEAR.search(preamble or "")
    if m:
        return int(m.group(1))
    if date:
        return int(date[:4])
    years = Counter(int(m.group(1)) for m in _YEAR.finditer(body or ""))
    return years.most_common(1)[0][0] if years else None


def region_of(title, notice_title, issuer, text) -> tuple[str | None, str | None]:
    """(region, level). Named sources first, then the most-mentioned province in the text."""
    for s in (title, issuer, notice_title):
        if not s:
            continue
        pos, r = next(province_mentions(s), (None, None))
        if r and (pos == 0 or s is title):
            return r, level_of(r)
        local = local_region(s)
        if local:
            return local, level_of(local)
        if s.startswith(("国务院", "国家")) or "国务院办公厅关于" in s[:12]:
            return "全国", "national"
    counts = Counter(r for _, r in province_mentions(text or ""))
    if counts:
        r = counts.most_common(1)[0][0]
        return r, level_of(r)
    for pattern, level in _SELF_REFERENCES:
        if pattern.search(text or ""):
            return None, level
    return None, None


_SELF_REFERENCES = (
    (re.compile(r"我省|全省"), "province"),
    (re.compile(r"我市|全市"), "city"),
    (re.compile(r"我县|全县"), "county"),
)


def basis_of(preamble: str) -> list[str]:
    out: list[str] = []
    all_nums = doc_numbers(preamble)
    for m in _BASIS.finditer(preamble):
        s = m.group(0)
        if s.startswith("《"):
            nums = doc_numbers(m.group(1) or "") if m.group(1) else []
            item = nums[0][2] if nums else s[: s.index("》") + 1]
        else:
            item = next((n for _, e, n in all_nums if e == m.end()), None)
            if item is None:
                continue
        if item not in out:
            out.append(item)
    return out


def issuer_from_notice(notice_title: str | None) -> str | None:
    if not notice_title or "关于" not in notice_title:
        return None
    head = notice_title.split("关于", 1)[0]
    return head if 2 <= len(head) <= 40 else None
