"""Numeric targets: 新增安徽名牌170个, 合格率达到93%以上, 其中杭州市22个、宁波市20个."""

from __future__ import annotations

import re

from .model import Target

# Units may be several characters (批次, 家次, 个百分点, 万人); longer forms are tried first so
# that 以上 after 批次 is still read as the comparator.
_UNIT_LIST = (
    "个百分点|亿元|万元|万吨|万千瓦|万人次|人次|万人|万户|万家|万个|万件|万亩|平方米|公里|千米|家次"
    "|批次|户次|场次|%|％|个|家|件|项|所|座|名|人|次|批|条|种|户|亩|吨|场|期|部|套|台|元|倍"
).split("|")
_UNITS = "|".join(sorted(_UNIT_LIST, key=len, reverse=True))
_VERB = (
    "新增|培育|创建|打造|建成|建设|完成|认定|评选|争创|新建|培养|发展|实现|引进|举办|制修订|修订|制定"
    "|抽查|抽检|检验|扶持|支持|遴选支持|遴选|累计|培训|推广|组建|创建|认证|帮扶|达标|开展|组织"
    "|推动|评出|建立"
)
_CMP_BEFORE = (
    "不低于|不少于|不超过|达到|超过|突破|控制在|低于|高于|提高到|提高至|提升至|提升到|增长|下降|保持在|达"
)
# A number starts where no digit or dot stands before it (a match inside 2016.5 or 12 is no
# target); units never start with a digit, dot or space, so the digits need no backtracking.
_TARGET = re.compile(
    rf"(?P<num>\d(?<![\d.].)\d*+(?:\.\d++)?)\s*(?P<unit>{_UNITS})(?P<cmp2>及以上|以上|左右|以下|以内)?"
)
_HAS_DIGIT = re.compile(r"\d")
_CMP1 = re.compile(rf"(?:{_CMP_BEFORE})\s*$")
_DELIM = "，,。；;：:、（）()\n"
_SKIP_BEFORE = re.compile(r"(?:等|首批|第|前|近|这|该|每|约|共计?|其中|[\d.])$")
_LEAD_WORDS = re.compile(r"^(?:(?:年度内|年内|今年|全年|力争|努力|确保|到年底|年底前|并|再|共|要)\s*)+")
# The verb opening the subject (新增, 新培育, 组织制修订): what is counted comes after it. A light
# verb (组织, 完成 …) may stand before the main one; only these chain, so a noun that starts like a
# verb stays whole (建设检验检测平台 → 检验检测平台).
_LIGHT_VERB = "组织|开展|推动|完成|累计"
_VERB_HEAD = re.compile(rf"^(?:(?:{_LIGHT_VERB})?新?(?:{_VERB})|(?:{_LIGHT_VERB}))")
# A sub-item label opening the clause (1.建成…, （2）新增…) is not part of the phrase.
_ITEM_LABEL = re.compile(r"^\s*(?:\d{1,2}[.．、](?!\d)|[（(](?:[一二三四五六七八九十]{1,3}|\d{1,2})[）)])\s*")
_AFTER_SUBJ_CUT = re.compile(r"开拓|开展|参与|进行|实现|参加|走出去|申报|通过|纳入|落户|入选|[，,。；;、（(]")
_BREAKDOWN_AT = re.compile(r"[，,（(]?\s*其中[，,：:]?")  # tried with match(text, pos)
_BD_ITEM = re.compile(r"(?P<region>[\u4e00-\u9fa5]{2,10}?(?:市|县|区|州|省|盟|旗))\s*(?P<v>\d+(?:\.\d+)?)")
_GE = {
    "不低于",
    "不少于",
    "达到",
    "超过",
    "突破",
    "高于",
    "提高到",
    "提高至",
    "提升至",
    "提升到",
    "达",
    "以上",
    "及以上",
}
_LE = {"不超过", "控制在", "低于", "以下", "以内"}


def _num(s: str) -> int | float:
    f = float(s)
    return int(f) if f.is_integer() else f


def find_targets(text: str) -> list[Target]:
    out: list[Target] = []
    if not _HAS_DIGIT.search(text):
        return out
    pos = 0
    last_verb = ""
    last_end = -1
    for m in _TARGET.finditer(text):
        if m.start() < pos:
            continue
        cm = _CMP1.search(text, max(0, m.start() - 6), m.start())
        cmp1 = cm.group(0).strip() if cm else ""
        num_start = cm.start() if cm else m.start()
        if _SKIP_BEFORE.search(text, max(0, num_start - 4), num_start) and not cmp1:
            continue
        after = text[m.end() : m.end() + 1]
        if m.group("unit") in ("个", "项", "次", "期") and after in "年月日季":
            continue  # 5个月, 3年
        # the clause that holds the number: just after the last delimiter before it
        k = num_start
        while k > 0 and text[k - 1] not in _DELIM:
            k -= 1
        clause = text[k:num_start]
        lm = _ITEM_LABEL.match(clause)
        if lm:
            clause = clause[lm.end() :]
        lm = _LEAD_WORDS.match(clause)
        if lm:
            clause = clause[lm.end() :]
        unit = "%" if m.group("unit") == "％" else m.group("unit")
        cmp_word = cmp1 or m.group("cmp2") or ""
        comparator = ">=" if cmp_word in _GE else "<=" if cmp_word in _LE else "="
        vm = _VERB_HEAD.match(clause)
        verb = vm.group(0) if vm else ""
        subject = clause[len(verb) :]
        if not verb and k > 0 and text[k - 1] == "、" and last_end >= 0 and k - 1 <= last_end + 2:
            verb = last_verb  # 新增A5家、B170个 — the verb carries over the list
            phrase_prefix = verb
        else:
            phrase_prefix = ""
        if not subject.strip():
            # number first: 支持200家X企业
            cut = _AFTER_SUBJ_CUT.search(text, m.end())
            subject = text[m.end() : cut.start()] if cut else text[m.end() : m.end() + 30]
            end = m.end() + len(subject)
            phrase = text[k:end]
            phrase = _LEAD_WORDS.sub("", phrase)
        else:
            end = m.end()
            phrase = phrase_prefix + clause + text[num_start : m.end()].lstrip()
        subject = subject.strip()
        if not subject:
            continue
        t = Target(phrase.strip(), subject, _num(m.group("num")), unit, comparator)
        bm = _BREAKDOWN_AT.match(text, end)
        if bm:
            seg_end = len(text)
            for ch in "。；;":
                p = text.find(ch, end, seg_end)
                if p != -1:
                    seg_end = p
            seg = text[bm.end() : seg_end]
            for im in _BD_ITEM.finditer(seg):
                t.breakdown.append({"region": im.group("region"), "value": _num(im.group("v"))})
            end = seg_end
        out.append(t)
        pos = end
        last_verb = verb
        last_end = end
    return out
