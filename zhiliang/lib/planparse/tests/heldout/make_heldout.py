#!/usr/bin/env python3
"""Build the held-out plan documents and their gold annotations.

    .venv/bin/python zhiliang/lib/planparse/tests/heldout/make_heldout.py

Every document below is written for this set (no sentence is taken from the seeds). The gold is
written by hand next to each text, in a compact form that is only expanded here (task numbers are
counted 1..n across sections; nothing is derived from the parser). Running the script rewrites the
document files (in their target encodings / formats) and the ``<name>.gold.json`` files.

Gold conventions (contracts/plan-json.md and gold/seeds.json):
- role ``shared`` for 按职责分工负责 and bare equal lists; ``lead`` for 牵头, for 负责 before 协助/配合
  and for a single unit with 负责; ``assist`` for 协助/配合/参与; where the plan says the first-listed
  unit leads, the first of a list is ``lead`` and the rest ``assist``;
- names as written (a level prefix written once stays on the first unit only), no trailing 等;
- department codes from reference/departments.csv by function, null when the body is not in the
  table or a post-2018 name is ambiguous (省文化和旅游厅);
- meta fields the annotator is not sure of are null (the scorer skips null gold fields).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- compact gold helpers


def R(spec: str) -> dict:
    """'省质监局/lead/QTS' → responsible dict ('-' for an unknown department)."""
    name, role, dept = spec.split("/")
    assert role in ("lead", "assist", "shared"), spec
    return {"name": name, "role": role, "department": None if dept == "-" else dept}


def T(label, title, resp, targets=(), deadlines=()):
    return {
        "label": label,
        "title": title,
        "responsible": [R(s) for s in resp],
        "targets": [
            {"text": t, "subject": s, "value": v, "unit": u, "comparator": c, "breakdown": []}
            for (t, s, v, u, c) in targets
        ],
        "deadlines": [{"text": t, "date": d, "recurring": r} for (t, d, r) in deadlines],
    }


def S(label, title, kind, tasks=()):
    return {"label": label, "title": title, "kind": kind, "tasks": list(tasks)}


def plan(
    source,
    sections,
    *,
    title=None,
    notice_title=None,
    issuer=None,
    doc_number=None,
    date=None,
    year=None,
    region=None,
    level=None,
    duplicates_removed=0,
):
    n = 0
    secs = []
    for i, s in enumerate(sections, 1):
        tasks = []
        for t in s["tasks"]:
            n += 1
            tasks.append({"number": n, **t})
        secs.append({"number": i, **s, "tasks": tasks})
    return {
        "source": source,
        "title": title,
        "notice_title": notice_title,
        "issuer": issuer,
        "doc_number": doc_number,
        "date": date,
        "year": year,
        "region": region,
        "level": level,
        "sections": secs,
        "duplicates_removed": duplicates_removed,
    }


DOCS: list[tuple[str, bytes, list[dict]]] = []


def add(name: str, data: bytes, plans: list[dict]) -> None:
    DOCS.append((name, data, plans))


def lines(text: str) -> str:
    """Strip the leading indentation of the triple-quoted literals below."""
    return "\n".join(x.strip() for x in text.strip("\n").split("\n")) + "\n"


# --------------------------------------------------------------------------- 1. city, GB18030, notice

JIAXING = lines("""
嘉兴市人民政府办公室文件
嘉政办发[2017]12号
嘉兴市人民政府办公室关于印发嘉兴市2017年质量强市建设工作要点的通知
各县（市、区）人民政府，市政府各部门：
《嘉兴市2017年质量强市建设工作要点》已经市政府同意，现印发给你们，请结合实际认真组织实施。
嘉兴市人民政府办公室
二〇一七年三月十五日
（此件公开发布）
嘉兴市2017年质量强市建设工作要点
今年是全面实施质量强市战略的关键一年。为持续提升我市产品、工程、服务和环境质量，结合本市实际，提出如下工作要点。
一、着力提升产品质量
（一）实施重点产品质量攻关。围绕纺织服装、皮革箱包、紧固件等传统优势产业，组织企业对照先进标准查找差距，推动关键工艺和检测手段改进。（市质监局负责，市经信委配合）
（二）推动制造业企业技术改造。引导企业加大技术改造投入，推广应用智能制造装备，全年完成工业技术改造投资300亿元以上。（市经信委牵头，市发改委、市财政局配合）
（三）加强农产品质量安全监管。健全农产品质量安全追溯体系，扩大农产品生产主体追溯覆盖面，开展农药兽药残留专项整治。（市农委负责）
二、持续改善服务和工程质量
（四）开展服务质量满意度测评。选择商贸、旅游、物流等重点服务行业开展顾客满意度测评，并向社会公布测评结果。（市质监局、市商务局、市旅游委按职责分工负责）
（五）提升建设工程质量水平。严格落实工程质量终身责任制，推行质量安全标准化管理，争创省级以上优质工程。（市住建局牵头，市质监局配合）
（六）规范港口航运服务。加强内河港口作业安全和服务质量监管，提升港航服务标准化水平。（市港航管理局负责，市交通运输局配合）
三、夯实质量技术基础
（七）加快标准化建设。鼓励企业主导或参与制定国家标准、行业标准，推进“浙江制造”标准研制，年内新增“浙江制造”标准10项。（市质监局负责，市科技局配合）
（八）提升检验检测服务能力。推进国家级检验中心建设，支持检验检测机构向社会开放共享仪器设备。（市质监局牵头，市科技局、市发改委配合）
四、保障措施
各地、各部门要把质量强市工作摆上重要议事日程，明确分工，落实责任，确保各项工作要点按期完成。市质量强市工作领导小组办公室要加强督促检查，适时对各地工作开展情况进行通报。
""")

add(
    "jiaxing_2017.txt",
    JIAXING.encode("gb18030"),
    [
        plan(
            "jiaxing_2017.txt",
            [
                S(
                    "一、",
                    "着力提升产品质量",
                    "tasks",
                    [
                        T("（一）", "实施重点产品质量攻关", ["市质监局/lead/QTS", "市经信委/assist/EIC"]),
                        T(
                            "（二）",
                            "推动制造业企业技术改造",
                            ["市经信委/lead/EIC", "市发改委/assist/DRC", "市财政局/assist/FINANCE"],
                            targets=[
                                ("全年完成工业技术改造投资300亿元以上", "工业技术改造投资", 300, "亿元", ">=")
                            ],
                        ),
                        T("（三）", "加强农产品质量安全监管", ["市农委/lead/AGRI"]),
                    ],
                ),
                S(
                    "二、",
                    "持续改善服务和工程质量",
                    "tasks",
                    [
                        T(
                            "（四）",
                            "开展服务质量满意度测评",
                            ["市质监局/shared/QTS", "市商务局/shared/COMMERCE", "市旅游委/shared/TOURISM"],
                        ),
                        T("（五）", "提升建设工程质量水平", ["市住建局/lead/HOUSING", "市质监局/assist/QTS"]),
                        T(
                            "（六）",
                            "规范港口航运服务",
                            ["市港航管理局/lead/-", "市交通运输局/assist/TRANSPORT"],
                        ),
                    ],
                ),
                S(
                    "三、",
                    "夯实质量技术基础",
                    "tasks",
                    [
                        T(
                            "（七）",
                            "加快标准化建设",
                            ["市质监局/lead/QTS", "市科技局/assist/SCI"],
                            targets=[("新增“浙江制造”标准10项", "“浙江制造”标准", 10, "项", "=")],
                            deadlines=[("年内", "2017-12-31", False)],
                        ),
                        T(
                            "（八）",
                            "提升检验检测服务能力",
                            ["市质监局/lead/QTS", "市科技局/assist/SCI", "市发改委/assist/DRC"],
                        ),
                    ],
                ),
                S("四、", "保障措施", "other"),
            ],
            title="嘉兴市2017年质量强市建设工作要点",
            notice_title="嘉兴市人民政府办公室关于印发嘉兴市2017年质量强市建设工作要点的通知",
            issuer="嘉兴市人民政府办公室",
            doc_number="嘉政办发〔2017〕12号",
            date="2017-03-15",
            year=2017,
            region="嘉兴市",
            level="city",
        )
    ],
)


# --------------------------------------------------------------------------- 2. province, UTF-16 LE BOM, run-on numbering

JIANGXI = lines("""
江西省2017年质量强省工作行动计划
为深入推进质量强省战略，全面提升我省质量总体水平，根据国家质量发展纲要和国务院办公厅有关部署，结合我省实际，制定本行动计划。
一、主要目标
到2017年底，全省质量总体水平稳步提升，制造业产品质量合格率达到92%以上，主要农产品质量安全监测合格率稳定在97%以上，质量安全事故得到有效防控。
二、实施质量提升行动
（一）强化工业产品质量监管。加大对电线电缆、建筑钢材、儿童用品等重点产品的监督抽查力度，全省主要工业产品质量监督抽查合格率不低于95%。（省质监局、省工信委按职责分工负责）
（二）推进服务业标准化试点。围绕养老、家政、旅游等领域开展标准化试点示范，新培育省级服务业标准化试点达到30家以上。（省质监局牵头，省商务厅、省旅发委配合）
（三）加强食品安全监督抽检。扩大抽检覆盖面，重点加强对校园周边和农村地区食品的抽检，食品抽检不合格率控制在3%以下，三季度组织开展一次全省专项检查。（省食品药品监管局负责）
（四）开展质量诚信建设。推动企业公开质量信用承诺，将企业质量违法信息纳入全省公共信用信息平台，年内实现与国家企业信用信息公示系统互联共享。（省发展改革委、省工商局、省质监局、人行南昌中心支行按职责分工负责）
三、夯实质量发展基础
（五）完善计量检测体系。推进社会公用计量标准建设，2017年9月底前完成全省重点用能单位能源计量审查工作。（省质监局负责，省工信委、省统计局配合）
（六）加强质量人才培养。依托高等院校和职业院校开设质量管理相关课程，组织企业开展质量管理岗位培训，质量人才培养工作长期坚持。（省教育厅、省人力资源社会保障厅、省质监局按职责分工负责）
（七）推进检验检测资源整合。按照政事分开、管办分离的原则，推进省直部门所属检验检测机构整合，培育一批具有公信力的第三方检验检测机构。（省编办、省质监局牵头，省财政厅配合）
四、保障措施
（一）加强组织领导。各地、各部门要切实加强对质量工作的领导，将质量工作纳入经济社会发展规划。
（二）强化督促考核。省质量强省工作领导小组办公室要加强对本计划落实情况的跟踪督查，并将完成情况报省政府。
""")

add(
    "jiangxi_2017_utf16.txt",
    b"\xff\xfe" + JIANGXI.replace("\n", "\r\n").encode("utf-16-le"),
    [
        plan(
            "jiangxi_2017_utf16.txt",
            [
                S("一、", "主要目标", "goals"),
                S(
                    "二、",
                    "实施质量提升行动",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "强化工业产品质量监管",
                            ["省质监局/shared/QTS", "省工信委/shared/EIC"],
                            targets=[
                                (
                                    "全省主要工业产品质量监督抽查合格率不低于95%",
                                    "全省主要工业产品质量监督抽查合格率",
                                    95,
                                    "%",
                                    ">=",
                                )
                            ],
                        ),
                        T(
                            "（二）",
                            "推进服务业标准化试点",
                            ["省质监局/lead/QTS", "省商务厅/assist/COMMERCE", "省旅发委/assist/TOURISM"],
                            targets=[
                                (
                                    "新培育省级服务业标准化试点达到30家以上",
                                    "省级服务业标准化试点",
                                    30,
                                    "家",
                                    ">=",
                                )
                            ],
                        ),
                        T(
                            "（三）",
                            "加强食品安全监督抽检",
                            ["省食品药品监管局/lead/FDA"],
                            targets=[("食品抽检不合格率控制在3%以下", "食品抽检不合格率", 3, "%", "<=")],
                            deadlines=[("三季度", "2017-09-30", False)],
                        ),
                        T(
                            "（四）",
                            "开展质量诚信建设",
                            [
                                "省发展改革委/shared/DRC",
                                "省工商局/shared/AIC",
                                "省质监局/shared/QTS",
                                "人行南昌中心支行/shared/PBOC",
                            ],
                            deadlines=[("年内", "2017-12-31", False)],
                        ),
                    ],
                ),
                S(
                    "三、",
                    "夯实质量发展基础",
                    "tasks",
                    [
                        T(
                            "（五）",
                            "完善计量检测体系",
                            ["省质监局/lead/QTS", "省工信委/assist/EIC", "省统计局/assist/STATS"],
                            deadlines=[("2017年9月底前", "2017-09-30", False)],
                        ),
                        T(
                            "（六）",
                            "加强质量人才培养",
                            [
                                "省教育厅/shared/EDU",
                                "省人力资源社会保障厅/shared/HRSS",
                                "省质监局/shared/QTS",
                            ],
                            deadlines=[("长期坚持", None, True)],
                        ),
                        T(
                            "（七）",
                            "推进检验检测资源整合",
                            ["省编办/lead/-", "省质监局/lead/QTS", "省财政厅/assist/FINANCE"],
                        ),
                    ],
                ),
                S("四、", "保障措施", "other"),
            ],
            title="江西省2017年质量强省工作行动计划",
            year=2017,
            region="江西省",
            level="province",
        )
    ],
)


# --------------------------------------------------------------------------- 3. restarting numbers, levels 3-4, notes on measures

SHANDONG = lines("""
山东省2016年质量强省建设重点工作安排
根据国务院办公厅关于贯彻实施质量发展纲要年度行动计划的部署，结合我省质量工作实际，现就今年质量强省建设重点工作作出如下安排。
一、落实企业质量主体责任
（一）推行首席质量官制度。
1.在规模以上工业企业中推行首席质量官制度，明确首席质量官的职责和任职条件。（省质监局负责）
2.分行业组织首席质量官专题培训，提升企业质量管理人员专业能力。（省人力资源社会保障厅负责）
（二）开展质量对标提升活动：
1.组织重点行业企业开展对标达标，具体包括：
（1）在装备制造、化工、轻工行业选取一批标杆企业，总结推广先进质量管理经验。（省经济和信息化委负责）
（2）在省属企业中开展质量对标竞赛。（省国资委负责）
2.推动质量管理小组活动深入开展，年内组织全省质量管理小组成果发表交流。（省质监局牵头，省总工会配合）
二、加强重点领域质量监管
（一）强化特种设备安全监察。
1.开展电梯、起重机械、大型游乐设施安全隐患排查治理。（省质监局负责）
2.推进电梯应急处置服务平台建设，年内覆盖全部设区市。（省住房城乡建设厅、省通信管理局按职责分工负责）
（二）加强食品质量安全监管。
1.实施食品生产企业风险分级管理。（省食品药品监管局负责）
2.开展农村集体聚餐食品安全指导。（省卫生计生委负责）
（三）加强进出口商品质量监管。
1.开展进口消费品质量安全风险监测，对检出问题及时发布预警。（山东出入境检验检疫局负责）
2.打击进出口环节侵权假冒行为。（青岛海关、济南海关按职责分工负责）
三、夯实质量基础
（一）加强标准体系建设。
1.组织制修订地方标准50项以上。（省质监局负责）
2.推进农业标准化示范区建设。（省农业厅牵头，省林业厅配合）
（二）提升计量服务水平。深入开展计量惠民活动，推进能源计量中心建设。（省质监局、省经济和信息化委按职责分工负责）
""")

add(
    "shandong_2016_levels.txt",
    SHANDONG.encode("utf-8"),
    [
        plan(
            "shandong_2016_levels.txt",
            [
                S(
                    "一、",
                    "落实企业质量主体责任",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "推行首席质量官制度",
                            ["省质监局/lead/QTS", "省人力资源社会保障厅/lead/HRSS"],
                        ),
                        T(
                            "（二）",
                            "开展质量对标提升活动",
                            [
                                "省经济和信息化委/lead/EIC",
                                "省国资委/lead/SASAC",
                                "省质监局/lead/QTS",
                                "省总工会/assist/UNION",
                            ],
                            deadlines=[("年内", "2016-12-31", False)],
                        ),
                    ],
                ),
                S(
                    "二、",
                    "加强重点领域质量监管",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "强化特种设备安全监察",
                            [
                                "省质监局/lead/QTS",
                                "省住房城乡建设厅/shared/HOUSING",
                                "省通信管理局/shared/TELECOM",
                            ],
                            deadlines=[("年内", "2016-12-31", False)],
                        ),
                        T(
                            "（二）",
                            "加强食品质量安全监管",
                            ["省食品药品监管局/lead/FDA", "省卫生计生委/lead/HEALTH"],
                        ),
                        T(
                            "（三）",
                            "加强进出口商品质量监管",
                            [
                                "山东出入境检验检疫局/lead/CIQ",
                                "青岛海关/shared/CUSTOMS",
                                "济南海关/shared/CUSTOMS",
                            ],
                        ),
                    ],
                ),
                S(
                    "三、",
                    "夯实质量基础",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "加强标准体系建设",
                            ["省质监局/lead/QTS", "省农业厅/lead/AGRI", "省林业厅/assist/FORESTRY"],
                            targets=[("组织制修订地方标准50项以上", "地方标准", 50, "项", ">=")],
                        ),
                        T(
                            "（二）",
                            "提升计量服务水平",
                            ["省质监局/shared/QTS", "省经济和信息化委/shared/EIC"],
                        ),
                    ],
                ),
            ],
            title="山东省2016年质量强省建设重点工作安排",
            year=2016,
            region="山东省",
            level="province",
        )
    ],
)


# --------------------------------------------------------------------------- 4. labelled notes, own-line notes, time limit in note, first-listed leads

HUBEI = lines("""
湖北省人民政府办公厅关于印发湖北省2017年质量工作要点的通知
鄂政办函〔2017〕23号
各市、州、县人民政府，省政府各部门：
现将《湖北省2017年质量工作要点》印发给你们，请认真贯彻落实。
湖北省人民政府办公厅
2017年4月6日
湖北省2017年质量工作要点
为落实质量强省战略，推动全省质量工作再上新台阶，制定本工作要点。各项任务中排在第一位的部门为牵头单位，其他部门为配合单位，牵头单位要主动协调，配合单位要积极支持。
一、推进质量品牌建设
（一）培育外贸出口品牌。支持出口企业开展国际认证，培育一批具有自主知识产权的出口品牌。（牵头单位：省商务厅；配合单位：省财政厅、湖北出入境检验检疫局）
（二）推动质量技术创新。鼓励企业与高校、科研院所共建质量技术创新平台，加快质量创新成果转化应用。
责任单位：省科技厅、省教育厅
（三）实施地理标志产品保护。开展地理标志产品普查，加强地理标志产品专用标志使用管理。（省质监局负责，2017年6月底前完成）
（四）加强知识产权保护。开展专利执法维权专项行动，严厉查处专利侵权假冒行为。（省知识产权局、省公安厅、省工商局）
二、强化质量安全监管
（五）开展重点工业产品质量提升。针对消费者反映集中的家用电器、儿童玩具等产品开展质量提升行动，监督抽查合格率达到92%以上。（省质监局、省经信委）
（六）加强药品医疗器械监管。开展药品流通领域专项检查，年内完成全部药品批发企业的现场检查。（省食品药品监管局负责，省卫生计生委配合）
（七）推进质量安全风险监测。建立跨部门质量安全风险信息共享机制，及时发布风险警示。
责任单位：省质监局、省食品药品监管局、省农业厅
""")

add(
    "hubei_2017_notes.txt",
    HUBEI.encode("utf-8"),
    [
        plan(
            "hubei_2017_notes.txt",
            [
                S(
                    "一、",
                    "推进质量品牌建设",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "培育外贸出口品牌",
                            [
                                "省商务厅/lead/COMMERCE",
                                "省财政厅/assist/FINANCE",
                                "湖北出入境检验检疫局/assist/CIQ",
                            ],
                        ),
                        T("（二）", "推动质量技术创新", ["省科技厅/lead/SCI", "省教育厅/assist/EDU"]),
                        T(
                            "（三）",
                            "实施地理标志产品保护",
                            ["省质监局/lead/QTS"],
                            deadlines=[("2017年6月底前", "2017-06-30", False)],
                        ),
                        T(
                            "（四）",
                            "加强知识产权保护",
                            ["省知识产权局/lead/IPO", "省公安厅/assist/PUBSEC", "省工商局/assist/AIC"],
                        ),
                    ],
                ),
                S(
                    "二、",
                    "强化质量安全监管",
                    "tasks",
                    [
                        T(
                            "（五）",
                            "开展重点工业产品质量提升",
                            ["省质监局/lead/QTS", "省经信委/assist/EIC"],
                            targets=[("监督抽查合格率达到92%以上", "监督抽查合格率", 92, "%", ">=")],
                        ),
                        T(
                            "（六）",
                            "加强药品医疗器械监管",
                            ["省食品药品监管局/lead/FDA", "省卫生计生委/assist/HEALTH"],
                            deadlines=[("年内", "2017-12-31", False)],
                        ),
                        T(
                            "（七）",
                            "推进质量安全风险监测",
                            ["省质监局/lead/QTS", "省食品药品监管局/assist/FDA", "省农业厅/assist/AGRI"],
                        ),
                    ],
                ),
            ],
            title="湖北省2017年质量工作要点",
            notice_title="湖北省人民政府办公厅关于印发湖北省2017年质量工作要点的通知",
            issuer="湖北省人民政府办公厅",
            doc_number="鄂政办函〔2017〕23号",
            date="2017-04-06",
            year=2017,
            region="湖北省",
            level="province",
        )
    ],
)


# --------------------------------------------------------------------------- 5. prefix once, vertical agencies, collectives, non-note parens

ZHEJIANG = lines("""
浙江省2016年质量强省工作推进计划
根据《国务院办公厅关于印发贯彻实施质量发展纲要2016年行动计划的通知》（国办发〔2016〕18号）精神，为扎实推进质量强省建设，制定本计划。
一、加强质量安全监管
（一）深化“双随机、一公开”监管。全面推行随机抽取检查对象、随机选派执法检查人员的抽查机制（以下简称“双随机”），抽查情况及查处结果及时向社会公开。（省质监局、工商局、食品药品监管局按职责分工负责）
（二）推进质量监管信息化。开发质量投诉举报移动应用程序（APP），推动监管数据跨部门共享。（省质监局、省经信委、省无线电管理委员会办公室按职责分工负责）
（三）加强进出口商品质量监管。严厉打击进出口环节侵权假冒违法行为，提升跨境电子商务商品质量安全监管水平。（浙江出入境检验检疫局、杭州海关、宁波海关按职责分工负责）
二、完善质量激励和金融支持
（四）加大质量金融支持力度。鼓励银行业金融机构对获得政府质量奖的企业给予信贷支持，推广质量保险和商标专用权质押融资。（浙江银监局、浙江保监局、人行杭州中心支行、省工商局按职责分工负责）
（五）开展政府质量奖评选。组织开展省政府质量奖评审，年内评出省政府质量奖企业5家左右。（省质量工作领导小组各成员单位按职责分工负责）
（六）落实属地质量安全责任。将质量工作纳入地方政府目标责任制考核，推动各地建立质量工作协调机制。（各市、县（市、区）人民政府负责）
""")

add(
    "zhejiang_2016_units.txt",
    ZHEJIANG.encode("utf-8"),
    [
        plan(
            "zhejiang_2016_units.txt",
            [
                S(
                    "一、",
                    "加强质量安全监管",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "深化“双随机、一公开”监管",
                            ["省质监局/shared/QTS", "工商局/shared/AIC", "食品药品监管局/shared/FDA"],
                        ),
                        T(
                            "（二）",
                            "推进质量监管信息化",
                            [
                                "省质监局/shared/QTS",
                                "省经信委/shared/EIC",
                                "省无线电管理委员会办公室/shared/-",
                            ],
                        ),
                        T(
                            "（三）",
                            "加强进出口商品质量监管",
                            [
                                "浙江出入境检验检疫局/shared/CIQ",
                                "杭州海关/shared/CUSTOMS",
                                "宁波海关/shared/CUSTOMS",
                            ],
                        ),
                    ],
                ),
                S(
                    "二、",
                    "完善质量激励和金融支持",
                    "tasks",
                    [
                        T(
                            "（四）",
                            "加大质量金融支持力度",
                            [
                                "浙江银监局/shared/CBRC",
                                "浙江保监局/shared/CIRC",
                                "人行杭州中心支行/shared/PBOC",
                                "省工商局/shared/AIC",
                            ],
                        ),
                        T(
                            "（五）",
                            "开展政府质量奖评选",
                            ["省质量工作领导小组各成员单位/shared/GROUP_MEMBERS"],
                            targets=[("评出省政府质量奖企业5家左右", "省政府质量奖企业", 5, "家", "=")],
                            deadlines=[("年内", "2016-12-31", False)],
                        ),
                        T("（六）", "落实属地质量安全责任", ["各市、县（市、区）人民政府/lead/LOCAL_GOVS"]),
                    ],
                ),
            ],
            title="浙江省2016年质量强省工作推进计划",
            year=2016,
            region="浙江省",
            level="province",
        )
    ],
)


# --------------------------------------------------------------------------- 6. task-division tables (tab- and space-separated)

GUIZHOU = (
    "贵州省2016年质量发展重点工作任务分工表\n"
    "序号\t工作任务\t牵头单位\t配合单位\t完成时限\n"
    "1\t开展质量提升行动。组织重点行业企业实施质量改进项目。\t省质监局\t省经济和信息化委、省科技厅\t2016年12月底前\n"
    "2\t推进品牌建设。培育省级名牌产品60个以上。\t省质监局\t省工商局、省商务厅\t年内\n"
    "3\t加强农产品质量安全追溯。建设农产品质量安全追溯平台。\t省农委\t省食品药品监管局\t2016年9月30日前\n"
    "4\t强化食品安全监管。\t省食品药品监管局\t省卫生计生委、省公安厅\t长期坚持\n"
    "5\t推进检验检测认证机构整合。\t省编委办\t省质监局、省财政厅\t2016年底前\n"
    "6\t加强质量工作考核。\t省政府办公厅、省质监局\t省质量发展工作领导小组成员单位\t下半年\n"
)

add(
    "guizhou_2016_table.txt",
    GUIZHOU.encode("utf-8"),
    [
        plan(
            "guizhou_2016_table.txt",
            [
                S(
                    "",
                    "",
                    "tasks",
                    [
                        T(
                            "1",
                            "开展质量提升行动",
                            ["省质监局/lead/QTS", "省经济和信息化委/assist/EIC", "省科技厅/assist/SCI"],
                            deadlines=[("2016年12月底前", "2016-12-31", False)],
                        ),
                        T(
                            "2",
                            "推进品牌建设",
                            ["省质监局/lead/QTS", "省工商局/assist/AIC", "省商务厅/assist/COMMERCE"],
                            targets=[("培育省级名牌产品60个以上", "省级名牌产品", 60, "个", ">=")],
                            deadlines=[("年内", "2016-12-31", False)],
                        ),
                        T(
                            "3",
                            "加强农产品质量安全追溯",
                            ["省农委/lead/AGRI", "省食品药品监管局/assist/FDA"],
                            deadlines=[("2016年9月30日前", "2016-09-30", False)],
                        ),
                        T(
                            "4",
                            "强化食品安全监管",
                            [
                                "省食品药品监管局/lead/FDA",
                                "省卫生计生委/assist/HEALTH",
                                "省公安厅/assist/PUBSEC",
                            ],
                            deadlines=[("长期坚持", None, True)],
                        ),
                        T(
                            "5",
                            "推进检验检测认证机构整合",
                            ["省编委办/lead/-", "省质监局/assist/QTS", "省财政厅/assist/FINANCE"],
                            deadlines=[("2016年底前", "2016-12-31", False)],
                        ),
                        T(
                            "6",
                            "加强质量工作考核",
                            [
                                "省政府办公厅/lead/GOV_OFFICE",
                                "省质监局/lead/QTS",
                                "省质量发展工作领导小组成员单位/assist/GROUP_MEMBERS",
                            ],
                            deadlines=[("下半年", "2016-12-31", False)],
                        ),
                    ],
                ),
            ],
            title="贵州省2016年质量发展重点工作任务分工表",
            year=2016,
            region="贵州省",
            level="province",
        )
    ],
)

YICHANG = (
    "宜昌市2017年质量强市重点任务分解表\n"
    "序号  工作任务  牵头单位  配合单位  完成时限\n"
    "1  实施企业标准领跑者制度。  市质监局  市发改委  2017年10月底前\n"
    "2  开展旅游服务质量提升行动。  市旅游委  市工商局、市物价局  三季度\n"
    "3  推进计量惠民工程。  市质监局  市卫生计生委  年内\n"
    "4  加强电梯安全监管。  市质监局  市住建局、市安监局  长期坚持\n"
)

add(
    "yichang_2017_columns.txt",
    YICHANG.encode("utf-8"),
    [
        plan(
            "yichang_2017_columns.txt",
            [
                S(
                    "",
                    "",
                    "tasks",
                    [
                        T(
                            "1",
                            "实施企业标准领跑者制度",
                            ["市质监局/lead/QTS", "市发改委/assist/DRC"],
                            deadlines=[("2017年10月底前", "2017-10-31", False)],
                        ),
                        T(
                            "2",
                            "开展旅游服务质量提升行动",
                            ["市旅游委/lead/TOURISM", "市工商局/assist/AIC", "市物价局/assist/PRICE"],
                            deadlines=[("三季度", "2017-09-30", False)],
                        ),
                        T(
                            "3",
                            "推进计量惠民工程",
                            ["市质监局/lead/QTS", "市卫生计生委/assist/HEALTH"],
                            deadlines=[("年内", "2017-12-31", False)],
                        ),
                        T(
                            "4",
                            "加强电梯安全监管",
                            ["市质监局/lead/QTS", "市住建局/assist/HOUSING", "市安监局/assist/SAFETY"],
                            deadlines=[("长期坚持", None, True)],
                        ),
                    ],
                ),
            ],
            title="宜昌市2017年质量强市重点任务分解表",
            year=2017,
            region="宜昌市",
            level="city",
        )
    ],
)


# --------------------------------------------------------------------------- 7. HTML page (gbk) with portal junk and a number glued into the title

HUNAN_BODY = [
    "为贯彻落实质量强省战略，进一步提升全省产品、工程和服务质量，结合我省实际，制定本方案。",
    "一、提升产品和服务质量",
    "（一）实施消费品质量提升工程。聚焦日用消费品、食品、农产品等领域，推动企业按照国际先进标准组织生产。（省质监局、省经信委、省农委按职责分工负责）",
    "（二）推进湘品出湘。支持企业参加国内外展销活动，拓展湖南优质产品销售渠道，年内组织展销活动10场以上。（省商务厅牵头，省财政厅配合）",
    "（三）提升旅游服务质量。开展旅游市场秩序专项整治，推进旅游服务标准化建设。（省旅发委负责）",
    "二、加强质量基础能力建设",
    "（四）加强国家检验中心建设。推动在建国家检验中心年内通过验收。（省质监局负责，省发展改革委配合）",
    "（五）完善质量信用体系。建立企业质量信用档案，实施质量失信联合惩戒。（省发展改革委、人行长沙中心支行、省工商局、省质监局按职责分工负责）",
    "（六）强化质量工作考核。对各市州人民政府质量工作进行考核，考核结果报省政府。（省质量强省工作领导小组办公室负责）",
]

HUNAN = (
    '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="gbk">\n'
    "<title>湖南省2016年质量强省工作实施方案_政府文件_湖南省人民政府门户网站</title>\n</head>\n<body>\n"
    '<div class="top"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/zwfw/">政务服务</a>'
    ' | <a href="/hdjl/">互动交流</a> | <a href="#">无障碍浏览</a></div>\n'
    '<div class="nav"><ul><li>网站首页</li><li>新闻中心</li><li>政务公开</li><li>在线办事</li></ul></div>\n'
    '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 文件</div>\n'
    '<div class="meta"><table><tr><td>索 引 号：</td><td>000014349/2016-00123</td>'
    "<td>发文字号：</td><td>湘政办函〔2016〕58号</td></tr>"
    "<tr><td>发布机构：</td><td>省政府办公厅</td><td>发布日期：</td><td>2016-06-20</td></tr></table></div>\n"
    '<div class="article">\n<h1>湖南省2016年质量强省工作湘政办函〔2016〕58号实施方案</h1>\n'
    + "".join(f"<p>{p}</p>\n" for p in HUNAN_BODY)
    + "</div>\n"
    '<div class="tools">【字体：大 中 小】 打印本页 关闭窗口</div>\n'
    '<div class="related">相关链接：<a href="#">国务院</a> <a href="#">省直部门</a> <a href="#">市州政府</a></div>\n'
    '<div class="footer">版权所有：湖南省人民政府办公厅 主办：湖南省人民政府办公厅<br>'
    "网站标识码4300000063 湘ICP备05008785号 湘公网安备43010502000108号</div>\n"
    "</body>\n</html>\n"
)

add(
    "hunan_2016_portal.html",
    HUNAN.encode("gbk"),
    [
        plan(
            "hunan_2016_portal.html",
            [
                S(
                    "一、",
                    "提升产品和服务质量",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "实施消费品质量提升工程",
                            ["省质监局/shared/QTS", "省经信委/shared/EIC", "省农委/shared/AGRI"],
                        ),
                        T(
                            "（二）",
                            "推进湘品出湘",
                            ["省商务厅/lead/COMMERCE", "省财政厅/assist/FINANCE"],
                            targets=[("年内组织展销活动10场以上", "展销活动", 10, "场", ">=")],
                            deadlines=[("年内", "2016-12-31", False)],
                        ),
                        T("（三）", "提升旅游服务质量", ["省旅发委/lead/TOURISM"]),
                    ],
                ),
                S(
                    "二、",
                    "加强质量基础能力建设",
                    "tasks",
                    [
                        T(
                            "（四）",
                            "加强国家检验中心建设",
                            ["省质监局/lead/QTS", "省发展改革委/assist/DRC"],
                            deadlines=[("年内", "2016-12-31", False)],
                        ),
                        T(
                            "（五）",
                            "完善质量信用体系",
                            [
                                "省发展改革委/shared/DRC",
                                "人行长沙中心支行/shared/PBOC",
                                "省工商局/shared/AIC",
                                "省质监局/shared/QTS",
                            ],
                        ),
                        T("（六）", "强化质量工作考核", ["省质量强省工作领导小组办公室/lead/QUALITY_OFFICE"]),
                    ],
                ),
            ],
            title="湖南省2016年质量强省工作实施方案",
            doc_number="湘政办函〔2016〕58号",
            year=2016,
            region="湖南省",
            level="province",
        )
    ],
)


# --------------------------------------------------------------------------- 8. Traditional-character copy (gold in Simplified)

FUJIAN = lines("""
福建省2016年质量强省工作要点
为深入实施质量强省战略，推动全省经济发展质量和效益持续提升，结合我省实际，制定本工作要点。
一、提升重点领域质量
（一）推进产业质量提升。以电子信息、机械装备、石油化工三大主导产业为重点，组织开展质量攻关活动。（省经信委、省质监局按职责分工负责）
（二）加强茶叶质量安全管理。推行茶叶生产标准化，健全茶叶质量安全追溯体系，打响福建茶叶品牌。（省农业厅牵头，省质监局、省工商局配合）
（三）提升海洋渔业产品质量。加强水产品养殖用药监管，开展水产品质量安全监督抽检。（省海洋与渔业厅负责）
二、优化质量发展环境
（四）加强质量监督执法。严厉查处制售假冒伪劣商品违法行为，公开曝光一批典型案件。（省质监局、省工商局、省食品药品监管局、省公安厅按职责分工负责）
（五）推进对台质量合作。深化闽台标准、计量、认证认可交流合作，促进两岸检验检测结果互认。（省台办、福建出入境检验检疫局、省质监局按职责分工负责）
（六）发挥消费者组织作用。支持消费者组织开展比较试验和消费体察活动，依法开展公益诉讼。（省消费者权益保护委员会负责）
""")


def _traditional(text: str) -> str:
    import opencc

    trad = opencc.OpenCC("s2hk").convert(text)
    back = opencc.OpenCC("hk2s").convert(trad)
    assert back == text, "the Traditional copy must convert back to the Simplified original"
    assert trad != text
    return trad


add(
    "fujian_2016_traditional.txt",
    _traditional(FUJIAN).encode("utf-8"),
    [
        plan(
            "fujian_2016_traditional.txt",
            [
                S(
                    "一、",
                    "提升重点领域质量",
                    "tasks",
                    [
                        T("（一）", "推进产业质量提升", ["省经信委/shared/EIC", "省质监局/shared/QTS"]),
                        T(
                            "（二）",
                            "加强茶叶质量安全管理",
                            ["省农业厅/lead/AGRI", "省质监局/assist/QTS", "省工商局/assist/AIC"],
                        ),
                        T("（三）", "提升海洋渔业产品质量", ["省海洋与渔业厅/lead/OCEAN_FISH"]),
                    ],
                ),
                S(
                    "二、",
                    "优化质量发展环境",
                    "tasks",
                    [
                        T(
                            "（四）",
                            "加强质量监督执法",
                            [
                                "省质监局/shared/QTS",
                                "省工商局/shared/AIC",
                                "省食品药品监管局/shared/FDA",
                                "省公安厅/shared/PUBSEC",
                            ],
                        ),
                        T(
                            "（五）",
                            "推进对台质量合作",
                            ["省台办/shared/-", "福建出入境检验检疫局/shared/CIQ", "省质监局/shared/QTS"],
                        ),
                        T("（六）", "发挥消费者组织作用", ["省消费者权益保护委员会/lead/CONSUMER"]),
                    ],
                ),
            ],
            title="福建省2016年质量强省工作要点",
            year=2016,
            region="福建省",
            level="province",
        )
    ],
)


# --------------------------------------------------------------------------- 9. repeated copies; two different plans in one file

HENAN = lines("""
河南省2016年质量兴省工作方案
为推进质量兴省战略实施，结合我省实际，制定本方案。
一、重点任务
（一）开展质量强市创建活动。指导有条件的省辖市争创全国质量强市示范城市。（省质监局牵头，省质量兴省工作领导小组成员单位配合）
（二）提升工程建设质量。开展建筑工程质量常见问题专项治理，推行工程质量保险制度。（省住房城乡建设厅负责）
（三）强化粮食质量安全监测。完善粮食质量安全检验监测体系，开展收购粮食质量安全监测。（省粮食局、省农业厅按职责分工负责）
（四）加强质量统计分析。建立质量统计指标体系，开展全省质量状况分析。（省统计局、省质监局按职责分工负责）
二、组织保障
各地各部门要加强协作，确保本方案确定的各项任务落实到位。
""")

_copy2 = "\n".join(line + "\n" for line in HENAN.split("\n") if line)  # blank line between paragraphs
_copy3 = "".join("\u3000\u3000" + line + "\n" for line in HENAN.split("\n") if line)  # indented
add(
    "henan_2016_repeated.txt",
    (HENAN + "\n\n" + _copy2 + "\n\n" + _copy3).encode("utf-8"),
    [
        plan(
            "henan_2016_repeated.txt",
            [
                S(
                    "一、",
                    "重点任务",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "开展质量强市创建活动",
                            ["省质监局/lead/QTS", "省质量兴省工作领导小组成员单位/assist/GROUP_MEMBERS"],
                        ),
                        T("（二）", "提升工程建设质量", ["省住房城乡建设厅/lead/HOUSING"]),
                        T(
                            "（三）",
                            "强化粮食质量安全监测",
                            ["省粮食局/shared/GRAIN", "省农业厅/shared/AGRI"],
                        ),
                        T("（四）", "加强质量统计分析", ["省统计局/shared/STATS", "省质监局/shared/QTS"]),
                    ],
                ),
                S("二、", "组织保障", "other"),
            ],
            title="河南省2016年质量兴省工作方案",
            year=2016,
            region="河南省",
            level="province",
            duplicates_removed=2,
        )
    ],
)

NINGXIA = lines("""
宁夏回族自治区2016年质量工作实施方案
为贯彻落实国家质量发展纲要，结合自治区实际，制定本方案。
一、主要任务
（一）推进枸杞产业质量提升。制定枸杞产品质量安全地方标准，建设枸杞质量追溯平台。（自治区质监局、林业厅、商务厅按职责分工负责）
（二）加强清真食品质量认证。完善清真食品认证标准，扩大认证企业覆盖面。（自治区民委负责，自治区质监局配合）
（三）提升葡萄酒产品质量。支持酒庄开展质量标准化建设，培育葡萄酒区域品牌。（自治区林业厅负责）
（四）加强质量工作督查。对各市、县（区）质量工作开展情况进行督查，督查结果通报全区。（自治区质量工作领导小组办公室负责）
""")

QINGHAI = lines("""
青海省2016年质量强省行动方案
根据省政府工作部署，结合我省高原特色产业发展实际，制定本方案。
一、重点工作
（一）提升牦牛藏羊产品质量。推进牦牛、藏羊标准化养殖，建立畜产品质量追溯体系。（省质监局、省商务厅按职责分工负责）
（二）加强高原特色旅游服务质量建设。制定旅游服务地方标准，开展旅游服务质量评价。（省旅游发展委负责，省质监局配合）
（三）推进盐湖化工产品质量提升。支持盐湖化工企业开展技术改造和质量攻关。（省经济和信息化委、省科技厅按职责分工负责）
（四）强化特种设备安全监管。开展特种设备隐患排查治理专项行动。（省质监局、省安全监管局按职责分工负责）
二、保障措施
各地区各部门要加强组织领导，确保各项工作落到实处。
""")

add(
    "ningxia_qinghai_two_plans.txt",
    (NINGXIA + "\n" + QINGHAI).encode("utf-8"),
    [
        plan(
            "ningxia_qinghai_two_plans.txt",
            [
                S(
                    "一、",
                    "主要任务",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "推进枸杞产业质量提升",
                            ["自治区质监局/shared/QTS", "林业厅/shared/FORESTRY", "商务厅/shared/COMMERCE"],
                        ),
                        T("（二）", "加强清真食品质量认证", ["自治区民委/lead/-", "自治区质监局/assist/QTS"]),
                        T("（三）", "提升葡萄酒产品质量", ["自治区林业厅/lead/FORESTRY"]),
                        T("（四）", "加强质量工作督查", ["自治区质量工作领导小组办公室/lead/QUALITY_OFFICE"]),
                    ],
                ),
            ],
            title="宁夏回族自治区2016年质量工作实施方案",
            year=2016,
            region="宁夏回族自治区",
            level="province",
        ),
        plan(
            "ningxia_qinghai_two_plans.txt",
            [
                S(
                    "一、",
                    "重点工作",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "提升牦牛藏羊产品质量",
                            ["省质监局/shared/QTS", "省商务厅/shared/COMMERCE"],
                        ),
                        T(
                            "（二）",
                            "加强高原特色旅游服务质量建设",
                            ["省旅游发展委/lead/TOURISM", "省质监局/assist/QTS"],
                        ),
                        T(
                            "（三）",
                            "推进盐湖化工产品质量提升",
                            ["省经济和信息化委/shared/EIC", "省科技厅/shared/SCI"],
                        ),
                        T(
                            "（四）",
                            "强化特种设备安全监管",
                            ["省质监局/shared/QTS", "省安全监管局/shared/SAFETY"],
                        ),
                    ],
                ),
                S("二、", "保障措施", "other"),
            ],
            title="青海省2016年质量强省行动方案",
            year=2016,
            region="青海省",
            level="province",
        ),
    ],
)


# --------------------------------------------------------------------------- 10. .docx: post-2018 names; national ministries

SICHUAN = lines("""
四川省2019年质量提升行动工作要点
为深入开展质量提升行动，推动经济高质量发展，结合我省实际，制定本工作要点。
一、实施质量提升重点工程
（一）开展消费品质量提升行动。聚焦婴幼儿用品、家用电器等重点消费品，组织开展质量比对和风险监测。（省市场监管局负责，省经济和信息化厅配合）
（二）推进绿色产品认证。推行绿色产品标准、认证、标识体系，提升生态环境质量监测能力。（省生态环境厅、省市场监管局按职责分工负责）
（三）加强药品质量安全监管。开展疫苗质量安全专项检查，年内实现疫苗生产企业检查全覆盖。（省药品监督管理局负责，省卫生健康委员会配合）
（四）提升文化旅游服务质量。开展A级旅游景区服务质量提升行动，推动公共文化服务标准化。（省文化和旅游厅负责）
二、强化质量安全底线
（五）加强安全生产监管。开展危险化学品安全综合治理，2019年10月底前完成重点企业隐患排查。（省应急管理厅负责）
（六）完善质量金融服务。推广质量融资增信产品，引导金融机构加大对质量提升企业的支持。（省地方金融监督管理局、人行成都分行营业管理部按职责分工负责）
""")

NATIONAL = lines("""
质量品牌提升2016年工作安排
（节选）
一、增强质量和品牌提升的动力
（一）实施质量提升示范项目。在装备制造、消费品等领域遴选一批质量提升示范项目并予以支持。（工业和信息化部、质检总局、国家发展改革委按职责分工负责）
（二）推动标准国际化。积极参与国际标准制定，推动国内标准与国际标准体系兼容。（国家标准委牵头，商务部、科技部配合）
二、优化质量和品牌提升的环境
（三）打击侵权假冒行为。开展跨区域联合执法，重点查处网络销售侵权假冒商品。（工商总局、公安部、国家知识产权局按职责分工负责）
（四）强化食品药品安全监管。完善食品药品安全标准体系，加强对婴幼儿配方乳粉的监督抽检。（食品药品监管总局、农业部、卫生计生委按职责分工负责）
（五）推进检验检测认证机构整合。整合检验检测认证资源，培育一批第三方检验检测认证服务机构。（中央编办、质检总局、认监委按职责分工负责）
""")


def _docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.split("\n"):
        if line:
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.core_properties.author = "heldout"
    d.save(buf)
    return buf.getvalue()


add(
    "sichuan_2019_reform.docx",
    _docx(SICHUAN),
    [
        plan(
            "sichuan_2019_reform.docx",
            [
                S(
                    "一、",
                    "实施质量提升重点工程",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "开展消费品质量提升行动",
                            ["省市场监管局/lead/MARKET", "省经济和信息化厅/assist/EIC"],
                        ),
                        T(
                            "（二）",
                            "推进绿色产品认证",
                            ["省生态环境厅/shared/ENV", "省市场监管局/shared/MARKET"],
                        ),
                        T(
                            "（三）",
                            "加强药品质量安全监管",
                            ["省药品监督管理局/lead/FDA", "省卫生健康委员会/assist/HEALTH"],
                            deadlines=[("年内", "2019-12-31", False)],
                        ),
                        T("（四）", "提升文化旅游服务质量", ["省文化和旅游厅/lead/-"]),
                    ],
                ),
                S(
                    "二、",
                    "强化质量安全底线",
                    "tasks",
                    [
                        T(
                            "（五）",
                            "加强安全生产监管",
                            ["省应急管理厅/lead/SAFETY"],
                            deadlines=[("2019年10月底前", "2019-10-31", False)],
                        ),
                        T(
                            "（六）",
                            "完善质量金融服务",
                            ["省地方金融监督管理局/shared/FIN_OFFICE", "人行成都分行营业管理部/shared/PBOC"],
                        ),
                    ],
                ),
            ],
            title="四川省2019年质量提升行动工作要点",
            year=2019,
            region="四川省",
            level="province",
        )
    ],
)

add(
    "national_2016_excerpt.docx",
    _docx(NATIONAL),
    [
        plan(
            "national_2016_excerpt.docx",
            [
                S(
                    "一、",
                    "增强质量和品牌提升的动力",
                    "tasks",
                    [
                        T(
                            "（一）",
                            "实施质量提升示范项目",
                            ["工业和信息化部/shared/EIC", "质检总局/shared/QTS", "国家发展改革委/shared/DRC"],
                        ),
                        T(
                            "（二）",
                            "推动标准国际化",
                            ["国家标准委/lead/-", "商务部/assist/COMMERCE", "科技部/assist/SCI"],
                        ),
                    ],
                ),
                S(
                    "二、",
                    "优化质量和品牌提升的环境",
                    "tasks",
                    [
                        T(
                            "（三）",
                            "打击侵权假冒行为",
                            ["工商总局/shared/AIC", "公安部/shared/PUBSEC", "国家知识产权局/shared/IPO"],
                        ),
                        T(
                            "（四）",
                            "强化食品药品安全监管",
                            ["食品药品监管总局/shared/FDA", "农业部/shared/AGRI", "卫生计生委/shared/HEALTH"],
                        ),
                        T(
                            "（五）",
                            "推进检验检测认证机构整合",
                            ["中央编办/shared/-", "质检总局/shared/QTS", "认监委/shared/-"],
                        ),
                    ],
                ),
            ],
            title="质量品牌提升2016年工作安排",
            year=2016,
            level="national",
        )
    ],
)


# --------------------------------------------------------------------------- write


def main() -> None:
    for name, data, plans in DOCS:
        (HERE / name).write_bytes(data)
        gold = HERE / (name.rsplit(".", 1)[0] + ".gold.json")
        gold.write_text(json.dumps(plans, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(DOCS)} documents and their gold files to {HERE}")


if __name__ == "__main__":
    main()
