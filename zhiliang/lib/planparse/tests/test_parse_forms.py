"""End-to-end parser tests on the hand-written fixtures (one per document form)."""

from pathlib import Path

from zhiliang.lib.planparse import parse_document, parse_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def one(text: str, source: str = "t.txt"):
    plans = parse_text(text, source=source)
    assert len(plans) == 1
    return plans[0]


def resp(task):
    return [(r.name, r.role, r.department) for r in task.responsible]


def test_notice_and_plan_meta():
    p = one(load("notice_plan.txt"))
    assert p.notice_title == "浙江省人民政府办公厅关于印发浙江省标准化提升2017年行动计划的通知"
    assert p.title == "浙江省标准化提升2017年行动计划"
    assert p.issuer == "浙江省人民政府办公厅"
    assert p.doc_number == "浙政办发〔2017〕45号"  # [ ] brackets normalised
    assert p.date == "2017-03-15"  # Chinese numerals
    assert (p.year, p.region, p.level) == (2017, "浙江省", "province")
    assert p.basis == ["国发〔2015〕13号", "《浙江省标准化发展规划》"]


def test_goal_and_preamble_sections_kept_apart():
    p = one(load("notice_plan.txt"))
    kinds = [(s.title, s.kind) for s in p.sections]
    assert kinds == [
        ("总体要求", "other"),
        ("主要目标", "goals"),
        ("重点任务", "tasks"),
        ("保障措施", "other"),
    ]
    assert [t.number for t in p.tasks] == list(range(1, 8))
    goals = p.sections[1]
    assert [(t.value, t.unit, t.comparator) for t in goals.targets] == [(80, "项", ">="), (120, "个", "=")]
    assert "督查" in p.sections[3].text  # other sections keep their text


def test_note_forms():
    t = {t.label: t for t in one(load("notice_plan.txt")).tasks}
    # level prefix written on the first unit only
    assert resp(t["（一）"]) == [
        ("省质监局", "shared", "QTS"),
        ("经信委", "shared", "EIC"),
        ("商务厅", "shared", "COMMERCE"),
    ]
    # X、Y负责，Z协助 — and parentheses that are not notes
    assert resp(t["（二）"]) == [
        ("省质监局", "lead", "QTS"),
        ("省民政厅", "lead", "CIVIL"),
        ("省科协", "assist", "SCI_ASSOC"),
    ]
    assert "(APP)" in t["（二）"].text and "以下简称" in t["（二）"].text
    # X牵头，Y配合 with a time limit inside the note
    assert resp(t["（三）"]) == [
        ("省质监局", "lead", "QTS"),
        ("省财政厅", "assist", "FINANCE"),
        ("省发展改革委", "assist", "DRC"),
    ]
    assert [(d.text, d.date) for d in t["（三）"].deadlines] == [("2017年9月底前", "2017-09-30")]
    # vertical agencies named after the province or a city
    assert [r.department for r in t["（四）"].responsible] == ["CIQ", "CUSTOMS", "PBOC", "CBRC"]
    # collective units
    assert resp(t["（五）"]) == [
        ("各市、县（市、区）人民政府", "shared", "LOCAL_GOVS"),
        ("省标准化工作领导小组成员单位", "shared", "GROUP_MEMBERS"),
    ]
    # a single unit with 负责 alone leads; ongoing wording is recurring
    assert resp(t["（六）"]) == [("省人力资源社会保障厅", "lead", "HRSS")]
    assert [(d.date, d.recurring) for d in t["（六）"].deadlines] == [(None, True)]


def test_unknown_department_is_null_with_warning():
    p = one(load("notice_plan.txt"))
    t = p.tasks[6]
    assert resp(t) == [("省标准创新促进办", "lead", None)]
    assert any("省标准创新促进办" in w and "第7项任务" in w for w in p.warnings)


def test_targets_and_deadlines():
    t = {t.label: t for t in one(load("notice_plan.txt")).tasks}
    (tg,) = t["（一）"].targets
    assert (tg.value, tg.unit, tg.comparator) == (60, "个", "=")
    assert tg.breakdown == [{"region": "杭州市", "value": 15}, {"region": "宁波市", "value": 12}]
    (tg,) = t["（四）"].targets
    assert (tg.value, tg.unit, tg.comparator, tg.subject) == (92, "%", ">=", "产品抽检合格率")
    assert [(d.text, d.date) for d in t["（五）"].deadlines] == [
        ("年内", "2017-12-31"),
        ("三季度前", "2017-09-30"),
    ]
    assert [(d.text, d.date) for d in t["（七）"].deadlines] == [("上半年", "2017-06-30")]


def test_three_levels_measure_notes_and_first_listed_lead():
    p = one(load("city_levels.txt"))
    assert (p.region, p.level, p.year) == ("杭州市", "city", 2018)
    assert [(t.label, t.number) for t in p.tasks] == [
        ("（一）", 1),
        ("（二）", 2),
        ("（三）", 3),
        ("（四）", 4),
        ("（五）", 5),
    ]
    t1 = p.tasks[0]
    assert [m.label for m in t1.measures] == ["1.", "2."]
    assert [(r.name, r.role) for r in t1.measures[0].responsible] == [
        ("市市场监管局", "lead"),
        ("市经信局", "assist"),
    ]
    assert [(r.name, r.role) for r in t1.measures[1].responsible] == [("市科技局", "lead")]
    assert [r.name for r in t1.responsible] == ["市市场监管局", "市经信局", "市科技局"]  # union, first seen
    t2 = p.tasks[1]
    assert [(r.name, r.role) for r in t2.responsible] == [
        ("市市场监管局", "lead"),
        ("市商务局", "assist"),
        ("市农业农村局", "assist"),
    ]
    assert [d.date for d in t2.deadlines] == ["2018-10-31"]
    assert t2.measures[1].responsible == []
    # bare list under "列第一位的为牵头单位"
    assert [(r.name, r.role) for r in p.tasks[2].responsible][:2] == [
        ("市市场监管局", "lead"),
        ("市发改委", "assist"),
    ]
    # a note written as its own sentence
    assert [r.name for r in p.tasks[3].responsible] == ["市市场监管局", "市财政局"]
    assert [(m.text, [r.name for r in m.responsible]) for m in p.tasks[4].measures] == [
        ("开展首席质量官培训。", ["市人力社保局"]),
        ("组织质量技能竞赛。", ["市总工会"]),
    ]


def test_city_bureaus_resolve_to_functional_codes():
    p = one(load("city_levels.txt"))
    codes = {r.name: r.department for t in p.tasks for r in t.responsible}
    assert codes["市科技局"] == "SCI"
    assert codes["市财政局"] == "FINANCE"
    assert codes["市市场监管局"] == "MARKET"


def test_tab_separated_division_table():
    p = one(load("table_tabs.txt"))
    assert (p.region, p.level, p.year) == ("桐庐县", "county", 2019)
    tasks = p.tasks
    assert [t.title for t in tasks] == [
        "开展农产品质量安全县创建",
        "组织“质量月”活动",
        "推进企业标准自我声明公开",
    ]
    assert [(r.name, r.role) for r in tasks[1].responsible] == [
        ("县市场监管局", "lead"),
        ("县教育局", "assist"),
        ("县科技局", "assist"),
    ]
    assert [d.date for d in tasks[0].deadlines] == ["2019-06-30"]
    assert [d.date for d in tasks[1].deadlines] == ["2019-09-30"]
    assert [(d.date, d.recurring) for d in tasks[2].deadlines] == [(None, True)]


def test_space_separated_division_table():
    p = one(load("table_spaces.txt"))
    t1, t2 = p.tasks
    assert [(r.name, r.role) for r in t1.responsible] == [("市市场监管局", "lead")]
    assert [(r.name, r.role) for r in t2.responsible] == [
        ("市市场监管局", "shared"),
        ("市农业农村局", "shared"),
    ]
    assert [(t.value, t.unit) for t in t1.targets] == [(10, "个")]
    assert [d.date for d in t2.deadlines] == ["2019-12-31"]


def test_two_plans_in_one_file_and_restarting_task_numbers():
    plans = parse_text(load("two_plans.txt"), source="two.txt")
    assert [p.title for p in plans] == ["福建省2016年质量工作要点", "江西省2016年品牌建设工作方案"]
    assert [p.region for p in plans] == ["福建省", "江西省"]
    first = plans[0]
    assert [(t.label, t.number) for t in first.tasks] == [("（一）", 1), ("（二）", 2), ("（一）", 3)]
    assert all(p.duplicates_removed == 0 for p in plans)


def test_repeated_copies_are_one_plan():
    text = load("repeated_once.txt")
    plans = parse_text("\n\n".join([text] * 3), source="rep.txt")
    assert len(plans) == 1
    p = plans[0]
    assert p.duplicates_removed == 2
    assert p.region == "广西壮族自治区"
    assert len(p.tasks) == 3
    assert [r.department for r in p.tasks[1].responsible] == ["AGRI", "QTS"]


def test_partial_first_copy_merges_with_full_copy():
    text = load("notice_plan.txt")
    cut = text.index("浙江省标准化提升2017年行动计划\n")  # a scrape that starts mid-document
    plans = parse_text(text[cut:] + "\n" + text, source="dup.txt")
    assert len(plans) == 1
    assert plans[0].duplicates_removed == 1
    assert plans[0].doc_number == "浙政办发〔2017〕45号"


def test_glued_doc_number_round_brackets_sentence_notes_and_footer():
    p = one(load("glued_title.txt"))
    assert p.title == "吉林省质量兴省2016年工作方案"
    assert p.doc_number == "吉政办发〔2016〕31号"
    assert (p.issuer, p.date) == ("吉林省人民政府办公厅", "2016-08-02")
    assert [s.kind for s in p.sections] == ["tasks", "other"]
    t1, t2, t3 = p.tasks
    assert resp(t1) == [("省质监局", "lead", "QTS")]
    assert resp(t2) == [
        ("省食品药品监管局", "lead", "FDA"),
        ("省农委", "assist", "AGRI"),
        ("商务厅", "assist", "COMMERCE"),
    ]
    assert [r.department for r in t3.responsible] == ["AIC", "TELECOM", "CBRC"]


def test_national_plan():
    p = one(load("national.txt"))
    assert (p.region, p.level, p.doc_number, p.date) == (
        "全国",
        "national",
        "国办发〔2016〕68号",
        "2016-09-06",
    )
    assert [r.department for r in p.tasks[0].responsible] == ["QTS", "EIC", "COMMERCE"]
    assert [(r.name, r.role) for r in p.tasks[1].responsible][0] == ("工业和信息化部", "lead")


def test_traditional_characters_come_out_simplified():
    data = load("trad.txt").encode("utf-8")
    (p,) = parse_document(data, filename="trad.txt")
    assert p.title == "云南省2016年质量提升行动方案"
    assert resp(p.tasks[0]) == [("省质监局", "shared", "QTS"), ("省工商局", "shared", "AIC")]


def test_encodings_are_detected_not_guessed():
    text = load("notice_plan.txt")
    for enc in ("gb18030", "utf-16", "utf-8-sig"):
        (p,) = parse_document(text.encode(enc), filename="plan.doc")
        assert p.doc_number == "浙政办发〔2017〕45号", enc
        assert len(p.tasks) == 7


def test_html_page_with_navigation():
    (p,) = parse_document((FIXTURES / "page.html").read_bytes(), filename="page.html")
    assert p.title == "甘肃省2016年计量工作方案"
    assert [t.title for t in p.tasks] == ["建设社会公用计量标准", "开展计量惠民活动"]
    assert not any("版权" in t.text for t in p.tasks)


def test_docx(tmp_path):
    import io

    import docx

    d = docx.Document()
    for line in load("repeated_once.txt").splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    (p,) = parse_document(buf.getvalue(), filename="plan.docx")
    assert p.title == "广西壮族自治区2016年标准化工作要点"
    assert len(p.tasks) == 3


def test_half_width_labels_and_punctuation():
    text = (
        "宁夏回族自治区2017年质量工作安排\n"
        "一、加强监管\n"
        "(一)开展电梯安全排查。排查在用电梯1200台以上.(自治区质监局负责)\n"
        "(二)推进农产品追溯:建设追溯点30个。(自治区农牧厅牵头,自治区商务厅配合)\n"
    )
    p = one(text)
    assert p.region == "宁夏回族自治区"
    t1, t2 = p.tasks
    assert (t1.label, t1.title) == ("(一)", "开展电梯安全排查")
    assert [(x.value, x.comparator) for x in t1.targets] == [(1200, ">=")]
    assert t2.title == "推进农产品追溯"
    assert [(r.name, r.role) for r in t2.responsible] == [
        ("自治区农牧厅", "lead"),
        ("自治区商务厅", "assist"),
    ]


def test_several_notes_in_one_task_and_plain_lists():
    text = (
        "山东省2016年品牌工作方案\n"
        "一、重点任务\n"
        "（一）推进品牌建设。开展品牌价值评价。（省质监局负责）组织品牌宣传周活动。（省委宣传部、省商务厅负责）\n"
    )
    t = one(text).tasks[0]
    assert [(m.text, [r.name for r in m.responsible]) for m in t.measures] == [
        ("开展品牌价值评价。", ["省质监局"]),
        ("组织品牌宣传周活动。", ["省委宣传部", "省商务厅"]),
    ]
    assert [(r.name, r.role) for r in t.responsible] == [
        ("省质监局", "lead"),
        ("省委宣传部", "shared"),
        ("省商务厅", "shared"),
    ]


def test_task_without_note_warns_and_nothing_is_dropped():
    text = "湖南省2016年质量工作要点\n一、重点任务\n（一）开展质量月活动。\n（二）推进标准化。（省质监局负责）\n各地要抓好落实。\n"
    p = one(text)
    assert any("第1项任务" in w and "未找到责任单位" in w for w in p.warnings)
    assert p.closing == "各地要抓好落实。"


def test_no_plan_in_text():
    assert parse_text("这是一段没有任何编号的文字。\n第二行。", source="x.txt") == []


# --------------------------------------------------------------- misreads found on the sample plans


def _plan(body: str, title: str = "江苏省2018年质量提升工作方案"):
    return one(f"{title}\n\n一、重点任务\n{body}\n")


def test_ongoing_wording_at_clause_end_is_recurring_but_a_principle_is_not():
    p = _plan(
        "（一）健全信用制度。建立企业信用档案，实行分级监管，该机制长期坚持。（省市场监管局负责）\n"
        "（二）规范监督执法。长期坚持依法行政原则，坚持公开公正原则，推行执法全过程记录。（省市场监管局负责）"
    )
    one_, two = p.tasks
    assert [(d.text, d.date, d.recurring) for d in one_.deadlines] == [("长期坚持", None, True)]
    assert two.deadlines == []


def test_period_word_used_as_object_is_not_a_time_limit():
    p = _plan(
        "（一）加强监督抽查。10月底前通报上半年检查情况，汇总下半年抽检数据，发布三季度报告。"
        "（省市场监管局负责）\n"
        "（二）推进标准建设。上半年完成标准立项，三季度启动复审，下半年出台评价办法。（省市场监管局负责）"
    )
    one_, two = p.tasks
    assert [(d.text, d.date) for d in one_.deadlines] == [("10月底前", "2018-10-31")]
    assert [(d.text, d.date) for d in two.deadlines] == [
        ("上半年", "2018-06-30"),
        ("三季度", "2018-09-30"),
        ("下半年", "2018-12-31"),
    ]


def test_multi_character_units_and_yishang_after_the_unit():
    p = _plan(
        "（一）加强产品抽检。全省完成监督抽检3000批次以上，检查生产企业800家次以上，"
        "培训质量管理人员2万人以上，带动投资50亿元以上。（省市场监管局负责）"
    )
    got = [(t.value, t.unit, t.comparator) for t in p.tasks[0].targets]
    assert got == [(3000, "批次", ">="), (800, "家次", ">="), (2, "万人", ">="), (50, "亿元", ">=")]


def test_target_subject_drops_the_leading_verb():
    p = _plan(
        "（一）实施品牌战略。全年新培育省级名牌产品80个，认定企业技术中心15家，"
        "组织制修订地方标准40项以上。（省市场监管局负责）\n"
        "（二）夯实质量基础。\n1.建成省级检验检测中心6个。（省市场监管局负责）"
    )
    subjects = [(t.subject, t.value) for task in p.tasks for t in task.targets]
    assert subjects == [("省级名牌产品", 80), ("企业技术中心", 15), ("地方标准", 40), ("省级检验检测中心", 6)]


def test_region_from_the_title_is_the_full_name():
    body = "一、重点任务\n（一）推进品牌建设。落实浙江省有关要求。（市市场监管局负责）\n"
    for title in ("杭州市2019年质量工作要点", "杭州2019年质量工作要点", "2019年杭州市质量工作要点"):
        p = one(f"{title}\n\n{body}")
        assert (p.region, p.level) == ("杭州市", "city"), title


def test_city_committees_and_bureaus_resolve():
    p = one(
        "南京市2017年质量强市工作要点\n\n一、重点任务\n"
        "（一）推进标准研制。开展对标达标。（市科委、市建委、市农业局、市交通运输局负责）\n"
        "（二）提升服务质量。开展服务质量评价。（市旅委、市商务委、市林水局负责）\n"
        "（三）提升产业质量。开展质量攻关。（省经信厅牵头，省文化和旅游厅配合）\n"
    )
    codes = {r.name: r.department for t in p.tasks for r in t.responsible}
    assert codes == {
        "市科委": "SCI",
        "市建委": "HOUSING",
        "市农业局": "AGRI",
        "市交通运输局": "TRANSPORT",
        "市旅委": "TOURISM",
        "市商务委": "COMMERCE",
        "市林水局": None,  # 林业水利局: forestry and water, ambiguous
        "省经信厅": "EIC",
        "省文化和旅游厅": None,  # culture and tourism merged in 2018: ambiguous
    }
