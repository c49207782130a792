"""A list answer reads one snapshot: a recompute committing mid-request cannot empty it."""

import threading

import pytest
from django.db import connection

import rankings.api.views as ranking_views
from core.roles import Role
from rankings.services import rankings_recompute
from tests.api.conftest import client_for
from tests.factories import AnnualDataFactory, CompanyFactory, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _recompute_in_another_connection(year):
    def work():
        try:
            rankings_recompute(year=year)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=60)


def test_scores_page_survives_a_recompute_committed_after_the_run_was_picked(monkeypatch):
    for tax in (100, 200, 300):
        AnnualDataFactory(company=CompanyFactory(), year=2019, tax_paid=tax)
    rankings_recompute(year=2019)
    real_run_current = ranking_views.run_current

    def run_current_then_recompute(**kwargs):
        run = real_run_current(**kwargs)
        # The old run is deleted and a new one committed before the count and the page.
        _recompute_in_another_connection(2019)
        return run

    monkeypatch.setattr(ranking_views, "run_current", run_current_then_recompute)
    client = client_for(make_user(Role.CITY, username="snap-city"))

    response = client.get("/api/v1/rankings/2019/scores/?page_size=2")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3
    assert [row["city_rank"] for row in body["results"]] == [1, 2]
