"""End to end with a real Celery worker and real Redis: edits reach the rankings by
themselves, bursts are coalesced, and a Redis outage loses nothing."""

import pytest
from django.db import connection

from companies.models import AnnualData
from core.services import record_save
from rankings.models import CompanyScore, DirtyYear, RankingRun
from rankings.services import LOCK_NAMESPACE, rankings_sweep
from tests.factories import make_user
from tests.rankings.conftest import wait_for
from tests.rankings.helpers import rated_company

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def city_ranks() -> dict[int, int]:
    return dict(
        CompanyScore.objects.filter(run__kind="provisional", rated=True).values_list(
            "company_id", "city_rank"
        )
    )


def settled() -> bool:
    return not DirtyYear.objects.exists() and RankingRun.objects.provisional().exists()


def edit_tax(company, tax, user):
    row = AnnualData.objects.get(company=company, year=2019)
    row.tax_paid = tax
    record_save(instance=row, user=user, expected_version=row.version)


def test_an_edit_makes_the_new_rank_visible(celery_worker_process):
    user = make_user("city", username="w-city")
    a = rated_company(tax_paid=100, main_revenue=1000)
    b = rated_company(tax_paid=50, main_revenue=1000)
    wait_for(lambda: settled() and city_ranks() == {a.pk: 1, b.pk: 2}, what="the first ranking")
    edit_tax(b, 500, user)
    wait_for(lambda: city_ranks() == {a.pk: 2, b.pk: 1}, what="the edit to reach the ranking")
    wait_for(settled, what="the dirty marker to clear")


def test_a_burst_of_edits_is_coalesced_and_ends_correct(celery_worker_process):
    """The burst lands while a recompute of the year is running (held here on the year's
    advisory lock, as a long recompute would hold it): the edits only bump the marker's
    generation, and the running task runs once more at the end."""
    user = make_user("city", username="w-burst")
    companies = [rated_company(tax_paid=10 + i, main_revenue=1000) for i in range(5)]
    wait_for(lambda: settled() and len(city_ranks()) == 5, what="the first ranking")
    first_run = RankingRun.objects.provisional().get().pk
    edits = 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, 2019])
        try:
            edit_tax(companies[0], 999, user)
            wait_for(
                lambda: DirtyYear.objects.filter(started_at__isnull=False).exists(),
                what="the worker to start the recompute",
            )
            for i in range(edits):
                edit_tax(companies[i % 5], 1000 + i, user)  # the last edit of each wins
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, 2019])
    # Last round: companies[4] got 1039, [3] 1038, … so the order is reversed from the start.
    expected = {c.pk: 5 - i for i, c in enumerate(companies)}
    wait_for(lambda: settled() and city_ranks() == expected, what="the burst to settle")
    last_run = RankingRun.objects.provisional().get().pk
    recomputes = last_run - first_run  # run ids come from one sequence, one per recompute
    assert 1 <= recomputes <= 3


def test_with_redis_down_an_edit_succeeds_and_the_sweep_recovers(
    celery_worker_process, throwaway_redis
):
    user = make_user("city", username="w-outage")
    a = rated_company(tax_paid=100, main_revenue=1000)
    b = rated_company(tax_paid=50, main_revenue=1000)
    wait_for(lambda: settled() and city_ranks() == {a.pk: 1, b.pk: 2}, what="the first ranking")

    throwaway_redis.stop()
    edit_tax(b, 500, user)  # must neither fail nor hang
    assert AnnualData.objects.get(company=b).tax_paid == 500
    marker = DirtyYear.objects.get(year=2019)
    assert marker.enqueued_at is None and marker.last_error
    assert city_ranks() == {a.pk: 1, b.pk: 2}  # stale, and says so through the marker

    throwaway_redis.start()

    def swept_and_recovered():
        rankings_sweep()  # what beat does every minute
        return city_ranks() == {a.pk: 2, b.pk: 1}

    wait_for(swept_and_recovered, interval=1.0, what="the rank to recover after the sweep")
    wait_for(settled, what="the dirty marker to clear")
