import pytest

from zhiliang.regions.models import Region, RegionLevel
from zhiliang.regions.services import region_registry_sync, region_rows

pytestmark = pytest.mark.django_db


def test_it_loads_all_34_province_level_units():
    provinces = Region.objects.provinces()
    assert provinces.count() == 34
    assert set(provinces.values_list("code", flat=True)) >= {
        "110000",
        "330000",
        "650000",
        "710000",
        "810000",
        "820000",
    }
    assert all(p.parent_id is None for p in provinces)


def test_it_uses_real_gb2260_codes_and_short_names():
    assert Region.objects.get(code="330000").name == "浙江省"
    xinjiang = Region.objects.get(code="650000")
    assert (xinjiang.name, xinjiang.short_name) == ("新疆维吾尔自治区", "新疆")
    assert Region.objects.get(code="340000").short_name == "安徽"


def test_it_loads_the_eleven_prefecture_level_cities_of_zhejiang():
    zhejiang = Region.objects.get(code="330000")
    cities = list(zhejiang.children.order_by("code").values_list("code", "name"))
    assert len(cities) == 11
    assert cities[0] == ("330100", "杭州市")
    assert cities[-1] == ("331100", "丽水市")


@pytest.mark.parametrize(("code", "count"), [("340000", 16), ("610000", 10), ("130000", 11), ("650000", 14)])
def test_it_loads_the_prefectures_of_the_other_sample_provinces(code, count):
    region = Region.objects.get(code=code)
    assert region.children.filter(level=RegionLevel.CITY).count() == count


def test_it_links_counties_to_cities_to_provinces():
    xiaoshan = Region.objects.get(name="萧山区")
    assert xiaoshan.level == RegionLevel.COUNTY
    assert [r.name for r in xiaoshan.ancestors()] == ["杭州市", "浙江省"]


def test_it_finds_regions_by_full_or_short_name():
    assert Region.objects.by_name("安徽").code == "340000"
    assert Region.objects.by_name("杭州市").code == "330100"
    assert Region.objects.by_name("巴音郭楞蒙古自治州").code == "652800"
    assert Region.objects.by_name("不存在的地方") is None


def test_it_gives_a_province_every_region_below_it():
    hangzhou = Region.objects.get(code="330100")
    ids = Region.objects.get(code="330000").descendant_ids()
    assert hangzhou.pk in ids
    assert Region.objects.get(name="西湖区").pk in ids
    assert Region.objects.get(code="340100").pk not in ids


def test_it_keeps_codes_unique_and_parents_consistent_in_the_table():
    rows = region_rows()
    codes = [r.code for r in rows]
    assert len(codes) == len(set(codes))
    by_code = {r.code: r for r in rows}
    for row in rows:
        assert len(row.code) == 6 and row.code.isdigit()
        if row.parent_code:
            parent = by_code[row.parent_code]
            assert row.code[:2] == parent.code[:2]
            assert {"city": "province", "county": "city"}[row.level] == parent.level or row.code == "659001"


def test_it_syncs_idempotently_and_repairs_edited_rows():
    assert region_registry_sync() == 0
    Region.objects.filter(code="330100").update(name="杭州", short_name="")
    assert region_registry_sync() == 1
    assert Region.objects.get(code="330100").name == "杭州市"
