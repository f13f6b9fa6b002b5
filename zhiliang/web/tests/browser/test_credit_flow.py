"""The public one-stop query end to end, in a real Chromium.

The office imports a records sheet (grades are computed on import) → the enterprise is black-listed
→ a member of the public, with JavaScript switched off, finds it by part of its name → downloads the
credit report PDF → the verification page confirms the report is genuine and current.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

from django.core.cache import cache
from django.urls import reverse

from zhiliang import factories
from zhiliang.credit import lists
from zhiliang.credit.grading import grade_enterprise
from zhiliang.credit.models import Enterprise, EnterpriseGrade
from zhiliang.credit.reports import CreditReport
from zhiliang.credit.tests import builders as b
from zhiliang.web.tests.browser.conftest import login

BLACK_NAME = "杭州浏览器测试电热水壶制造有限公司"
OTHER_NAME = "宁波守信厨具有限公司"


def records_sheet() -> bytes:
    day = (b.today() - datetime.timedelta(days=10)).isoformat()
    header = [
        "统一社会信用代码",
        "企业名称",
        "记录类型",
        "发生日期",
        "来源部门",
        "来源地区",
        "作出机关",
        "摘要",
        "产品",
    ]
    return b.xlsx_bytes(
        [
            header,
            [
                b.ZJ_USCC,
                BLACK_NAME,
                "SAMPLING_FAIL",
                day,
                "QTS",
                "330000",
                "浙江省质量技术监督局",
                "抽查不合格",
                "电热水壶",
            ],
            [
                b.ZJ_USCC,
                BLACK_NAME,
                "PENALTY_SERIOUS",
                day,
                "QTS",
                "330000",
                "浙江省质量技术监督局",
                "责令停产停业",
                "",
            ],
            [
                b.ZJ_USCC_2,
                OTHER_NAME,
                "SAMPLING_PASS",
                day,
                "QTS",
                "330000",
                "浙江省质量技术监督局",
                "抽查合格",
                "燃气灶",
            ],
        ]
    )


def test_a_black_listed_enterprise_is_found_reported_and_verified(page, live_server, browser, office_admin):
    cache.clear()  # rate-limit counters

    # 1. The office imports the sheet; grades are computed as part of the import.
    login(page, live_server, "office_admin", factories.DEFAULT_PASSWORD)
    page.goto(live_server.url + reverse("credit-import"))
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "records.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": records_sheet(),
            }
        ]
    )
    with page.expect_navigation():
        page.locator("form[enctype] [type=submit]").first.click()
    assert "已导入" in page.content()
    ent = Enterprise.objects.get(uscc=b.ZJ_USCC)
    assert EnterpriseGrade.objects.filter(enterprise=ent, is_current=True).exists()

    # 2. The enterprise is black-listed (the office's list decision) and regraded.
    lists.list_entry_create(
        enterprise=ent,
        kind="black",
        actor=None,
        reason="受到较重行政处罚，责令停产停业",
        source_department=factories.department("QTS"),
        source_region=factories.region("330000"),
        source_authority="浙江省质量技术监督局",
    )
    grade_enterprise(enterprise=ent)

    # 3. The public, without JavaScript, finds it by part of its name.
    public = browser.new_context(locale="zh-CN", java_script_enabled=False, accept_downloads=True)
    try:
        p = public.new_page()
        p.goto(live_server.url + reverse("public-search"))
        p.fill("input[name=q]", "电热水壶制造")
        with p.expect_navigation():
            p.get_by_role("button", name="查询").click()
        row = p.locator("tr", has_text=BLACK_NAME)
        assert row.count() == 1
        assert "黑名单" in row.inner_text()
        assert OTHER_NAME not in p.content()
        with p.expect_navigation():
            row.get_by_role("link", name=BLACK_NAME).click()
        assert p.url.endswith(reverse("public-enterprise", args=[b.ZJ_USCC]))
        assert "已列入黑名单" in p.content()
        assert "抽查不合格" in p.content()

        # 4. It downloads the report PDF.
        with p.expect_download() as download_info:
            p.get_by_role("link", name="下载信用报告（PDF）").click()
        path = download_info.value.path()
        pdf = open(path, "rb").read()
        assert pdf.startswith(b"%PDF-")
        report = CreditReport.objects.get(enterprise=ent)
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True).stdout.decode()  # noqa: S603,S607
            assert BLACK_NAME in text and report.number in text and "黑名单" in text
            assert re.search(r"验证编号：[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", text)

        # 5. The verification page confirms it is genuine and current.
        p.goto(live_server.url + reverse("public-verify"))
        p.fill("input[name=number]", report.number.lower())
        with p.expect_navigation():
            p.get_by_role("button", name="验证").click()
        assert "报告真实有效" in p.content()
        assert p.locator("[data-status=current]").count() == 1
        assert BLACK_NAME in p.content()
    finally:
        public.close()
