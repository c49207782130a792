"""Rankings pages: who sees them, what they show, and who may publish."""

import pytest
from django.urls import reverse
from django.utils import timezone

from rankings.models import CompanyScore, RankingRun
from rankings.selectors import publish_summary
from rankings.services import rankings_process_dirty, rankings_publish
from tests.web.conftest import YEAR
from tests.web.helpers import english

STAFF = ["admin", "city", "county"]


@pytest.fixture
def settled(populated):
    """The fixture's writes left the year marked dirty (on-commit hooks do not fire inside a
    test transaction); process it as the worker would, so the year may be published."""
    rankings_process_dirty(year=YEAR)
    return populated


@pytest.mark.parametrize("role", STAFF)
def test_city_ranking_lists_every_rated_company_for_all_staff(client, populated, role):
    client.force_login(populated["users"][role])
    response = client.get(english(reverse("rankings:city")) + f"?year={YEAR}")
    assert response.status_code == 200
    page = response.content.decode()
    # County staff see all ranks, scores and grades, including the other region's company.
    assert populated["own"].name in page and populated["other"].name in page
    scores = list(response.context["scores"])
    assert len(scores) == 8
    assert [s.position for s in scores] == sorted(s.position for s in scores)
    assert all(s.grade in "ABCD" for s in scores)


def test_county_staff_get_links_only_to_companies_of_their_region(client, populated):
    client.force_login(populated["users"]["county"])
    page = client.get(reverse("rankings:city")).content.decode()
    assert reverse("companies:detail", args=[populated["own"].pk]) in page
    assert reverse("companies:detail", args=[populated["other"].pk]) not in page


def test_city_ranking_filters_by_region_industry_and_grade(client, populated, yiwu):
    client.force_login(populated["users"]["city"])
    response = client.get(reverse("rankings:city"), {"year": YEAR, "region": yiwu.pk})
    assert [s.company_id for s in response.context["scores"]] == [populated["other"].pk]
    grade = response.context["scores"][0].grade
    response = client.get(reverse("rankings:city"), {"year": YEAR, "grade": grade})
    assert response.context["scores"] and {s.grade for s in response.context["scores"]} == {grade}
    response = client.get(
        reverse("rankings:city"), {"year": YEAR, "industry": populated["own"].industry_id}
    )
    assert len(response.context["scores"]) == 8
    response = client.get(reverse("rankings:city"), {"year": YEAR, "region": "not-a-region"})
    assert response.status_code == 200
    # A bad filter value lists nothing, with its message on the field, as every list does.
    assert response.context["form"].errors
    assert list(response.context["scores"]) == []


def test_city_ranking_paginates(client, populated, monkeypatch):
    from rankings import views

    monkeypatch.setattr(views, "SCORES_PER_PAGE", 3)
    client.force_login(populated["users"]["city"])
    first = client.get(reverse("rankings:city"), {"year": YEAR})
    third = client.get(reverse("rankings:city"), {"year": YEAR, "page": 3})
    assert len(first.context["scores"]) == 3 and len(third.context["scores"]) == 2
    assert first.context["page_obj"].paginator.num_pages == 3


def test_city_ranking_query_count_does_not_grow_with_rows(
    client, populated, django_assert_max_num_queries
):
    client.force_login(populated["users"]["city"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("rankings:city"), {"year": YEAR}).status_code == 200


def test_league_table_shows_each_region(client, populated, django_assert_max_num_queries):
    client.force_login(populated["users"]["county"])
    with django_assert_max_num_queries(15):
        response = client.get(english(reverse("rankings:league")), {"year": YEAR})
    assert response.status_code == 200
    rows = list(response.context["rows"])
    assert {r.region.code for r in rows} >= {"330784", "330782"}
    counts = [r.ims_certified_count for r in rows]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("role", ["company", "norole"])
def test_company_users_reach_no_rankings_page(client, populated, role):
    client.force_login(populated["users"][role])
    for name in ("city", "league", "runs", "publish"):
        assert client.get(reverse(f"rankings:{name}")).status_code == 404
    assert client.post(reverse("rankings:publish"), {"year": YEAR}).status_code == 404
    assert not RankingRun.objects.published().exists()


def test_anonymous_users_are_sent_to_login(client, populated):
    response = client.get(reverse("rankings:city"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_county_staff_cannot_publish(client, populated):
    client.force_login(populated["users"]["county"])
    assert client.get(reverse("rankings:publish")).status_code == 404
    assert client.post(reverse("rankings:publish"), {"year": YEAR}).status_code == 404
    assert not RankingRun.objects.published().exists()
    page = client.get(reverse("rankings:runs")).content.decode()
    assert reverse("rankings:publish") not in page


@pytest.mark.parametrize("role", ["admin", "city"])
def test_city_staff_publish_and_the_notice_opens(client, settled, role):
    user = settled["users"][role]
    client.force_login(user)
    response = client.post(english(reverse("rankings:publish")), {"year": YEAR, "reason": ""})
    assert response.status_code == 200 and response.context["summary"].year == YEAR
    assert not RankingRun.objects.published().exists()  # a summary first, nothing published
    response = client.post(
        english(reverse("rankings:publish")), {"year": YEAR, "reason": "", "confirm": "1"}
    )
    assert response.status_code == 302
    run = RankingRun.objects.published().get()
    assert run.year == YEAR and run.published_by == user and run.notice_ends_on
    assert response["Location"].endswith(
        reverse("rankings:run_detail", args=[run.pk]).replace("/en", "")
    )
    detail = client.get(english(reverse("rankings:run_detail", args=[run.pk])))
    assert "open until" in detail.content.decode()
    assert len(detail.context["scores"]) == 8
    runs_page = client.get(english(reverse("rankings:runs"))).content.decode()
    assert f"open until {run.notice_ends_on:%Y-%m-%d}" in runs_page

    # A second publication of the same year is a correction and needs a reason.
    response = client.post(
        english(reverse("rankings:publish")), {"year": YEAR, "reason": "", "confirm": "1"}
    )
    assert response.status_code == 200
    assert "reason for the correction" in response.content.decode()
    assert RankingRun.objects.published().count() == 1
    response = client.post(
        english(reverse("rankings:publish")),
        {"year": YEAR, "reason": "数据更正", "confirm": "1"},
    )
    assert response.status_code == 302
    correction = RankingRun.objects.published().latest("started_at")
    assert correction.supersedes == run and correction.reason == "数据更正"


def test_publish_refuses_a_year_without_a_ranking(client, settled):
    client.force_login(settled["users"]["city"])
    response = client.post(reverse("rankings:publish"), {"year": 1990})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert not RankingRun.objects.published().exists()


def test_publishing_shows_what_will_be_published_then_publishes_on_confirm(client, settled):
    client.force_login(settled["users"]["city"])
    url = english(reverse("rankings:publish"))
    form = client.get(url).context["form"]
    default_days = RankingRun.objects.provisional().get(year=YEAR).scheme.notice_days
    assert form.initial["notice_days"] == default_days

    response = client.post(url, {"year": YEAR, "reason": "", "notice_days": "20"})
    assert response.status_code == 200
    summary = response.context["summary"]
    source = RankingRun.objects.provisional().get(year=YEAR)
    assert summary.scheme_version == source.scheme_version
    graded = CompanyScore.objects.filter(run=source, rated=True)
    assert sum(row.above + row.below for row in summary.grade_counts) == graded.count() == 8
    assert summary.compared_with is None and summary.grade_changes is None
    page = response.content.decode()
    assert "No published ranking to compare with." in page
    assert "Confirm and publish" in page and 'name="notice_days" value="20"' in page
    assert not RankingRun.objects.published().exists()

    response = client.post(url, {"year": YEAR, "reason": "", "notice_days": "20", "confirm": "1"})
    assert response.status_code == 302
    run = RankingRun.objects.published().get()
    assert (run.notice_ends_on - timezone.localdate()).days == 20


def test_the_summary_counts_companies_whose_grade_changes_since_the_last_publication(
    client, settled
):
    city = settled["users"]["city"]
    # A year never published is compared with the previous year's publication.
    rankings_process_dirty(year=YEAR - 1)
    last_year = rankings_publish(year=YEAR - 1, user=city)
    assert publish_summary(year=YEAR).compared_with == last_year
    published = rankings_publish(year=YEAR, user=city)
    assert publish_summary(year=YEAR).grade_changes == 0
    source = RankingRun.objects.provisional().get(year=YEAR)
    moved = CompanyScore.objects.filter(run=source, rated=True).exclude(grade="D").first()
    CompanyScore.objects.filter(pk=moved.pk).update(grade="D")
    summary = publish_summary(year=YEAR)
    assert summary.compared_with == published and summary.grade_changes == 1


@pytest.mark.parametrize("days", ["0", "61", "abc"])
def test_a_notice_period_out_of_bounds_is_refused(client, settled, days):
    client.force_login(settled["users"]["city"])
    response = client.post(
        english(reverse("rankings:publish")),
        {"year": YEAR, "reason": "", "notice_days": days, "confirm": "1"},
    )
    assert response.status_code == 200
    assert "notice_days" in response.context["form"].errors
    assert not RankingRun.objects.published().exists()


def test_the_page_counts_of_a_run_follow_a_new_run(client, world):
    # The city ranking's counts are kept with the run (rankings.caching.run_count): a
    # recompute makes a new run, counted afresh, on the page as in the API.
    from rankings.services import rankings_recompute
    from tests.factories import AnnualDataFactory

    AnnualDataFactory(company=world["own"], year=2019, tax_paid=100)
    rankings_recompute(year=2019)
    client.force_login(world["users"]["city"])
    url = reverse("rankings:city") + "?year=2019"
    assert client.get(url).context["page_obj"].paginator.count == 1
    AnnualDataFactory(company=world["other"], year=2019, tax_paid=5000)
    rankings_recompute(year=2019)
    assert client.get(url).context["page_obj"].paginator.count == 2


def test_the_publish_page_opens_on_the_year_not_yet_published(client, settled):
    from rankings.services import rankings_recompute
    from tests.factories import AnnualDataFactory

    city = settled["users"]["city"]
    client.force_login(city)
    assert client.get(reverse("rankings:publish")).context["form"].initial["year"] == YEAR
    rankings_publish(year=YEAR, user=city, unconfirmed_acknowledged=None)
    # The next year is being reported: one company so far, so the ranking pages stay on YEAR
    # but the publish page opens on the year the city works towards, not a correction.
    AnnualDataFactory(company=settled["own"], year=YEAR + 1)
    rankings_recompute(year=YEAR + 1)
    assert client.get(reverse("rankings:city")).context["year"] == YEAR
    assert client.get(reverse("rankings:publish")).context["form"].initial["year"] == YEAR + 1
