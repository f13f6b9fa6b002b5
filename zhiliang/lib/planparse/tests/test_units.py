"""Unit tests: numerals, labels, document numbers, dates, notes, deadlines, targets."""

import pytest

from zhiliang.lib.planparse.deadlines import find_deadlines
from zhiliang.lib.planparse.labels import match_label
from zhiliang.lib.planparse.meta import basis_of, clean_title, doc_numbers, parse_date
from zhiliang.lib.planparse.notes import find_notes, parse_note, split_units
from zhiliang.lib.planparse.numerals import cn_to_int
from zhiliang.lib.planparse.targets import find_targets


@pytest.mark.parametrize(
    ("s", "n"), [("十", 10), ("十三", 13), ("二十", 20), ("一百零五", 105), ("二〇一六", 2016), ("３", 3)]
)
def test_numerals(s, n):
    assert cn_to_int(s) == n


@pytest.mark.parametrize(
    ("line", "level", "label", "number"),
    [
        ("一、总体要求", 1, "一、", 1),
        ("十二、其他", 1, "十二、", 12),
        ("（三）加强监管。", 2, "（三）", 3),
        ("(三)加强监管", 2, "(三)", 3),
        ("3.开展活动", 3, "3.", 3),
        ("3．开展活动", 3, "3．", 3),
        ("12、开展活动", 3, "12、", 12),
        ("（4）开展活动", 4, "（4）", 4),
        ("②开展活动", 5, "②", 2),
    ],
)
def test_labels(line, level, label, number):
    lab = match_label(line)
    assert (lab.level, lab.text, lab.number) == (level, label, number)


@pytest.mark.parametrize("line", ["1.5倍以上", "2016年工作要点", "一是加强监管", "十三五期间"])
def test_not_labels(line):
    assert match_label(line) is None


@pytest.mark.parametrize(
    ("text", "norm"),
    [
        ("皖政办秘〔2016〕76号", "皖政办秘〔2016〕76号"),
        ("黔府发[2015]15号", "黔府发〔2015〕15号"),
        ("吉政发(2012)27号", "吉政发〔2012〕27号"),
        ("（苏政发［2016］5号）", "苏政发〔2016〕5号"),
        ("根据国办发〔2016〕18号文件精神", "国办发〔2016〕18号"),
    ],
)
def test_doc_numbers(text, norm):
    assert doc_numbers(text)[0][2] == norm


def test_doc_number_glued_into_title():
    assert clean_title("某某省推进质量建设鲁政办字〔2016〕9号2016年实施方案") == (
        "某某省推进质量建设2016年实施方案",
        "鲁政办字〔2016〕9号",
    )


@pytest.mark.parametrize(
    ("s", "date"),
    [
        ("2016年5月24日", "2016-05-24"),
        ("二〇一六年五月二十日", "2016-05-20"),
        ("二○一七年十二月三十一日", "2017-12-31"),
    ],
)
def test_dates(s, date):
    assert parse_date(s) == date


def test_basis():
    text = "为落实《某某纲要（2011-2020年）》和《关于某事的通知》（国办发[2016]18号）精神，根据苏政发〔2015〕3号要求，制定本方案。"
    assert basis_of(text) == ["《某某纲要（2011-2020年）》", "国办发〔2016〕18号", "苏政发〔2015〕3号"]


def roles(note):
    return [(r.name, r.role) for r in note.responsible]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("省质监局、省工商局按职责分工负责", [("省质监局", "shared"), ("省工商局", "shared")]),
        ("省质监局、省工商局按职责分工分别负责", [("省质监局", "shared"), ("省工商局", "shared")]),
        ("省质监局负责", [("省质监局", "lead")]),
        (
            "省质监局、省工商局负责，省商务厅协助",
            [("省质监局", "lead"), ("省工商局", "lead"), ("省商务厅", "assist")],
        ),
        (
            "省质监局牵头，省商务厅、省财政厅配合",
            [("省质监局", "lead"), ("省商务厅", "assist"), ("省财政厅", "assist")],
        ),
        ("由省质监局牵头，各成员单位按职责分工负责", [("省质监局", "lead"), ("各成员单位", "assist")]),
        (
            "牵头单位：省质监局；配合单位：省商务厅、省财政厅",
            [("省质监局", "lead"), ("省商务厅", "assist"), ("省财政厅", "assist")],
        ),
        ("责任单位：省质监局", [("省质监局", "lead")]),
        ("责任单位：省质监局、省商务厅", [("省质监局", "shared"), ("省商务厅", "shared")]),
        ("省质监局、省商务厅", [("省质监局", "shared"), ("省商务厅", "shared")]),
        ("省科技厅等有关部门按职责分工负责", [("省科技厅", "shared")]),
        ("各市、县人民政府负责", [("各市、县人民政府", "lead")]),
        ("省质监局和省工商局负责", [("省质监局", "shared"), ("省工商局", "shared")]),
        ("省人力资源和社会保障厅负责", [("省人力资源和社会保障厅", "lead")]),
    ],
)
def test_note_roles(content, expected):
    assert roles(parse_note(content, 2016)) == expected


@pytest.mark.parametrize(
    "content", ["APP", "以下简称省质量办", "2011-2020年", "试行", "质量管理小组开展活动"]
)
def test_not_notes(content):
    note = parse_note(content, 2016)
    assert note is None or not note.responsible


def test_note_with_time_limit():
    note = parse_note("省质监局负责，2016年9月底前完成", 2016)
    assert roles(note) == [("省质监局", "lead")]
    assert [(d.text, d.date) for d in note.deadlines] == [("2016年9月底前", "2016-09-30")]


def test_prefix_carried_from_first_unit():
    note = parse_note("省质监局、工商局、科技厅按职责分工负责", 2016)
    assert [(r.name, r.prefix) for r in note.responsible] == [
        ("省质监局", None),
        ("工商局", "省"),
        ("科技厅", "省"),
    ]


def test_split_units_keeps_collectives():
    assert split_units("各市、县（市、区）人民政府，省有关部门") == [
        "各市、县（市、区）人民政府",
        "省有关部门",
    ]


def test_find_notes_skips_mid_sentence_parentheses():
    text = "开展QC小组（质量管理小组）、岗位练兵等活动。（省质监局负责）"
    spans = find_notes(text, 2016)
    assert len(spans) == 1 and text[spans[0].start : spans[0].end] == "（省质监局负责）"


def test_sentence_note():
    spans = find_notes("加强农产品监管。省农业厅、卫生厅、质监局负责落实。", 2016)
    assert [r.name for r in spans[0].note.responsible] == ["省农业厅", "卫生厅", "质监局"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("年内完成", "2016-12-31"),
        ("年度内新增", "2016-12-31"),
        ("三季度完善", "2016-09-30"),
        ("第一季度前", "2016-03-31"),
        ("上半年", "2016-06-30"),
        ("下半年", "2016-12-31"),
        ("6月底前", "2016-06-30"),
        ("10月中旬前", "2016-10-20"),
        ("2017年9月30日前", "2017-09-30"),
        ("2018年底前", "2018-12-31"),
        ("九月底前", "2016-09-30"),
    ],
)
def test_deadlines(text, date):
    (d,) = [d for _, _, d in find_deadlines(text, 2016)]
    assert d.date == date and not d.recurring


@pytest.mark.parametrize("text", ["5月20日世界计量日", "三年内", "2016年全省完成投资", "持续推进质量提升"])
def test_not_deadlines(text):
    assert find_deadlines(text, 2016) == []


def test_ongoing_only_in_notes():
    (d,) = [d for _, _, d in find_deadlines("长期坚持", 2016, ongoing=True)]
    assert (d.date, d.recurring) == (None, True)


def test_targets():
    ts = find_targets(
        "年度内新增名牌产品170个、著名商标400件，合格率达到95.5%以上，不超过3起，首批14个基地，等6个中心。"
    )
    assert [(t.subject, t.value, t.unit, t.comparator) for t in ts] == [
        ("名牌产品", 170, "个", "="),
        ("著名商标", 400, "件", "="),
        ("合格率", 95.5, "%", ">="),
    ]
    assert ts[1].text == "新增著名商标400件"


def test_target_number_first_and_breakdown():
    (t,) = find_targets("培育200家品牌示范企业开拓市场。")
    assert (t.subject, t.value, t.unit) == ("品牌示范企业", 200, "家")
    (t,) = find_targets("建成示范点50个，其中宁波市20个、温州市12个。")
    assert t.breakdown == [{"region": "宁波市", "value": 20}, {"region": "温州市", "value": 12}]


@pytest.mark.parametrize("text", ["此项工作长期坚持。", "标准化试点工作持续推进。"])
def test_unmistakable_ongoing_wording_in_running_text(text):
    (d,) = [d for _, _, d in find_deadlines(text, 2016)]
    assert (d.date, d.recurring) == (None, True)


# --------------------------------------------------------------------------- regions (one table)


def test_regions_come_from_the_shared_csv():
    import csv

    from zhiliang.lib.planparse.regions import REGIONS_CSV, level_of, province_of

    with open(REGIONS_CSV, encoding="utf-8-sig", newline="") as f:
        provinces = [r for r in csv.DictReader(f) if r["level"] == "province"]
    assert len(provinces) >= 31
    for row in provinces:
        assert province_of(f"关于{row['short']}质量工作") == row["name"]
        assert province_of(row["name"]) == row["name"]
        assert level_of(row["name"]) == "province"
    assert level_of("上海市") == "province"
    assert level_of("杭州市") == "city"
    assert level_of("桐庐县") == "county"


def test_resolver_and_parser_read_the_same_regions_table():
    from zhiliang.lib.planparse import departments, regions

    places = departments._load_places(regions.REGIONS_CSV)
    assert "内蒙古自治区" in places and "乌鲁木齐" in places
    assert departments._load_places("/nonexistent/regions.csv") == []
