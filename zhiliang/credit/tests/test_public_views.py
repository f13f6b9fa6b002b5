"""The public one-stop query pages: search, enterprise page, 404s, escaping, rate limits, objections."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from zhiliang import factories
from zhiliang.credit import lists
from zhiliang.credit.grading import grade_enterprise
from zhiliang.credit.models import CreditRecord, Objection, RecordStatus
from zhiliang.credit.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # rate-limit counters live in the cache; every test starts from zero
    yield
    cache.clear()


@pytest.fixture
def black_listed():
    """杭州测试电器有限公司: a failed sampling, a serious penalty, black-listed, graded."""
    ent = b.enterprise()
    b.record(ent, "SAMPLING_FAIL", title="电热水壶抽查不合格")
    serious = b.record(ent, "PENALTY_SERIOUS", title="责令停产停业", product="")
    lists.list_entry_create(
        enterprise=ent,
        kind="black",
        actor=None,
        reason="受到较重行政处罚",
        source_department=factories.department("QTS"),
        source_region=factories.region("330000"),
        source_authority="浙江省质量技术监督局",
        source_record=serious,
    )
    grade_enterprise(enterprise=ent)
    return ent


def search(client: Client, q: str):
    return client.get(reverse("public-search"), {"q": q})


class TestSearchPage:
    def test_it_renders_without_a_query(self, client):
        response = client.get(reverse("public-search"))
        assert response.status_code == 200
        assert "企业质量信用查询" in response.content.decode()

    def test_it_finds_a_black_listed_enterprise_by_part_of_its_name(self, client, black_listed):
        html = search(client, "测试电器").content.decode()
        assert black_listed.name in html
        assert "黑名单" in html
        assert reverse("public-enterprise", args=[black_listed.uscc]) in html

    def test_it_finds_by_code(self, client, black_listed):
        assert black_listed.name in search(client, black_listed.uscc).content.decode()

    def test_it_shows_the_grade(self, client, black_listed):
        grade = black_listed.current_grade()
        assert grade is not None
        assert (
            f'<span class="badge badge-grade">{grade.grade}</span>'
            in search(client, "测试电器").content.decode()
        )

    def test_a_script_in_the_query_is_shown_escaped(self, client, black_listed):
        html = search(client, "<script>alert(1)</script>").content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_a_quote_in_the_query_cannot_break_out_of_the_input(self, client):
        html = search(client, '" autofocus onfocus="alert(1)').content.decode()
        assert 'onfocus="alert(1)"' not in html
        assert "&quot; autofocus onfocus=&quot;alert(1)" in html

    def test_fts_syntax_in_the_query_does_not_crash(self, client, black_listed):
        for q in ['"', "NEAR(测试 电器)", "测试*", '"测试" OR "电器"', "'", "\\"]:
            assert search(client, q).status_code == 200

    def test_it_is_cacheable_for_a_short_while_and_not_indexed(self, client):
        response = search(client, "测试")
        assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"

    def test_it_works_without_javascript(self, client, black_listed):
        html = search(client, "测试").content.decode()
        assert "<script" not in html
        assert '<form method="get"' in html

    def test_it_answers_with_a_fixed_number_of_queries(
        self, client, django_assert_max_num_queries, black_listed
    ):
        for i in range(5):
            ent = b.enterprise(
                uscc=b.make_uscc("9", "1", "330100", f"MA2Q{i:04d}"), name=f"杭州测试电器第{i}分厂"
            )
            b.record(ent, "SAMPLING_PASS")
        with django_assert_max_num_queries(8):
            html = search(client, "测试电器").content.decode()
        assert html.count("/public/credit/9") >= 6


class TestNoEnumeration:
    def test_an_enterprise_with_nothing_public_is_not_found_by_search(self, client):
        ent = b.enterprise(name="杭州无公示信息有限公司")
        b.record(ent, "SAMPLING_FAIL", is_public=False)
        assert ent.name not in search(client, "无公示信息").content.decode()

    def test_its_page_is_the_same_404_as_an_unknown_code(self, client):
        ent = b.enterprise(name="杭州无公示信息有限公司")
        b.record(ent, "SAMPLING_FAIL", is_public=False)
        hidden = client.get(reverse("public-enterprise", args=[ent.uscc]))
        unknown = client.get(reverse("public-enterprise", args=[b.AH_USCC]))
        assert hidden.status_code == unknown.status_code == 404
        assert hidden.content == unknown.content
        assert ent.name not in hidden.content.decode()

    def test_the_report_of_a_hidden_enterprise_is_the_same_404(self, client):
        ent = b.enterprise(name="杭州无公示信息有限公司")
        hidden = client.get(reverse("public-report", args=[ent.uscc]))
        unknown = client.get(reverse("public-report", args=[b.AH_USCC]))
        assert hidden.status_code == unknown.status_code == 404
        assert hidden.content == unknown.content

    def test_non_public_records_never_appear(self, client, black_listed):
        b.record(black_listed, "COMPLAINT", title="内部线索不公开", is_public=False)
        html = client.get(reverse("public-enterprise", args=[black_listed.uscc])).content.decode()
        assert "内部线索不公开" not in html
        assert "电热水壶抽查不合格" in html

    def test_revoked_records_never_appear(self, client, black_listed):
        record = b.record(black_listed, "COMPLAINT", title="已撤销的投诉")
        CreditRecord.objects.filter(pk=record.pk).update(status=RecordStatus.REVOKED)
        html = client.get(reverse("public-enterprise", args=[black_listed.uscc])).content.decode()
        assert "已撤销的投诉" not in html

    def test_a_record_past_its_display_period_does_not_appear(self, client, black_listed):
        long_ago = b.today() - datetime.timedelta(days=800)
        b.record(
            black_listed,
            "PENALTY_MINOR",
            title="过期的警告",
            occurred_on=long_ago,
            published_from=long_ago,
            display_until=long_ago + datetime.timedelta(days=90),
        )
        html = client.get(reverse("public-enterprise", args=[black_listed.uscc])).content.decode()
        assert "过期的警告" not in html

    def test_a_repaired_record_disappears_on_its_repair_date(self, client, black_listed):
        record = CreditRecord.objects.get(enterprise=black_listed, title="电热水壶抽查不合格")
        repair_day = b.today() + datetime.timedelta(days=3)
        CreditRecord.objects.filter(pk=record.pk).update(repaired_on=repair_day, status=RecordStatus.REPAIRED)
        url = reverse("public-enterprise", args=[black_listed.uscc])
        assert "电热水壶抽查不合格" in client.get(url).content.decode()
        cache.clear()
        with mock.patch("django.utils.timezone.localdate", return_value=repair_day):
            assert "电热水壶抽查不合格" not in client.get(url).content.decode()

    def test_a_lower_case_code_in_the_address_works(self, client, black_listed):
        response = client.get(f"/public/credit/{black_listed.uscc.lower()}/")
        assert response.status_code == 200

    def test_a_malformed_code_is_a_404(self, client):
        assert client.get("/public/credit/not-a-code/").status_code == 404


class TestEnterprisePage:
    def test_it_shows_grade_list_status_records_and_the_report_link(self, client, black_listed):
        html = client.get(reverse("public-enterprise", args=[black_listed.uscc])).content.decode()
        grade = black_listed.current_grade()
        assert grade.grade in html
        assert "已列入黑名单" in html and "受到较重行政处罚" in html
        assert "责令停产停业" in html
        assert reverse("public-report", args=[black_listed.uscc]) in html

    def test_a_name_with_markup_is_escaped(self, client):
        ent = b.enterprise(name="杭州<b>粗体</b>&公司")
        b.record(ent, "SAMPLING_PASS")
        html = client.get(reverse("public-enterprise", args=[ent.uscc])).content.decode()
        assert "<b>粗体</b>" not in html and "杭州&lt;b&gt;粗体&lt;/b&gt;&amp;公司" in html

    def test_post_is_not_allowed(self, client, black_listed):
        assert client.post(reverse("public-enterprise", args=[black_listed.uscc])).status_code == 405


class TestRateLimit:
    def test_search_answers_429_in_chinese_past_the_rate(self, client, settings):
        settings.PUBLIC_SEARCH_RATE = "3/m"
        codes = [search(client, "测试").status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        response = search(client, "测试")
        assert "请求过于频繁" in response.content.decode()
        assert response["Retry-After"] == "60" and "no-store" in response["Cache-Control"]

    def test_the_limit_is_per_client_address(self, client, settings):
        settings.PUBLIC_SEARCH_RATE = "1/m"
        assert search(client, "测试").status_code == 200
        assert search(client, "测试").status_code == 429
        other = client.get(reverse("public-search"), {"q": "测试"}, REMOTE_ADDR="10.1.2.3")
        assert other.status_code == 200

    def test_report_and_verify_are_limited_too(self, client, settings, black_listed):
        settings.PUBLIC_SEARCH_RATE = "1/m"
        settings.PUBLIC_REPORT_RATE = None
        report_url = reverse("public-report", args=[black_listed.uscc])
        assert client.get(report_url).status_code == 200
        assert client.get(report_url).status_code == 429
        verify_url = reverse("public-verify")
        assert client.get(verify_url).status_code == 200
        assert client.get(verify_url).status_code == 429


class TestObjection:
    def record_url(self, ent, record):
        return reverse("public-objection", args=[ent.uscc, record.pk])

    def test_the_enterprise_files_an_objection_from_the_public_page(self, client, black_listed):
        record = CreditRecord.objects.get(enterprise=black_listed, title="电热水壶抽查不合格")
        page = client.get(reverse("public-enterprise", args=[black_listed.uscc])).content.decode()
        assert self.record_url(black_listed, record) in page
        response = client.post(
            self.record_url(black_listed, record),
            {"name": "张三", "contact": "13800000000", "reason": "样品非本企业生产"},
        )
        assert response.status_code == 200 and "异议已提交" in response.content.decode()
        assert Objection.objects.get(record=record).filed_by_name == "张三"
        record.refresh_from_db()
        assert record.status == RecordStatus.OBJECTED
        assert "no-store" in response["Cache-Control"]

    def test_the_form_requires_a_csrf_token(self, black_listed):
        record = CreditRecord.objects.get(enterprise=black_listed, title="电热水壶抽查不合格")
        strict = Client(enforce_csrf_checks=True)
        response = strict.post(
            self.record_url(black_listed, record), {"name": "张三", "contact": "1", "reason": "x"}
        )
        assert response.status_code == 403
        assert not Objection.objects.exists()

    def test_the_form_carries_a_csrf_token(self, client, black_listed):
        record = CreditRecord.objects.get(enterprise=black_listed, title="电热水壶抽查不合格")
        assert "csrfmiddlewaretoken" in client.get(self.record_url(black_listed, record)).content.decode()

    def test_a_second_objection_is_refused_with_a_message(self, client, black_listed):
        record = CreditRecord.objects.get(enterprise=black_listed, title="电热水壶抽查不合格")
        data = {"name": "张三", "contact": "13800000000", "reason": "理由"}
        client.post(self.record_url(black_listed, record), data)
        html = client.post(self.record_url(black_listed, record), data).content.decode()
        assert "已有待处理的异议" in html
        assert Objection.objects.count() == 1

    def test_a_non_public_record_cannot_be_disputed_from_outside(self, client, black_listed):
        hidden = b.record(black_listed, "COMPLAINT", is_public=False)
        assert client.get(self.record_url(black_listed, hidden)).status_code == 404

    def test_a_record_of_another_enterprise_is_a_404(self, client, black_listed):
        other = b.enterprise(uscc=b.ZJ_USCC_2, name="宁波另一家有限公司")
        record = b.record(other, "SAMPLING_FAIL")
        assert client.get(self.record_url(black_listed, record)).status_code == 404


class TestRepairApplication:
    data = {"name": "张三", "contact": "13800000000", "reason": "已完成整改并通过复查"}

    def test_a_penalty_published_long_enough_can_be_repaired_from_the_public_page(self, client):
        from zhiliang.credit.models import RepairApplication

        ent = b.enterprise()
        penalty = b.record(ent, "PENALTY", occurred_on=b.today() - datetime.timedelta(days=400))
        url = reverse("public-repair-record", args=[ent.uscc, penalty.pk])
        assert url in client.get(reverse("public-enterprise", args=[ent.uscc])).content.decode()
        response = client.post(url, self.data)
        assert response.status_code == 200 and "申请已提交" in response.content.decode()
        assert RepairApplication.objects.get(record=penalty).status == "pending"
        assert "no-store" in response["Cache-Control"]

    def test_a_recent_penalty_is_refused_with_the_first_day_allowed(self, client):
        from zhiliang.credit.models import RepairApplication

        ent = b.enterprise()
        penalty = b.record(ent, "PENALTY")
        html = client.post(reverse("public-repair-record", args=[ent.uscc, penalty.pk]), self.data)
        assert "方可申请信用修复" in html.content.decode()
        assert not RepairApplication.objects.exists()

    def test_a_black_list_entry_can_be_repaired_after_the_criterion_allows(self, client):
        from zhiliang.credit.models import ListCriterion, RepairApplication

        ent = b.enterprise()
        criterion = ListCriterion.objects.filter(
            kind="black", early_removal_after_months__isnull=False
        ).first()
        entry = lists.list_entry_create(
            enterprise=ent,
            kind="black",
            actor=None,
            reason="受到较重行政处罚",
            source_department=factories.department("QTS"),
            source_region=factories.region("330000"),
            source_authority="浙江省质量技术监督局",
            criterion=criterion,
            listed_on=b.today() - datetime.timedelta(days=31 * (criterion.early_removal_after_months + 1)),
        )
        url = reverse("public-repair-entry", args=[ent.uscc, entry.pk])
        assert url in client.get(reverse("public-enterprise", args=[ent.uscc])).content.decode()
        assert "申请已提交" in client.post(url, self.data).content.decode()
        assert RepairApplication.objects.filter(list_entry=entry).count() == 1

    def test_the_form_requires_a_csrf_token(self, black_listed):
        record = CreditRecord.objects.get(enterprise=black_listed, title="责令停产停业")
        strict = Client(enforce_csrf_checks=True)
        response = strict.post(
            reverse("public-repair-record", args=[black_listed.uscc, record.pk]), self.data
        )
        assert response.status_code == 403

    def test_another_enterprises_entry_is_a_404(self, client, black_listed):
        from zhiliang.credit.models import ListEntry

        other = b.enterprise(uscc=b.ZJ_USCC_2, name="宁波另一家有限公司")
        entry = ListEntry.objects.get(enterprise=black_listed)
        assert client.get(reverse("public-repair-entry", args=[other.uscc, entry.pk])).status_code == 404
