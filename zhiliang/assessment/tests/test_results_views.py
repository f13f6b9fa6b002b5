"""Results views: radar data, year-over-year comparison, and bounded query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiliang.assessment import selectors, services
from zhiliang.assessment.models import Stage
from zhiliang.assessment.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(office_admin):
    first = b.open_assessment(office_admin)
    b.advance(first, office_admin, to=Stage.FINAL, scores={"330100": {"1.1.1": "4"}})
    scheme = services.scheme_copy(scheme=first.scheme, user=office_admin)
    second = services.assessment_create(scheme=scheme, user=office_admin)
    b.advance(second, office_admin, to=Stage.FINAL, scores={"330100": {"2.2.3": "3"}})
    return first, second


def test_the_radar_shows_each_top_level_indicator_as_a_percentage(two_years) -> None:
    _first, second = two_years
    data = selectors.chart_data(second, selectors.ranking(second))
    assert [i["name"] for i in data["radar"]["indicators"]] == ["1 质量安全", "2 质量发展"]
    hz = next(c for c in data["radar"]["cities"] if c["name"] == "杭州市")
    assert hz["value"] == [100.0, 94.0]  # 47 of 50
    assert data["radar"]["average"] == [100.0, round((94 + 100 * 10) / 11, 2)]


def test_year_over_year_compares_with_the_previous_assessment(
    request, two_years, office_admin, client_as
) -> None:
    first, second = two_years
    data = selectors.chart_data(second, selectors.ranking(second))
    assert data["previous_title"] == first.title
    hz = next(y for y in data["yoy"] if y["city"] == "杭州市")
    assert (hz["before"], hz["now"], hz["change"]) == (96.0, 97.0, 1.0)
    page = client_as(office_admin).get(reverse("assessment-results", args=[second.pk])).content.decode()
    assert first.title in page and "chart-yoy" in page


def test_the_results_page_uses_a_bounded_number_of_queries(
    two_years, office_admin, client_as, django_assert_max_num_queries
) -> None:
    _first, second = two_years
    client = client_as(office_admin)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("assessment-results", args=[second.pk])).status_code == 200
    hz = b.city(second, "330100")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("assessment-city", args=[second.pk, hz.pk])).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("assessment-scoring", args=[second.pk])).status_code == 200
