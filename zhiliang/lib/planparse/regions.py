"""Province-level areas: short forms, full names and vertical-agency place names."""

from __future__ import annotations

import re

PROVINCES = {
    "北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市",
    "河北": "河北省", "山西": "山西省", "辽宁": "辽宁省", "吉林": "吉林省", "黑龙江": "黑龙江省",
    "江苏": "江苏省", "浙江": "浙江省", "安徽": "安徽省", "福建": "福建省", "江西": "江西省",
    "山东": "山东省", "河南": "河南省", "湖北": "湖北省", "湖南": "湖南省", "广东": "广东省",
    "海南": "海南省", "四川": "四川省", "贵州": "贵州省", "云南": "云南省", "陕西": "陕西省",
    "甘肃": "甘肃省", "青海": "青海省", "台湾": "台湾省",
    "内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区",
}  # fmt: skip
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
_FULL = sorted(set(PROVINCES.values()), key=len, reverse=True)
_SHORT = sorted(PROVINCES, key=len, reverse=True)
PROVINCE_RE = re.compile("|".join(_FULL + _SHORT))
# A city or county name at the start of a title/issuer: 杭州市…, 宁国市…, 肥西县…
_LOCAL_RES = (
    re.compile(r"^([\u4e00-\u9fa5]{2,4}?(?:市|自治州|州(?!市)|盟)[\u4e00-\u9fa5]{1,4}?(?:县|区|旗|市))"),
    re.compile(r"^([\u4e00-\u9fa5]{1,6}?(?:市|县|区|旗|自治州|州(?![市县区])|盟))"),
)
_NOT_PLACE = re.compile(
    r"关于|加强|推进|贯彻|实施|质量|开展|全面|深入|城市|城区|社区|园区|景区|小区|开发区|示范区|新区|地区|辖区|全市|全县|全区"
)


def local_region(s: str) -> str | None:
    """'杭州市…' / '桐庐县…' / '杭州市西湖区…' at the start of a title or issuer."""
    for pat in _LOCAL_RES:
        m = pat.match(s)
        if m and not _NOT_PLACE.search(m.group(1)):
            return m.group(1)
    return None


def province_of(name: str) -> str | None:
    """Full province-level name mentioned in a string (first match)."""
    m = PROVINCE_RE.search(name)
    return PROVINCES.get(m.group(0), m.group(0)) if m else None


def level_of(region: str | None) -> str | None:
    if not region:
        return None
    if region == "全国":
        return "national"
    if region in MUNICIPALITIES or region.endswith(("省", "自治区")):
        return "province"
    if region.endswith(("市", "州", "盟")):
        return "city"
    return "county"
