"""Ranking runs through the API: staff see every run with who published it and why; a company
user only the published runs its company was rated in, without those staff fields."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser

from rankings.models import DirtyYear, RankingRun
from rankings.services import rankings_publish, rankings_recompute
from tests.factories import AnnualDataFactory

pytestmark = pytest.mark.django_db

STAFF_FIELDS = {"published_by", "reason"}
REASON = "更正义乌他方企业的实缴税金"


@pytest.fixture
def runs(world):
    """2018: only the other company has data (the own company's 2018 score row says "no
    data"); 2019: both. Each year published (2019 twice,
    the second a correction whose reason names the other company), plus the provisional
    runs."""
    AnnualDataFactory(company=world["other"], year=2018, tax_paid=800)
    AnnualDataFactory(company=world["own"], year=2019, tax_paid=100)
    AnnualDataFactory(company=world["other"], year=2019, tax_paid=5000)
    city = world["users"]["city"]
    made = {}
    for year in (2018, 2019):
        made[f"provisional-{year}"] = rankings_recompute(year=year)
    # The factories' saves marked the years dirty; recomputed now, as a worker would have.
    DirtyYear.objects.all().delete()
    made["published-2018"] = rankings_publish(year=2018, user=city)
    made["published-2019"] = rankings_publish(year=2019, user=city)
    made["correction-2019"] = rankings_publish(year=2019, user=city, reason=REASON)
    return made


def listed(client, **params):
    response = client.get("/api/v1/runs/", params)
    assert response.status_code == 200
    return response.json()["results"]


def test_a_company_user_sees_only_the_published_runs_it_was_rated_in(api, world, runs):
    # The own company has a row in 2018's run too, saying it was not rated (no data).
    assert runs["published-2018"].scores.filter(company=world["own"], rated=False).exists()
    rows = listed(api("company"))
    assert {row["id"] for row in rows} == {
        runs["published-2019"].pk,
        runs["correction-2019"].pk,
    }
    for row in rows:
        assert row["kind"] == "published"
        assert not STAFF_FIELDS & set(row)
    assert REASON not in api("company").get("/api/v1/runs/").content.decode()


@pytest.mark.parametrize("hidden", ["provisional-2019", "provisional-2018", "published-2018"])
def test_a_company_user_cannot_open_any_other_run(api, runs, hidden):
    assert api("company").get(f"/api/v1/runs/{runs[hidden].pk}/").status_code == 404


def test_a_company_user_reads_a_run_it_is_in_without_staff_fields(api, runs):
    run = runs["correction-2019"]
    response = api("company").get(f"/api/v1/runs/{run.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2019
    assert body["supersedes"] == runs["published-2019"].pk
    assert not STAFF_FIELDS & set(body)


def test_a_company_users_export_has_no_staff_columns(api, runs):
    response = api("company").get("/api/v1/runs/", {"format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert "year" in header
    assert not STAFF_FIELDS & set(header)
    assert REASON not in text
    assert len(list(csv.reader(io.StringIO(text)))) == 3  # header + its two runs


@pytest.mark.parametrize("role", ["admin", "city", "county"])
def test_staff_see_every_run_with_who_published_it_and_why(api, runs, role):
    rows = listed(api(role), page_size=100)
    assert {row["id"] for row in rows} == {run.pk for run in runs.values()}
    by_id = {row["id"]: row for row in rows}
    correction = by_id[runs["correction-2019"].pk]
    assert correction["published_by"] == "t-city"
    assert correction["reason"] == REASON
    assert by_id[runs["provisional-2019"].pk]["published_by"] is None


def test_the_run_filters_still_apply_within_what_a_company_user_sees(api, runs):
    assert listed(api("company"), year=2018) == []
    assert listed(api("company"), kind="provisional") == []
    assert len(listed(api("company"), year=2019, kind="published")) == 2


def test_runs_visible_to_anyone_without_a_role_are_none(world, runs):
    assert not RankingRun.objects.visible_to(AnonymousUser()).exists()
    assert not RankingRun.objects.visible_to(world["users"]["norole"]).exists()
    assert RankingRun.objects.visible_to(world["users"]["county"]).count() == len(runs)


def test_the_schema_does_not_promise_the_staff_fields(api):
    schema = api("city").get("/api/schema/", {"format": "json"}).json()
    run = schema["components"]["schemas"]["RankingRun"]
    assert STAFF_FIELDS <= set(run["properties"])
    assert not STAFF_FIELDS & set(run["required"])
    assert {"id", "year", "kind"} <= set(run["required"])
