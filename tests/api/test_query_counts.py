"""Query counts pinned for every list and detail endpoint: the same at page sizes 1 and 100,
so a serializer that touches a relation per row (N+1) fails here."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rankings.services import rankings_recompute
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    DesignationFactory,
    KeyProjectFactory,
    MaturityFactory,
    ProgressReportFactory,
    SurveillanceAuditFactory,
)

pytestmark = pytest.mark.django_db

ROWS = 101

# Every request as city staff with a token: token + user + membership (1), then the
# endpoint's own queries: count + page for lists (the count measured uncached: a run's
# list caches it by run, rankings.caching).
LISTS = {
    "/api/v1/regions/": 3,
    "/api/v1/industries/": 3,
    "/api/v1/key-industries/": 3,
    "/api/v1/batches/": 3,
    # + the latest provisional run with the company list stamp (companies.listing), read
    # twice when its page is not kept, as for the scores below.
    "/api/v1/companies/": 5,
    "/api/v1/designations/": 3,
    "/api/v1/certifications/": 4,  # + their surveillance audits (the displayed state)
    "/api/v1/surveillance-audits/": 3,
    "/api/v1/maturity-assessments/": 3,
    "/api/v1/annual-data/": 3,
    "/api/v1/projects/": 3,
    "/api/v1/progress-reports/": 3,
    "/api/v1/runs/": 3,
    # + the run of the year, read twice when its page is not kept: for the kept page's key,
    # before the snapshot, then in the snapshot (a kept page is answered without one).
    "/api/v1/rankings/2019/scores/": 5,
    "/api/v1/runs/{run}/scores/": 5,  # + does the run exist (twice, as above)
    "/api/v1/companies/{company}/scores/": 4,  # + is the company visible
    "/api/v1/rankings/2019/league/": 3,  # one page, no count; the run of the year
    "/api/v1/companies/sync/": 3,  # cursor: no count, + the latest run
}
DETAILS = {
    "/api/v1/regions/{region}/": 2,
    "/api/v1/companies/{company}/": 3,
    "/api/v1/designations/{designation}/": 2,
    "/api/v1/certifications/{certification}/": 3,  # + its audits
    "/api/v1/maturity-assessments/{maturity}/": 2,
    "/api/v1/annual-data/{annual}/": 2,
    "/api/v1/projects/{project}/": 2,
    "/api/v1/projects/{project}/history/": 3,
    "/api/v1/progress-reports/{report}/": 2,
    "/api/v1/runs/{run}/": 2,
    "/api/v1/figures/": 13,  # + the size of the transformed cohort
    "/api/v1/rankings/status/": 3,
}


@pytest.fixture
def many(world):
    batch = BatchFactory(number=1)
    BatchFactory.create_batch(3)
    last = {}
    for _n in range(ROWS):
        company = CompanyFactory()
        project = KeyProjectFactory(company=company)
        last = {
            "company": company.pk,
            "region": company.region_id,
            "designation": DesignationFactory(company=company, batch=batch).pk,
            "certification": (certificate := CertificationFactory(company=company)).pk,
            "audit": SurveillanceAuditFactory(certification=certificate).pk,
            "maturity": MaturityFactory(company=company).pk,
            "annual": AnnualDataFactory(company=company).pk,
            "project": project.pk,
            "report": ProgressReportFactory(project=project).pk,
        }
    last["run"] = rankings_recompute(year=2019).pk
    return last


def count(client, path, params):
    cache.clear()  # the uncached cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200, (path, response.content[:300])
    return len(queries), response.json()


def test_query_counts_are_pinned_and_do_not_grow_with_the_page(api, many):
    """One test over every endpoint, so the 700-row fixture is built once."""
    client = api("city")
    measured = {}
    for path in LISTS:
        url = path.format(**many)
        small, _body = count(client, url, {"page_size": 1})
        large, body = count(client, url, {"page_size": 100})
        rows = body if isinstance(body, list) else body["results"]
        if isinstance(body, dict) and "count" in body:
            assert len(rows) == min(100, body["count"]), path
        elif "sync" in path:
            assert len(rows) == 100, path
        measured[path] = (small, large)
    for path in DETAILS:
        measured[path] = count(client, path.format(**many), {})[0]
    expected = {path: (n, n) for path, n in LISTS.items()} | DETAILS
    assert measured == expected
