"""Tests for zhiliang.lib.planparse.decode (pure: no Django, no database)."""

import io
import time
import zipfile
from pathlib import Path

import pytest

from zhiliang.lib.planparse.decode import DecodedDocument, UnreadableDocument, decode_document

FIXTURES = Path(__file__).parent / "fixtures" / "decode"
PLAN = (FIXTURES / "plan_sample.txt").read_text(encoding="utf-8")
PAGE = (FIXTURES / "portal_page.html").read_text(encoding="utf-8")

TRADITIONAL = (
    "示範市2017年質量提升行動工作方案\n"
    "一、工作目標\n"
    "（一）夯實計量標準基礎。組織企業參與標準制修訂工作，這項工作由市質監局負責。\n"
    "（二）強化食品安全監管。開展農貿市場快檢室建設，與各縣區共同推進。\n"
)


# --------------------------------------------------------------------------- plain text encodings


def test_it_decodes_plain_utf8_text_unchanged():
    doc = decode_document(PLAN.encode("utf-8"), filename="plan.txt")
    assert isinstance(doc, DecodedDocument)
    assert doc.text == PLAN
    assert (doc.encoding, doc.format, doc.traditional, doc.warnings) == ("utf-8", "text", False, [])


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("gb2312", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_it_detects_common_chinese_encodings(codec, expected):
    doc = decode_document(PLAN.encode(codec))
    assert doc.text == PLAN
    assert doc.encoding == expected
    assert doc.format == "text"
    assert doc.warnings == []


def test_it_detects_bomless_utf16_even_when_mostly_ascii():
    text = "2017 plan\n1. target 93%\n（一）质量提升\n" * 20
    assert decode_document(text.encode("utf-16-le")).text == text
    assert decode_document(text.encode("utf-16-be")).text == text


def test_it_keeps_labels_and_punctuation_as_written():
    text = "一、总体要求\n(一)半角括号\n（二）全角括号\n1．全角点\n1﹒小号点\n"
    assert decode_document(text.encode("gb18030")).text == text


def test_it_normalises_line_breaks_bom_zero_width_and_nbsp():
    raw = "\ufeff第一行\r\n第\u200b二\u200d行\r第三\u00a0行\u2028第四行"
    doc = decode_document(raw.encode("utf-8"))
    assert doc.text == "第一行\n第二行\n第三 行\n第四行"


def test_it_keeps_ideographic_space_indentation():
    doc = decode_document("　　一、工作目标\n".encode())
    assert doc.text.startswith("　　一、")


def test_it_reports_where_corrupt_bytes_were_replaced():
    good = ("质量提升行动工作方案第一段内容。\n" * 40).encode("utf-8")
    data = good + b"\xff\xfe\xfd" + "第二段\n".encode()
    doc = decode_document(data)
    assert "\ufffd" in doc.text
    assert len(doc.warnings) == 1
    assert "第41行" in doc.warnings[0]
    assert "质量提升行动工作方案" in doc.text


def test_it_rejects_empty_files():
    for data in (b"", b"   \r\n\t", "\ufeff".encode()):
        with pytest.raises(UnreadableDocument, match="文件为空"):
            decode_document(data)


def test_it_rejects_binary_garbage_with_a_chinese_reason():
    data = bytes(range(256)) * 40
    with pytest.raises(UnreadableDocument) as info:
        decode_document(data)
    assert "编码" in str(info.value) or "无法" in str(info.value)


def test_it_names_unsupported_formats():
    with pytest.raises(UnreadableDocument, match="PDF"):
        decode_document(b"%PDF-1.7\n...")
    with pytest.raises(UnreadableDocument, match="doc"):
        decode_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


def test_plain_utf8_path_is_fast():
    data = (PLAN * 16).encode("utf-8")
    assert len(data) > 15_000
    decode_document(data)
    start = time.perf_counter()
    for _ in range(50):
        decode_document(data)
    per_doc = (time.perf_counter() - start) / 50
    assert per_doc < 0.005  # generous for slow CI; about 0.3 ms locally


# --------------------------------------------------------------------------- Traditional Chinese


def test_it_converts_traditional_text_to_simplified():
    doc = decode_document(TRADITIONAL.encode("utf-8"))
    assert doc.traditional is True
    assert "质量提升行动工作方案" in doc.text
    assert "市质监局负责" in doc.text
    assert doc.warnings == ["文件为繁体中文，已转换为简体"]


def test_it_decodes_big5_traditional_text():
    doc = decode_document(TRADITIONAL.encode("big5"))
    assert doc.encoding == "big5"
    assert doc.traditional is True
    assert "夯实计量标准基础" in doc.text


def test_it_does_not_convert_simplified_text():
    doc = decode_document(PLAN.encode("utf-8"))
    assert doc.traditional is False
    assert doc.text == PLAN


def test_it_converts_only_lines_with_stray_traditional_characters():
    text = PLAN + "（三）加強質量監管，發揮標準引領作用。\n"
    doc = decode_document(text.encode("utf-8"))
    assert doc.traditional is True
    assert "（三）加强质量监管，发挥标准引领作用。" in doc.text
    assert doc.text.startswith(PLAN)
    assert "繁体" in doc.warnings[0]


# --------------------------------------------------------------------------- docx


def _make_docx(tmp_path: Path) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("示范市2017年质量提升行动工作方案")
    document.add_paragraph("一、重点任务")
    document.add_paragraph("（一）夯实计量标准基础。（市质监局负责）")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [("序号", "工作任务", "牵头单位"), ("1", "建设快检室", "市食品药品监管局"), ("2", "", "")]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = table.cell(2, 1).merge(table.cell(2, 2))
    merged.text = "培育名牌产品"
    document.add_paragraph("二、保障措施")
    path = tmp_path / "plan.docx"
    document.save(path)
    return path.read_bytes()


def test_it_reads_docx_paragraphs_and_tables_in_body_order(tmp_path):
    doc = decode_document(_make_docx(tmp_path), filename="whatever.txt")
    assert doc.format == "docx"
    assert doc.encoding == "utf-8"
    assert doc.text.split("\n") == [
        "示范市2017年质量提升行动工作方案",
        "一、重点任务",
        "（一）夯实计量标准基础。（市质监局负责）",
        "序号\t工作任务\t牵头单位",
        "1\t建设快检室\t市食品药品监管局",
        "2\t培育名牌产品",
        "二、保障措施",
    ]


def test_it_converts_traditional_docx(tmp_path):
    import docx

    document = docx.Document()
    for line in TRADITIONAL.strip().split("\n"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    doc = decode_document(buf.getvalue())
    assert doc.traditional is True
    assert "工作目标" in doc.text


def test_it_rejects_a_truncated_docx(tmp_path):
    data = _make_docx(tmp_path)
    with pytest.raises(UnreadableDocument, match=r"ZIP 结构损坏"):
        decode_document(data[: len(data) // 2])


def test_it_rejects_a_zip_that_is_not_a_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(UnreadableDocument, match="不是 .docx"):
        decode_document(buf.getvalue())


def test_it_rejects_a_docx_without_text():
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with pytest.raises(UnreadableDocument, match="没有可读取的文字"):
        decode_document(buf.getvalue())


# --------------------------------------------------------------------------- html


def test_it_extracts_the_article_body_from_a_portal_page():
    doc = decode_document(PAGE.encode("gb18030"), filename="page.txt")
    assert doc.format == "html"
    assert doc.encoding == "gb18030"
    lines = doc.text.split("\n")
    assert lines[0] == "示范市2017年质量提升行动工作方案"
    assert "　　一、工作目标" in lines
    assert "　　全年新增省级名牌产品15个。" in lines
    assert "制造业产品质量合格率稳定在93%以上。" in lines
    assert "序号\t工作任务\t牵头单位\t完成时限" in lines
    assert "1\t开展快检室建设\t市食品药品监管局\t三季度" in lines
    for junk in ("政务公开", "当前位置", "分享到", "版权所有", "部门文件", "var menu", "color"):
        assert junk not in doc.text, junk


def test_it_trusts_valid_utf8_over_a_wrong_meta_charset():
    doc = decode_document(PAGE.encode("utf-8"))
    assert doc.encoding == "utf-8"
    assert "夯实计量标准基础" in doc.text


def test_it_honours_a_big5_meta_charset():
    page = (
        '<html><head><meta charset="big5"><title>t</title></head><body>'
        '<div class="content"><p>一、工作目標</p><p>（一）夯實計量標準基礎。這項工作由市質監局負責。</p></div>'
        "</body></html>"
    )
    doc = decode_document(page.encode("big5"))
    assert doc.format == "html"
    assert doc.traditional is True
    assert doc.text.split("\n") == ["一、工作目标", "（一）夯实计量标准基础。这项工作由市质监局负责。"]


def test_it_finds_the_body_without_named_containers():
    page = (
        "<html><body><div><a>首页</a><a>新闻</a></div>"
        "<div><div><p>一、工作目标</p><p>全年新增省级名牌产品十五个，制造业产品质量合格率稳定提升。</p>"
        "<p>二、重点任务</p><p>（一）夯实计量标准基础，组织企业参与标准制修订工作。</p></div></div>"
        "</body></html>"
    )
    doc = decode_document(page.encode("utf-8"))
    assert doc.text.split("\n")[0] == "一、工作目标"
    assert "首页" not in doc.text


def test_text_with_an_angle_bracket_is_not_html():
    text = "一、工作目标\n不合格率<5%的企业予以通报。\n"
    doc = decode_document(text.encode("utf-8"))
    assert doc.format == "text"
    assert doc.text == text
