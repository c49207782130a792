"""The list endpoints read their page with `.values()` (core.api.values) and answer exactly
what the serializer answers from model instances: every field, in both languages, for every
role — including the score details county staff may not see for another region."""

import pytest

from core.api import viewsets
from core.api.values import values_plan
from rankings.api.serializers import CompanyScoreSerializer, RankedCompanySerializer
from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/companies/",
    "/api/v1/companies/?ordering=city_rank",
    "/api/v1/companies/?ordering=-score",
    "/api/v1/rankings/{year}/scores/",
    "/api/v1/runs/{run}/scores/",
    "/api/v1/regions/",
    "/api/v1/industries/",
    "/api/v1/annual-data/",
    "/api/v1/runs/",
    "/api/v1/designations/",
    "/api/v1/certifications/",
    "/api/v1/projects/",
]


@pytest.fixture
def ranked(world, records):
    year = records["own"]["annual"].year
    return rankings_recompute(year=year)


def through_serializer(monkeypatch):
    monkeypatch.setattr(viewsets, "values_plan", lambda serializer: None)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", ["admin", "city", "county", "company"])
@pytest.mark.parametrize("path", LISTS)
def test_values_read_answers_what_the_serializer_answers(
    api, ranked, monkeypatch, path, role, language
):
    client = api(role)
    url = path.format(run=ranked.pk, year=ranked.year)
    fast = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    with monkeypatch.context() as patched:
        through_serializer(patched)
        slow = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert fast.status_code == slow.status_code
    assert fast.json() == slow.json()


def test_company_and_score_lists_are_read_with_values():
    # The two lists the benchmark holds to the floor must not fall back to instances.
    assert values_plan(RankedCompanySerializer(context={})) is not None
    assert values_plan(CompanyScoreSerializer(context={})) is not None


def test_a_new_run_is_counted_afresh(api, world):
    # The count of a run's list is cached by the run: a recompute makes a new run.
    AnnualDataFactory(company=world["own"], year=2019, tax_paid=100)
    rankings_recompute(year=2019)
    client = api("city")
    assert client.get("/api/v1/rankings/2019/scores/?rated=true").json()["count"] == 1
    AnnualDataFactory(company=world["other"], year=2019, tax_paid=5000)
    rankings_recompute(year=2019)
    assert client.get("/api/v1/rankings/2019/scores/?rated=true").json()["count"] == 2


def test_a_page_of_a_run_is_kept_until_the_next_run(api, world):
    # A run's page is cached by the run (its rows never change); a recompute makes a new run,
    # whose page is read afresh.
    AnnualDataFactory(company=world["own"], year=2019, tax_paid=100)
    rankings_recompute(year=2019)
    client = api("city")
    first = client.get("/api/v1/rankings/2019/scores/?rated=true").json()
    assert client.get("/api/v1/rankings/2019/scores/?rated=true").json() == first
    AnnualDataFactory(company=world["other"], year=2019, tax_paid=5000)
    rankings_recompute(year=2019)
    second = client.get("/api/v1/rankings/2019/scores/?rated=true").json()
    assert second["count"] == 2 and second != first


@pytest.fixture
def cycle(world):
    """A 2020 campaign over the world's companies, one submission moved on (submitted), so
    the page holds two states and so two sets of allowed steps."""
    import datetime

    from django.utils import timezone

    from reporting.services import campaign_open, submission_step

    campaign = campaign_open(
        year=2020,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=world["users"]["city"],
    )
    own = campaign.submissions.get(company=world["own"])
    submission_step(submission=own, action="start", user=world["users"]["company"])
    return campaign


@pytest.mark.parametrize("role", ["admin", "city", "county", "company"])
def test_the_submission_list_read_with_values_answers_what_the_serializer_answers(
    api, cycle, monkeypatch, role
):
    from reporting.api.serializers import SubmissionSerializer

    assert values_plan(SubmissionSerializer(context={})) is not None
    client = api(role)
    fast = client.get("/api/v1/submissions/")
    with monkeypatch.context() as patched:
        through_serializer(patched)
        slow = client.get("/api/v1/submissions/")
    assert fast.status_code == slow.status_code == 200
    assert fast.json() == slow.json()
    assert fast.json()["results"], "the role sees at least one submission"
