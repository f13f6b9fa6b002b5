"""Credit report PDFs, verification numbers and the public verification page."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest
from django.core.cache import cache
from django.urls import reverse

from zhiliang import factories
from zhiliang.credit import lists
from zhiliang.credit.grading import grade_enterprise
from zhiliang.credit.models import CreditRecord
from zhiliang.credit.reports import (
    NUMBER_ALPHABET,
    CreditReport,
    credit_report_issue,
    credit_report_verify,
    new_report_number,
    normalise_report_number,
    render_report_pdf,
)
from zhiliang.credit.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ent():
    ent = b.enterprise(name="杭州报告电器有限公司")
    b.record(ent, "SAMPLING_FAIL", title="电热水壶抽查不合格")
    b.record(ent, "COMPLAINT", title="内部线索不公开", is_public=False)
    grade_enterprise(enterprise=ent)
    return ent


def pdf_text(pdf: bytes) -> str:
    """Text of a PDF: pdftotext when installed, else the decoded content streams (CID → Unicode)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603,S607
        return out.stdout.decode()
    # STSong-Light with UniGB-UCS2-H: each glyph is shown as a UCS-2 code unit in <hex> strings.
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(stream)
        except zlib.error:
            continue
        for hexstr in re.findall(rb"<([0-9a-fA-F]+)>", data):
            text.append(bytes.fromhex(hexstr.decode()).decode("utf-16-be", errors="ignore"))
        text += [s.decode("latin-1") for s in re.findall(rb"\((.*?)\)\s*Tj", data)]
    return "".join(text)


class TestNumbers:
    def test_a_number_is_sixteen_characters_in_four_groups(self):
        number = new_report_number()
        assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", number)
        assert all(ch in NUMBER_ALPHABET for ch in number.replace("-", ""))

    def test_numbers_do_not_repeat(self):
        assert len({new_report_number() for _ in range(2000)}) == 2000

    def test_typed_numbers_are_normalised(self):
        assert normalise_report_number(" 7kq3 m9xw-4tra hc2e ") == "7KQ3-M9XW-4TRA-HC2E"
        assert normalise_report_number("7KQ3-M9XW-4TRA") is None
        assert normalise_report_number("0KQ3-M9XW-4TRA-HC2E") is None  # 0 is not in the alphabet


class TestIssue:
    def test_it_snapshots_only_public_information(self, ent):
        report = credit_report_issue(enterprise=ent)
        titles = [r["title"] for r in report.snapshot["records"]]
        assert titles == ["电热水壶抽查不合格"]
        assert report.snapshot["name"] == "杭州报告电器有限公司" and report.snapshot["uscc"] == ent.uscc
        assert report.snapshot["grade"]["grade"] == ent.current_grade().grade

    def test_the_same_day_and_state_reuse_the_report(self, ent):
        assert credit_report_issue(enterprise=ent) == credit_report_issue(enterprise=ent)
        assert CreditReport.objects.count() == 1

    def test_a_changed_state_issues_a_new_report(self, ent):
        first = credit_report_issue(enterprise=ent)
        b.record(ent, "SAMPLING_PASS", title="复查合格")
        assert credit_report_issue(enterprise=ent) != first


class TestPdf:
    def test_the_pdf_carries_the_name_number_records_and_verify_address(self, ent):
        report = credit_report_issue(enterprise=ent)
        pdf = render_report_pdf(report, verify_url="https://zl.example/public/verify/X/")
        assert pdf.startswith(b"%PDF-")
        text = pdf_text(pdf)
        for expected in (
            "企业质量信用报告",
            "杭州报告电器有限公司",
            ent.uscc,
            report.number,
            "电热水壶抽查不合格",
            "zl.example",
        ):
            assert expected in text, expected
        assert "内部线索不公开" not in text

    def test_markup_in_data_is_printed_literally(self, ent):
        report = credit_report_issue(enterprise=ent)
        report.snapshot["name"] = "杭州<b>&公司"
        assert "杭州<b>&公司" in pdf_text(render_report_pdf(report, verify_url="x"))

    def test_a_re_download_is_byte_identical(self, ent):
        report = credit_report_issue(enterprise=ent)
        assert render_report_pdf(report, verify_url="x") == render_report_pdf(report, verify_url="x")

    def test_the_download_is_an_attachment_that_is_not_cached(self, client, ent):
        response = client.get(reverse("public-report", args=[ent.uscc]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "no-store" in response["Cache-Control"]
        report = CreditReport.objects.get()
        assert report.number in pdf_text(response.content)
        assert reverse("public-verify-number", args=[report.number]) in pdf_text(response.content)


class TestVerify:
    def test_a_fresh_report_is_current(self, ent):
        report = credit_report_issue(enterprise=ent)
        result = credit_report_verify(number=report.number.lower().replace("-", " "))
        assert result.report == report and result.is_current and result.changes == []

    def test_a_report_of_a_black_listed_enterprise_is_current(self, ent):
        lists.list_entry_create(
            enterprise=ent,
            kind="black",
            actor=None,
            reason="测试",
            source_department=factories.department("QTS"),
            source_region=factories.region("330000"),
            source_authority="浙江省质量技术监督局",
        )
        grade_enterprise(enterprise=ent)
        report = credit_report_issue(enterprise=ent)
        assert report.snapshot["lists"][0]["kind"] == "black"
        result = credit_report_verify(number=report.number)
        assert result.is_current, result.changes

    def test_a_new_record_supersedes_it(self, ent):
        report = credit_report_issue(enterprise=ent)
        b.record(ent, "SAMPLING_PASS")
        result = credit_report_verify(number=report.number)
        assert not result.is_current and "records" in result.changes

    def test_black_listing_supersedes_it(self, ent):
        report = credit_report_issue(enterprise=ent)
        lists.list_entry_create(
            enterprise=ent,
            kind="black",
            actor=None,
            reason="测试",
            source_department=factories.department("QTS"),
            source_region=factories.region("330000"),
            source_authority="浙江省质量技术监督局",
        )
        grade_enterprise(enterprise=ent)
        result = credit_report_verify(number=report.number)
        assert not result.is_current and "lists" in result.changes

    def test_a_non_public_change_does_not_supersede_it_nor_show(self, ent):
        report = credit_report_issue(enterprise=ent)
        b.record(ent, "COMPLAINT", title="又一条内部线索", is_public=False)
        assert credit_report_verify(number=report.number).is_current

    def test_an_unknown_number_is_none(self):
        assert credit_report_verify(number=new_report_number()) is None
        assert credit_report_verify(number="junk") is None


class TestVerifyPage:
    def test_the_form_redirects_to_the_number_page(self, client, ent):
        report = credit_report_issue(enterprise=ent)
        typed = report.number.lower().replace("-", "")
        response = client.get(reverse("public-verify"), {"number": typed})
        assert response.status_code == 302
        assert response["Location"] == reverse("public-verify-number", args=[report.number])

    def test_it_confirms_a_current_report_with_name_and_date(self, client, ent):
        report = credit_report_issue(enterprise=ent)
        response = client.get(reverse("public-verify-number", args=[report.number]))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-status="current"' in html and "报告真实有效" in html
        assert "杭州报告电器有限公司" in html and f"{report.issued_at.astimezone():%Y-%m-%d}" in html
        assert "内部线索不公开" not in html and "电热水壶" not in html  # no record details at all
        assert "no-cache" in response["Cache-Control"]

    def test_it_says_superseded_after_a_change(self, client, ent):
        report = credit_report_issue(enterprise=ent)
        CreditRecord.objects.filter(enterprise=ent, title="电热水壶抽查不合格").update(is_public=False)
        html = client.get(reverse("public-verify-number", args=[report.number])).content.decode()
        assert 'data-status="superseded"' in html and "公示记录" in html

    def test_an_unknown_number_is_a_404_that_says_so(self, client):
        response = client.get(reverse("public-verify-number", args=[new_report_number()]))
        assert response.status_code == 404 and "未找到该验证编号" in response.content.decode()

    def test_a_malformed_number_shows_the_form_error(self, client):
        response = client.get(reverse("public-verify"), {"number": "<script>x</script>"})
        html = response.content.decode()
        assert response.status_code == 200 and "验证编号为16位" in html
        assert "<script>x</script>" not in html
