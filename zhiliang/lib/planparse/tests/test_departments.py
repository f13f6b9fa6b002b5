"""Tests for zhiliang.lib.planparse.departments (pure: no Django, no database)."""

import csv
import json
from pathlib import Path

import pytest

from zhiliang.lib.planparse.departments import DepartmentInfo, DepartmentResolver, split_units

GOLD = Path("/work/shared/gold/seeds.json")
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def resolver():
    return DepartmentResolver.default()


def _gold_pairs():
    if not GOLD.exists():
        return []
    pairs = {}

    def walk(node, region):
        if isinstance(node, dict):
            region = node.get("region", region)
            if "name" in node and "department" in node:
                pairs[(node["name"], region)] = node["department"]
            for value in node.values():
                walk(value, region)
        elif isinstance(node, list):
            for value in node:
                walk(value, region)

    walk(json.loads(GOLD.read_text(encoding="utf-8")), None)
    return sorted(pairs.items())


GOLD_PAIRS = _gold_pairs()


@pytest.mark.skipif(not GOLD_PAIRS, reason="gold seeds not available")
@pytest.mark.parametrize(("key", "code"), GOLD_PAIRS, ids=[f"{n}" for (n, _), _ in GOLD_PAIRS])
def test_it_resolves_every_gold_name(resolver, key, code):
    name, region = key
    assert resolver.resolve(name, region=region, prefix="省") == code
    assert resolver.resolve(name) == code  # context is a help, not a requirement, for these


def test_default_is_cached():
    assert DepartmentResolver.default() is DepartmentResolver.default()


def test_bundled_csv_matches_the_reference_table():
    with open(DATA / "departments.csv", encoding="utf-8") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    assert len(codes) == len(set(codes)) > 50
    assert set(DepartmentResolver.default().codes) == set(codes)


def test_department_returns_the_row(resolver):
    info = resolver.department("QTS")
    assert isinstance(info, DepartmentInfo)
    assert info.canonical_name == "省质量技术监督局"
    assert "省质监局" in info.aliases
    assert "质检总局" in info.national_forms
    assert info.successor_2018 == "省市场监督管理局"
    assert info.kind == "department"
    with pytest.raises(KeyError):
        resolver.department("NOPE")


def test_from_csv_reads_a_custom_table(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "code,kind,canonical_name,aliases,national_forms,successor_2018,notes\n"
        "QTS,department,省质量技术监督局,省质监局|质监局,质检总局,省市场监督管理局,\n",
        encoding="utf-8",
    )
    r = DepartmentResolver.from_csv(path)
    assert r.resolve("合肥市质监局") == "QTS"
    assert r.resolve("省工商局") is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # level prefixes
        ("省质监局", "QTS"),
        ("市质监局", "QTS"),
        ("县质监局", "QTS"),
        ("区质监局", "QTS"),
        ("自治区质监局", "QTS"),
        ("州质监局", "QTS"),
        # place-named forms
        ("安徽省质监局", "QTS"),
        ("合肥市质监局", "QTS"),
        ("新疆维吾尔自治区质监局", "QTS"),
        ("伊犁州质监局", "QTS"),
        ("杭州市市场监管局", "MARKET"),
        # full formal and abbreviated names
        ("省发展和改革委员会", "DRC"),
        ("省质量技术监督局", "QTS"),
        ("省食品药品监督管理局", "FDA"),
        ("省人民政府国有资产监督管理委员会", "SASAC"),
        ("省人民政府办公厅", "GOV_OFFICE"),
        ("省工信厅", "EIC"),
        ("省质量强省工作领导小组办公室", "QUALITY_OFFICE"),
        # post-2018 names, through the successor column when exactly one body matches
        ("省市场监管局", "MARKET"),
        ("省市场监督管理局", "MARKET"),
        ("省生态环境厅", "ENV"),
        ("省农业农村厅", "AGRI"),
        ("省卫生健康委", "HEALTH"),
        ("省卫生健康委员会", "HEALTH"),
        ("省自然资源厅", "LAND"),
        ("省应急管理厅", "SAFETY"),
        ("省药品监督管理局", "FDA"),
        ("省地方金融监督管理局", "FIN_OFFICE"),
        ("省粮食和物资储备局", "GRAIN"),
        ("省经济和信息化厅", "EIC"),
        ("省林业局", "FORESTRY"),
        ("国家税务总局安徽省税务局", "TAX"),
        ("省农村农业厅", "AGRI"),  # typo seen in a real text
        # national ministries
        ("国家发展改革委", "DRC"),
        ("发展改革委", "DRC"),
        ("工业和信息化部", "EIC"),
        ("质检总局", "QTS"),
        ("国家质检总局", "QTS"),
        ("国家市场监督管理总局", "MARKET"),
        ("市场监管总局", "MARKET"),
        ("海关总署", "CUSTOMS"),
        ("国务院办公厅", "GOV_OFFICE"),
        # vertical agencies named after a province or city
        ("安徽银监局", "CBRC"),
        ("陕西出入境检验检疫局", "CIQ"),
        ("合肥海关", "CUSTOMS"),
        ("乌鲁木齐海关", "CUSTOMS"),
        ("人行合肥中心支行", "PBOC"),
        ("中国人民银行合肥中心支行", "PBOC"),
        ("人民银行西安分行", "PBOC"),
        ("太原铁路局", "RAILWAY"),
        ("安徽保监局", "CIRC"),
        ("浙江证监局", "CSRC"),
        ("省通信管理局", "TELECOM"),
        ("江西省通信管理局", "TELECOM"),
        # party and associations
        ("中共安徽省委宣传部", "PROPAGANDA"),
        ("共青团安徽省委", "YOUTH"),
        ("省消保委", "CONSUMER"),
        # collective units
        ("省质量工作领导小组成员单位", "GROUP_MEMBERS"),
        ("各成员单位", "GROUP_MEMBERS"),
        ("质量强市工作领导小组其他成员单位", "GROUP_MEMBERS"),
        ("各市、县人民政府", "LOCAL_GOVS"),
        ("各市人民政府", "LOCAL_GOVS"),
        ("各地", "LOCAL_GOVS"),
        ("各县（市、区）人民政府", "LOCAL_GOVS"),
        ("各县(市、区)人民政府", "LOCAL_GOVS"),
        ("各设区市人民政府", "LOCAL_GOVS"),
        ("有关部门", "RELEVANT_DEPTS"),
        ("各有关部门", "RELEVANT_DEPTS"),
        ("省直有关部门", "RELEVANT_DEPTS"),
        ("各相关部门", "RELEVANT_DEPTS"),
        ("省政府各部门", "RELEVANT_DEPTS"),
        # width, whitespace and trailing 等
        ("省质监局等", "QTS"),
        ("省质监局等相关部门", "QTS"),
        ("省质监局等单位", "QTS"),
        (" 省 质监局 ", "QTS"),
        ("省质监局（省质量强省办）", "QTS"),
        ("省质监局(省质量强省办)", "QTS"),
    ],
)
def test_it_resolves_names_in_context(resolver, name, code):
    assert resolver.resolve(name) == code


@pytest.mark.parametrize(
    "name",
    [
        "省文化和旅游厅",  # successor of both CULTURE and TOURISM
        "文化和旅游厅",
        "国家金融监督管理总局安徽监管局",  # successor of both CBRC and CIRC
        "省气象局",
        "省能源局",
        "省外汇管理局",
        "省质量技术监督局稽查总队",
        "监局",
        "局",
        "省",
        "国家",
        "各部门",
        "",
        "   ",
        "欢迎访问",
    ],
)
def test_it_returns_none_for_unknown_or_ambiguous_names(resolver, name):
    assert resolver.resolve(name) is None


def test_it_uses_the_prefix_of_an_earlier_unit(resolver):
    assert resolver.resolve("工商局", prefix="省") == "AIC"
    assert resolver.resolve("经济和信息化委", prefix="省") == "EIC"
    assert resolver.resolve("经济和信息化委", level="province") == "EIC"
    assert resolver.resolve("经济和信息化委") == "EIC"


def test_it_strips_the_plan_region_even_when_not_in_the_place_list(resolver):
    assert resolver.resolve("示范市质监局") is None
    assert resolver.resolve("示范市质监局", region="示范市") == "QTS"
    assert resolver.resolve("示范银监局", region="示范省") == "CBRC"


def test_it_normalises_full_width_characters(resolver):
    assert resolver.resolve("ＸＸ省质监局") is None
    assert resolver.resolve("省质监局　") == "QTS"


@pytest.mark.parametrize(
    ("name", "kwargs", "code"),
    [
        # city and county bureaus mirror the provincial departments
        ("市科技局", {}, "SCI"),
        ("杭州市科技局", {"region": "杭州市", "level": "city"}, "SCI"),
        ("县农业农村局", {}, "AGRI"),
        ("县住建局", {}, "HOUSING"),
        ("市经信局", {}, "EIC"),
        # abbreviations the table does not list in every combination
        ("市人力社保局", {}, "HRSS"),
        ("区人社局", {}, "HRSS"),
        ("市市监局", {}, "MARKET"),
        # a bare name in a city plan, or after a city-level unit
        ("科技局", {"level": "city"}, "SCI"),
        ("科技局", {"prefix": "市"}, "SCI"),
        # a sub-office is resolved through the parent it is named after
        ("人行成都分行营业管理部", {}, "PBOC"),
    ],
)
def test_it_maps_local_offices_to_the_provincial_department(resolver, name, kwargs, code):
    assert resolver.resolve(name, **kwargs) == code


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("科技局", {"level": "province"}),  # a provincial plan's bare name is not a 厅 of the same name
        ("市气象局", {}),  # no provincial counterpart in the table
        ("市文化和旅游局", {}),  # successor of two bodies
        ("市卫健局", {}),  # 卫生健康委 is not spelled as a 厅/局
    ],
)
def test_local_mapping_never_guesses(resolver, name, kwargs):
    assert resolver.resolve(name, **kwargs) is None


def test_local_mapping_returns_none_when_candidates_disagree(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "code,kind,canonical_name,aliases,national_forms,successor_2018,notes\n"
        "A,department,省人力资源社会保障厅,,,,\n"
        "B,department,省人社厅,,,,\n",
        encoding="utf-8",
    )
    r = DepartmentResolver.from_csv(path)
    assert r.resolve("省人力资源社会保障厅") == "A"
    assert r.resolve("省人社厅") == "B"
    assert r.resolve("市人社局") is None  # 省人社厅 (B) or, spelled out, 省人力资源社会保障厅 (A)


def test_resolutions_are_cached_per_context(resolver):
    assert resolver.resolve("市科技局", region="杭州市", level="city") == "SCI"
    hits = resolver._cached.cache_info().hits
    assert resolver.resolve("市科技局", region="杭州市", level="city") == "SCI"
    assert resolver._cached.cache_info().hits == hits + 1


def test_no_alias_of_the_2016_table_is_shared_between_codes(resolver):
    clashes = {k: v for k, v in resolver._tiers[0].items() if len(v) > 1}
    assert clashes == {}


# --------------------------------------------------------------------------- split_units


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("省质监局、省工商局和省商务厅", ["省质监局", "省工商局", "省商务厅"]),
        ("省质监局，工商局及商务厅", ["省质监局", "工商局", "商务厅"]),
        ("省质监局与省工商局", ["省质监局", "省工商局"]),
        ("省人力资源和社会保障厅、住房和城乡建设厅", ["省人力资源和社会保障厅", "住房和城乡建设厅"]),
        ("省经济和信息化委员会和省卫生和计划生育委员会", ["省经济和信息化委员会", "省卫生和计划生育委员会"]),
        ("省文化和旅游厅及省海洋与渔业厅", ["省文化和旅游厅", "省海洋与渔业厅"]),
        ("各市、县人民政府和省直有关部门", ["各市、县人民政府", "省直有关部门"]),
        ("省发展改革委、各县（市、区）人民政府", ["省发展改革委", "各县（市、区）人民政府"]),
        ("各市、县（市、区）人民政府，省直各有关部门", ["各市、县（市、区）人民政府", "省直各有关部门"]),
        ("省质监局、工商局等", ["省质监局", "工商局"]),
        ("省质监局、省卫生计生委等相关部门", ["省质监局", "省卫生计生委"]),
        ("省质量工作领导小组办公室和成员单位", ["省质量工作领导小组办公室", "成员单位"]),
        ("省质量与名牌战略领导小组成员单位", ["省质量与名牌战略领导小组成员单位"]),
        ("示范集团公司和示范检测中心", ["示范集团公司", "示范检测中心"]),
        ("", []),
    ],
)
def test_split_units(text, parts):
    assert split_units(text) == parts
