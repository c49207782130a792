"""Issue 13 item 1: the list pages' columns, filters, sorting and counts — the company list's
grade, score and rank; sort links that change the order on the first click; blanks last in
both directions; the ranking's heading counting the filtered companies; league tables by
region and by industry with the same figures."""

import re

import pytest
from django.db.models import Sum
from django.urls import reverse

from companies.models import Company
from core.sorting import pinyin_sort_key
from rankings.models import CompanyScore, DirtyYear, IndustryLeague, RegionLeague
from rankings.services import rankings_publish, rankings_recompute
from tests.factories import CompanyFactory
from tests.web.helpers import english

pytestmark = pytest.mark.django_db

YEAR = 2019


def rows(response):
    return list(response.context["object_list"])


def staff(client, populated, role="city"):
    client.force_login(populated["users"][role])
    return client


# --- company list -------------------------------------------------------------------------


def test_company_list_shows_the_latest_years_grade_score_and_rank(client, populated):
    staff(client, populated)
    response = client.get(english(reverse("companies:list")), {"sort": "city_rank"})
    first = rows(response)[0]
    best = CompanyScore.objects.get(run__year=YEAR, run__kind="provisional", city_rank=1)
    assert (first.pk, first.grade, first.score) == (best.company_id, best.grade, best.total)
    html = response.content.decode()
    assert "Grade, score and city rank: the current 2019 ranking." in html
    for header in ("grade", "score", "city rank"):
        assert f">{header} " in html


def test_grade_filter_lists_only_that_grade(client, populated):
    staff(client, populated)
    grade = CompanyScore.objects.filter(run__year=YEAR, rated=True).order_by("position")[0].grade
    response = client.get(reverse("companies:list"), {"grade": grade})
    expected = set(
        CompanyScore.objects.filter(run__year=YEAR, grade=grade).values_list(
            "company_id", flat=True
        )
    )
    assert {c.pk for c in rows(response)} == expected
    assert response.context["page_obj"].paginator.count == len(expected)
    assert 'name="grade"' in response.content.decode()


@pytest.mark.parametrize("field", ["grade", "score", "city_rank", "land_area", "founded_on"])
def test_blanks_come_last_in_both_directions(client, populated, yongkang, field):
    CompanyFactory(region=yongkang, land_area_mu=None, founded_on=None)  # not ranked either
    staff(client, populated)
    attribute = {"land_area": "land_area_mu"}.get(field, field)
    for key in (field, f"-{field}"):
        values = [
            getattr(c, attribute)
            for c in rows(client.get(reverse("companies:list"), {"sort": key}))
        ]
        present = [v for v in values if v not in (None, "")]
        assert present and values[: len(present)] == present, key
        assert present == sorted(present, reverse=key.startswith("-")), key


def test_first_click_on_the_default_column_changes_the_order(client, populated):
    staff(client, populated)
    response = client.get(reverse("companies:list"))
    names = [c.name for c in rows(response)]
    assert names == sorted(names, key=pinyin_sort_key)  # opens sorted by name, in pinyin order
    link = re.search(r'<a href="\?([^"]*)">名称', response.content.decode())
    assert link and link.group(1) == "sort=-name"
    flipped = [c.name for c in rows(client.get(reverse("companies:list") + "?" + link.group(1)))]
    assert flipped == sorted(names, key=pinyin_sort_key, reverse=True) and flipped != names


def test_project_list_sorts_by_lagging_and_level(client, populated):
    staff(client, populated)
    for key in ("lagging", "-lagging", "level", "-level"):
        response = client.get(reverse("projects:list"), {"sort": key})
        assert response.status_code == 200
    lagging = [
        p.is_lagging for p in rows(client.get(reverse("projects:list"), {"sort": "-lagging"}))
    ]
    assert lagging == sorted(lagging, reverse=True)


# --- rankings -----------------------------------------------------------------------------


def test_ranking_heading_counts_the_filtered_companies(client, populated, yiwu):
    staff(client, populated)
    url = english(reverse("rankings:city"))
    whole = client.get(url, {"year": YEAR})
    rated = CompanyScore.objects.filter(run__year=YEAR, rated=True).count()
    assert f"{rated} rated companies." in whole.content.decode()
    filtered = client.get(url, {"year": YEAR, "region": yiwu.pk})
    in_yiwu = CompanyScore.objects.filter(run__year=YEAR, rated=True, region=yiwu).count()
    assert 0 < in_yiwu < rated
    html = filtered.content.decode()
    assert f"{in_yiwu} rated companies." in html and f"(filtered, of {rated})" in html


@pytest.mark.parametrize("key", ["total", "-total", "company", "grade", "-region_rank", "e", "s"])
def test_ranking_columns_sort(client, populated, key):
    staff(client, populated)
    response = client.get(reverse("rankings:city"), {"year": YEAR, "sort": key})
    scores = list(response.context["scores"])
    field = {"company": "company_name", "e": "e_points", "s": "s_points"}.get(
        key.lstrip("-"), key.lstrip("-")
    )
    values = [getattr(score, field) for score in scores]
    assert values == sorted(values, reverse=key.startswith("-"))


# --- league tables ------------------------------------------------------------------------

FIGURES = (
    "rated_count",
    "grade_a_count",
    "ims_certified_count",
    "projects_accepted",
    "robots_added",
)


def test_industry_league_has_the_region_leagues_figures(client, populated):
    run = CompanyScore.objects.filter(run__year=YEAR).first().run
    by_region = RegionLeague.objects.filter(run=run).aggregate(*(Sum(f) for f in FIGURES))
    by_industry = IndustryLeague.objects.filter(run=run).aggregate(*(Sum(f) for f in FIGURES))
    assert by_region == by_industry
    assert by_region["rated_count__sum"] == run.rated_count
    staff(client, populated, "county")
    response = client.get(english(reverse("rankings:industry_league")), {"year": YEAR})
    html = response.content.decode()
    assert response.status_code == 200 and "Industry league table 2019" in html
    rated = [row for row in response.context["rows"] if row.rated_count]
    assert rated and all(row.industry.code in html for row in rated)


def test_league_sorts_and_published_runs_keep_their_industry_table(client, populated, yongkang):
    staff(client, populated)
    response = client.get(reverse("rankings:league"), {"year": YEAR, "sort": "rated"})
    counts = [row.rated_count for row in response.context["rows"]]
    assert counts == sorted(counts)
    default = [
        row.ims_certified_count
        for row in client.get(reverse("rankings:league"), {"year": YEAR}).context["rows"]
    ]
    assert default == sorted(default, reverse=True)
    DirtyYear.objects.all().delete()  # the fixture's writes marked the year; it is current
    published = rankings_publish(year=YEAR, user=populated["users"]["city"])
    assert (
        IndustryLeague.objects.filter(run=published).count()
        == IndustryLeague.objects.filter(run__year=YEAR, run__kind="provisional").count()
    )


def test_recompute_replaces_the_industry_table(populated):
    rankings_recompute(year=YEAR)
    assert IndustryLeague.objects.filter(run__year=YEAR).values("run").distinct().count() == 1
    assert Company.objects.exists()
