"""Unified social credit code (统一社会信用代码, GB 32100-2015) validation. Pure Python, no Django.

An 18-character code: registration department (pos 1), category (pos 2), the registering authority's
GB/T 2260 area code (pos 3–8), the GB 11714 organisation code with its own check character (pos 9–17),
and the GB 32100 mod-31 check character (pos 18). See domain.md §1.

Platform rule (domain.md §1.5): a wrong length, character set or area code is an error; a failed
outer check (pos 18) on a code whose organisation-code check (pos 17) passes is a *warning* (early
pilot codes such as ``91350100M0001TGQXM`` are legally valid and in real use), which an authorised
user may accept.

>>> validate_uscc("91350100M000100Y43").valid
True
>>> validate_uscc("91350100M0001TGQXM").warnings[0][:6]
'第18位校验码'
>>> compute_check_char("91350100M000100Y4")
'3'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 3^(i-1) mod 31, i = 1..17

ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714 附录A: A=10 … Z=35 (not the GB 32100 values)
ORG_VALUE = {c: i for i, c in enumerate(ORG_CHARSET)}
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]  # 2^(9-i) mod 11, i = 1..8

# GB/T 2260 province-level prefixes (first two digits of pos 3–8); "10" is national registration (100000).
PROVINCE_PREFIXES: dict[str, str] = {
    "10": "全国",
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

# GB 32100-2015 表: 登记管理部门码 → allowed 机构类别码 (domain.md §1.3). Later additions may exist,
# so an unknown pair is a warning, not an error.
DEPARTMENT_CATEGORIES: dict[str, tuple[str, str]] = {
    "1": ("机构编制", "1239"),
    "2": ("外交", "19"),
    "3": ("司法行政", "123459"),
    "4": ("文化", "19"),
    "5": ("民政", "1239"),
    "6": ("旅游", "129"),
    "7": ("宗教", "129"),
    "8": ("工会", "19"),
    "9": ("工商", "123"),
    "A": ("中央军委改革和编制办公室", "19"),
    "N": ("农业", "1239"),
    "Y": ("其他", "1"),
}

LENGTH = 18


@dataclass(frozen=True)
class UsccResult:
    """The outcome of :func:`validate_uscc`. ``valid`` means no errors; warnings still need a human."""

    input: str
    normalized: str
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    uscc_check_ok: bool | None = None  # None when the structure was too broken to compute it
    org_check_ok: bool | None = None
    expected_check_char: str = ""
    expected_org_check_char: str = ""
    parts: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def is_pilot_code(self) -> bool:
        """Well-formed, organisation-code check passes, outer check fails (early pilot codes)."""
        return self.valid and self.uscc_check_ok is False and bool(self.org_check_ok)

    @property
    def region_prefix(self) -> str:
        return self.parts.get("region", "")

    def summary(self) -> str:
        """One Chinese line: 有效 / 有效（提示：…） / 无效：…"""
        if self.errors:
            return "无效：" + "；".join(self.errors)
        if self.warnings:
            return "有效（需人工确认）：" + "；".join(self.warnings)
        return "有效"


def normalize(code: str) -> str:
    """Strip spaces and hyphens, turn full-width characters into ASCII, upper-case.

    >>> normalize(" ９１３５０１００Ｍ０００１００Ｙ４３ ")
    '91350100M000100Y43'
    """
    text = unicodedata.normalize("NFKC", code or "")
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def compute_check_char(first17: str) -> str:
    """GB 32100-2015 check character (pos 18) for the first 17 characters."""
    if len(first17) != 17 or any(c not in USCC_VALUE for c in first17):
        raise ValueError("需要17位合法字符")
    total = sum(USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714-1997 check character for an 8-character organisation-code body."""
    if len(body8) != 8 or any(c not in ORG_VALUE for c in body8):
        raise ValueError("需要8位数字或大写字母")
    total = sum(ORG_VALUE[c] * w for c, w in zip(body8, ORG_WEIGHTS))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def make_uscc(department: str, category: str, region6: str, org8: str) -> str:
    """Build a code that passes both checks (for fixtures and tests)."""
    first17 = department + category + region6 + org8 + org_code_check_char(org8)
    return first17 + compute_check_char(first17)


def validate_uscc(code: str) -> UsccResult:
    """Check length, character set, area code and both check characters; see the module docstring."""
    normalized = normalize(code)
    errors: list[str] = []
    warnings: list[str] = []

    if not normalized:
        return UsccResult(input=code, normalized=normalized, errors=("代码为空",))
    if len(normalized) != LENGTH:
        errors.append(f"长度应为18位，实际为{len(normalized)}位")
    bad = [(i + 1, c) for i, c in enumerate(normalized) if c not in USCC_VALUE]
    for position, char in bad[:5]:
        hint = "（不使用I、O、S、V、Z）" if char in "IOSVZ" else ""
        errors.append(f"第{position}位“{char}”不是合法字符{hint}")
    if len(bad) > 5:
        errors.append(f"另有{len(bad) - 5}个不合法字符")
    if errors:
        return UsccResult(input=code, normalized=normalized, errors=tuple(errors))

    department, category, region, org8, org_check, check = (
        normalized[0],
        normalized[1],
        normalized[2:8],
        normalized[8:16],
        normalized[16],
        normalized[17],
    )
    parts = {"department": department, "category": category, "region": region, "org_code": normalized[8:17]}

    if not region.isdigit():
        position = next(i for i, c in enumerate(region) if not c.isdigit()) + 3
        errors.append(f"第3–8位登记管理机关行政区划码应为数字，第{position}位为“{normalized[position - 1]}”")
    elif region[:2] not in PROVINCE_PREFIXES:
        errors.append(f"第3–4位“{region[:2]}”不是有效的省级行政区划代码（GB/T 2260）")
    elif region[:2] == "10" and region != "100000":
        errors.append(f"第3–8位“{region}”不是有效的行政区划代码（全国性登记应为100000）")

    known = DEPARTMENT_CATEGORIES.get(department)
    if known is None:
        warnings.append(f"第1位登记管理部门码“{department}”不在GB 32100-2015编码表中")
    elif category not in known[1]:
        warnings.append(f"第2位机构类别码“{category}”不在登记管理部门“{known[0]}”的类别中")

    expected_org = org_code_check_char(org8)
    org_ok = expected_org == org_check
    expected = compute_check_char(normalized[:17])
    uscc_ok = expected == check

    if not uscc_ok and org_ok:
        warnings.append(
            f"第18位校验码应为“{expected}”，实际为“{check}”；第17位组织机构代码校验正确，"
            "可能是早期试点代码，须经人工确认后方可登记"
        )
    elif not uscc_ok:
        errors.append(f"第18位校验码应为“{expected}”，实际为“{check}”")
        errors.append(f"第17位组织机构代码校验码应为“{expected_org}”，实际为“{org_check}”")
    elif not org_ok:
        warnings.append(
            f"第17位组织机构代码校验码应为“{expected_org}”，实际为“{org_check}”（第18位校验正确）"
        )

    return UsccResult(
        input=code,
        normalized=normalized,
        errors=tuple(errors),
        warnings=tuple(warnings),
        uscc_check_ok=uscc_ok,
        org_check_ok=org_ok,
        expected_check_char=expected,
        expected_org_check_char=expected_org,
        parts=parts,
    )
