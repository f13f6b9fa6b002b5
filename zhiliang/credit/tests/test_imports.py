"""Bulk import of records from .xlsx/.csv: row-level errors, all or nothing, grading after the write."""

from __future__ import annotations

import datetime

import pytest

from zhiliang.credit.imports import credit_records_import, parse_date
from zhiliang.credit.models import CreditRecord, Enterprise, EnterpriseGrade, RecordEvent
from zhiliang.credit.tests import builders as b

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "记录类型",
    "发生日期",
    "来源部门",
    "来源地区",
    "产品",
    "结果",
    "决定文号",
]


def rows(*data: list[str]) -> list[list[str]]:
    return [HEADER, *data]


GOOD = [
    b.ZJ_USCC,
    "杭州测试电器有限公司",
    "监督抽查不合格",
    "2025-03-01",
    "QTS",
    "330000",
    "电热水壶",
    "不合格",
    "浙质监抽〔2025〕1号",
]
GOOD2 = [b.ZJ_USCC_2, "宁波测试食品有限公司", "AWARD_GOV", "2025/3/2", "质量技术监督局", "浙江省", "", "", ""]


class TestImport:
    def test_a_clean_csv_is_written_and_graded(self, office_admin):
        report = credit_records_import(
            data=b.csv_bytes(rows(GOOD, GOOD2)), file_name="records.csv", actor=office_admin
        )
        assert report.ok, report.error_lines()
        assert report.created_records == 2 and report.created_enterprises == 2
        assert report.grades == {b.ZJ_USCC: "C", b.ZJ_USCC_2: "A"}
        assert EnterpriseGrade.objects.filter(is_current=True, scheme__is_default=True).count() == 2
        assert not Enterprise.objects.filter(needs_regrade=True).exists()
        record = CreditRecord.objects.get(enterprise__uscc=b.ZJ_USCC)
        assert record.source_authority == "浙江省质量技术监督局" and record.import_batch == report.batch
        assert record.events.get().kind == RecordEvent.Kind.IMPORTED

    def test_an_xlsx_with_real_dates_is_read(self, office_admin):
        data = b.xlsx_bytes(rows([*GOOD[:3], datetime.datetime(2025, 3, 1), *GOOD[4:]]))
        report = credit_records_import(data=data, file_name="records.xlsx", actor=office_admin)
        assert report.ok, report.error_lines()
        assert CreditRecord.objects.get().occurred_on == datetime.date(2025, 3, 1)

    def test_any_error_writes_nothing_and_names_row_and_column(self, office_admin):
        bad = [b.ZJ_USCC_2, "宁波测试食品有限公司", "不存在的类型", "2025-13-01", "QTS", "330000", "", "", ""]
        report = credit_records_import(
            data=b.csv_bytes(rows(GOOD, bad)), file_name="r.csv", actor=office_admin
        )
        assert not report.ok
        lines = report.error_lines()
        assert "第3行“记录类型”列：未知的记录类型“不存在的类型”" in lines
        assert "第3行“发生日期”列：无法识别的日期“2025-13-01”" in lines
        assert not CreditRecord.objects.exists() and not Enterprise.objects.exists()

    def test_a_bad_code_is_reported_with_the_reason(self, office_admin):
        bad = ["91350100M000100Y4Z", "x", "PENALTY", "2025-01-01", "QTS", "330000", "", "", ""]
        report = credit_records_import(data=b.csv_bytes(rows(bad)), file_name="r.csv", actor=office_admin)
        assert any(
            e.row == 2 and e.column == "统一社会信用代码" and "第18位" in e.message for e in report.errors
        )

    def test_a_pilot_code_needs_acceptance_by_an_office_admin(self, office_admin, department_liaison):
        pilot = [b.PILOT_USCC, "福州试点企业", "SAMPLING_FAIL", "2025-01-01", "QTS", "330000", "水壶", "", ""]
        data = b.csv_bytes(rows(pilot))
        report = credit_records_import(data=data, file_name="r.csv", actor=office_admin)
        assert "勾选" in report.errors[0].message and not Enterprise.objects.exists()
        report = credit_records_import(
            data=data, file_name="r.csv", actor=department_liaison, accept_warnings=True
        )
        assert "质量办管理员" in report.errors[0].message
        report = credit_records_import(data=data, file_name="r.csv", actor=office_admin, accept_warnings=True)
        assert report.ok
        enterprise = Enterprise.objects.get()
        assert enterprise.uscc_warning_accepted_by == office_admin and enterprise.uscc_warnings

    def test_the_liaison_may_import_only_its_department(self, department_liaison):
        aic = [*GOOD[:4], "AIC", "330000", *GOOD[6:]]
        report = credit_records_import(
            data=b.csv_bytes(rows(GOOD, aic)), file_name="r.csv", actor=department_liaison
        )
        assert [str(e) for e in report.errors] == ["第3行“来源部门”列：无权以“浙江省工商行政管理局”名义录入"]

    def test_the_liaison_defaults_to_its_own_department(self, department_liaison):
        header = ["统一社会信用代码", "企业名称", "记录类型", "发生日期", "产品"]
        data = b.csv_bytes(
            [header, [b.ZJ_USCC, "杭州测试电器有限公司", "SAMPLING_FAIL", "2025-03-01", "水壶"]]
        )
        report = credit_records_import(data=data, file_name="r.csv", actor=department_liaison)
        assert report.ok, report.error_lines()
        assert CreditRecord.objects.get().source_department.code == "QTS"

    def test_another_province_cannot_import_as_zhejiang(self, other_office_admin):
        report = credit_records_import(
            data=b.csv_bytes(rows(GOOD)), file_name="r.csv", actor=other_office_admin
        )
        assert not report.ok and report.errors[0].column == "来源部门"

    def test_the_same_file_twice_is_refused(self, office_admin):
        data = b.csv_bytes(rows(GOOD))
        assert credit_records_import(data=data, file_name="r.csv", actor=office_admin).ok
        report = credit_records_import(data=data, file_name="r.csv", actor=office_admin)
        assert "已于" in report.errors[0].message
        assert CreditRecord.objects.count() == 1

    def test_missing_required_columns(self, office_admin):
        report = credit_records_import(
            data=b.csv_bytes([["企业名称"], ["x"]]), file_name="r.csv", actor=office_admin
        )
        assert report.errors[0].message == "缺少必填列"

    def test_a_gb18030_csv_is_decoded(self, office_admin):
        text = "\n".join(",".join(r) for r in rows(GOOD))
        report = credit_records_import(data=text.encode("gb18030"), file_name="r.csv", actor=office_admin)
        assert report.ok, report.error_lines()

    def test_the_same_code_with_two_names_is_an_error(self, office_admin):
        other = [b.ZJ_USCC, "另一个名称", *GOOD[2:]]
        report = credit_records_import(
            data=b.csv_bytes(rows(GOOD, other)), file_name="r.csv", actor=office_admin
        )
        assert any(e.row == 3 and e.column == "企业名称" for e in report.errors)

    def test_the_import_command_is_a_dry_run_by_default(self, office_admin, tmp_path):
        from io import StringIO

        from django.core.management import call_command

        path = tmp_path / "r.csv"
        path.write_bytes(b.csv_bytes(rows(GOOD)))
        out = StringIO()
        call_command("credit_import", str(path), "--user", "office_admin", stdout=out)
        assert "校验通过" in out.getvalue() and not CreditRecord.objects.exists()
        call_command("credit_import", str(path), "--user", "office_admin", "--commit", stdout=out)
        assert CreditRecord.objects.count() == 1


def test_parse_date_accepts_common_forms():
    assert parse_date("2024年3月5日") == datetime.date(2024, 3, 5)
    assert parse_date("2024.3.5") == datetime.date(2024, 3, 5)
    assert parse_date("20240305") == datetime.date(2024, 3, 5)
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("昨天")
