"""Pinned query counts: list and detail pages cost the same number of queries with 1 row as
with 30 (no N+1). The pins are the measured counts; a change that adds a query per row fails."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import KeyProject
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    DesignationFactory,
    KeyProjectFactory,
    MaturityFactory,
    ProgressReportFactory,
    make_user,
)
from tests.web.conftest import recompute

pytestmark = pytest.mark.django_db

# Page -> most queries allowed (session, user, membership, and the page's own reads).
# Staff pages count one query more for the county user these tests sign in as: the name of
# their region in the header (core.scoping.scope_region_name).
PINNED = {
    # Every page counts one query more for the inbox's unread count in the header
    # (core.notifications), staff pages one more for the county's region name.
    "companies:list": 12,  # + regions, industries, key industries, batches of the filter form,
    # and the run whose grades it shows (rankings.selectors.latest_run)
    "companies:annual_list": 8,
    "companies:batch_list": 8,
    "companies:batch_detail": 7,
    "projects:list": 9,  # lagging is a column of the rows' query
    "companies:detail": 23,  # + the default year, the history of maturity and designations,
    # the population the score was graded in (its baselines: RANKING.md part 2)
    "projects:detail": 10,
    # + the default year (rankings.selectors.default_year), the cohort size, the latest
    # reporting campaign (none here; with one, its progress and queue add three)
    "dashboard": 27,
    # + the default year, the population the score was graded in, the yearly figures, the
    # company's latest submission, the published runs, the official scores, the objections
    # and the runs open to objection, and the campaign coverage the provisional result's
    # banner names (reporting.selectors.campaign_coverage)
    "portal": 18,
}


def build(rows: int, region, batch_number: int = 1):
    """`rows` companies in `region`, each with annual data for two years, a certificate, a
    maturity assessment, a designation and a project with a report; the ranking computed.
    The first company additionally gets `rows` more annual-data rows and projects, and its
    first project `rows` progress reports and status changes."""
    batch = BatchFactory(number=batch_number)
    companies = CompanyFactory.create_batch(rows, region=region)
    for company in companies:
        AnnualDataFactory(company=company, year=2019)
        AnnualDataFactory(company=company, year=2018)
        CertificationFactory(company=company)
        MaturityFactory(company=company)
        DesignationFactory(company=company, batch=batch)
        ProgressReportFactory(project=KeyProjectFactory(company=company), year=2000)
    first = companies[0]
    for year in range(2000, 2000 + rows):
        AnnualDataFactory(company=first, year=year + 30)
    KeyProjectFactory.create_batch(rows, company=first)
    project = KeyProject.objects.filter(company=first).order_by("pk").first()
    for index in range(1, rows):
        ProgressReportFactory(project=project, year=2001 + index // 4, quarter=1 + index % 4)
    recompute(2019)
    return first, batch


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def urls(first, batch):
    project = KeyProject.objects.filter(company=first).first()
    return {
        "companies:list": reverse("companies:list"),
        "companies:annual_list": reverse("companies:annual_list"),
        "companies:batch_list": reverse("companies:batch_list"),
        "companies:batch_detail": reverse("companies:batch_detail", args=[batch.pk]),
        "projects:list": reverse("projects:list"),
        "companies:detail": reverse("companies:detail", args=[first.pk]),
        "projects:detail": reverse("projects:detail", args=[project.pk]),
        "dashboard": reverse("dashboard"),
    }


@pytest.mark.parametrize("rows", [1, 30])
def test_staff_pages_query_counts_are_pinned(client, yongkang, rows, django_assert_max_num_queries):
    first, batch = build(rows, yongkang)
    client.force_login(make_user("county", region=yongkang, username="q-county"))
    for name, url in urls(first, batch).items():
        with django_assert_max_num_queries(PINNED[name]):
            assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("rows", [1, 30])
def test_portal_query_count_is_pinned(client, yongkang, rows, django_assert_max_num_queries):
    first, _batch = build(rows, yongkang)
    client.force_login(make_user("company", company=first, username="q-company"))
    with django_assert_max_num_queries(PINNED["portal"]):
        assert client.get(reverse("portal")).status_code == 200


def test_query_counts_do_not_grow_with_rows(client, yongkang, yiwu):
    """The detail pages with 1 and with 30 related rows, measured side by side."""
    small = build(1, yiwu, batch_number=1)
    large = build(30, yongkang, batch_number=2)
    client.force_login(make_user("city", username="q-city"))
    small_urls, large_urls = urls(*small), urls(*large)
    for name in ("companies:detail", "projects:detail", "companies:batch_detail"):
        assert count_queries(client, small_urls[name]) == count_queries(client, large_urls[name]), (
            name
        )
