"""Failures around the per-run score tables (rankings.sql.storage) and the league step, found
by the review of 2026-12-07: each test failed on the code before its fix. PostgreSQL only."""

import threading

import pytest
from django.db import DatabaseError, connection
from django.db.models import Count, Q

from companies.models import Company
from rankings import services
from rankings.models import CompanyScore, DirtyYear, RankingRun, RegionLeague
from rankings.services import rankings_recompute
from rankings.sql import compute, league, storage
from tests.factories import region
from tests.rankings.helpers import YEAR, rated_company

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_an_error_in_the_league_step_is_reported_as_itself(monkeypatch):
    """A database error of the league step (here a division by zero; in production a
    statement timeout, a cancel, a deadlock) reaches the caller as itself, not as
    'current transaction is aborted' from tidying up in the aborted transaction."""
    rated_company(tax_paid=100)

    def failing_partition(*, run_id, partition):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1/0")

    monkeypatch.setattr(league, "_insert_partition", failing_partition)
    with pytest.raises(DatabaseError) as info:
        rankings_recompute(year=YEAR)
    assert "division by zero" in str(info.value)


@pytest.mark.django_db(transaction=True)
def test_a_table_that_cannot_be_dropped_does_not_fail_committed_recomputes():
    """A retired table that cannot be dropped (here: someone's view on it) neither fails the
    recompute that committed nor any later one: it is logged and left."""
    rated_company(tax_paid=100)
    rated_company(tax_paid=100, year=2020)
    first = rankings_recompute(year=YEAR)
    rankings_recompute(year=2020)
    DirtyYear.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIEW review_first_run AS SELECT id FROM {storage.score_table(first.pk)}"
        )
    try:
        before = set(RankingRun.objects.values_list("id", flat=True))
        services.rankings_mark_dirty(years=[YEAR], reason="edit")
        failure = None
        try:
            services.rankings_process_dirty(year=YEAR)
        except DatabaseError as exc:
            failure = exc
        committed = RankingRun.objects.exclude(id__in=before).filter(year=YEAR).count()
        assert failure is None, (
            f"{type(failure).__name__}: {failure} — raised after the run committed "
            f"(new runs committed: {committed}, dirty marker left: "
            f"{DirtyYear.objects.filter(year=YEAR).exists()})"
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW IF EXISTS review_first_run")


@pytest.mark.django_db(transaction=True)
def test_league_rated_counts_agree_with_the_runs_rows_under_a_concurrent_edit(monkeypatch):
    """The league's rated counts are grouped by the region the run captured on its rows (and
    tax per mu by the rated set's), so an edit committed between the score INSERT and the
    league statement (READ COMMITTED) cannot make the league disagree with the run's rows."""
    moved = rated_company(tax_paid=100)
    rated_company(tax_paid=50)
    other = region("330702")
    real = compute.insert_league

    def edit_committed_then_league(*, run_id, year):
        def work():
            try:
                Company.objects.filter(pk=moved.pk).update(region=other)  # commits at once
            finally:
                connection.close()

        thread = threading.Thread(target=work)
        thread.start()
        thread.join(30)
        return real(run_id=run_id, year=year)

    monkeypatch.setattr(compute, "insert_league", edit_committed_then_league)
    run = rankings_recompute(year=YEAR)
    rows = dict(
        CompanyScore.objects.filter(run=run, rated=True, size_class="above")
        .values_list("region_id")
        .annotate(n=Count("id", filter=Q(rated=True)))
    )
    lines = {
        region_id: count
        for region_id, count in RegionLeague.objects.filter(run=run).values_list(
            "region_id", "rated_count"
        )
        if count
    }
    assert lines == rows
