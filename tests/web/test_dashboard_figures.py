"""The dashboard's figures are stored with each run (tracker.figures): equal to
`seed_figures` computed from the raw data, for the city and every region, after every kind
of edit once its recompute has run; and the dashboard reads them instead of computing."""

import datetime
import json
from unittest.mock import patch

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import TestCase
from django.urls import reverse

from companies.models import AnnualData, Company, Region
from core.services import record_save
from projects.choices import ProjectKind, ProjectStatus
from projects.services import project_transition
from rankings.models import CITY_SCOPE, RankingRun, RunFigures
from rankings.services import rankings_recompute, rankings_recompute_all
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    KeyProjectFactory,
)
from tests.web.conftest import YEAR, recompute
from tracker import figures, tasks
from tracker.selectors import seed_figures

pytestmark = pytest.mark.django_db


def _as_stored(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def assert_stored_figures_are_current(year=YEAR):
    """Every scope's stored figures (computed for all scopes at once, grouped by region)
    equal the figures computed for that scope alone from the raw data now: seed_figures,
    the investment by kind and the grade counts (tracker.figures.scope_figures)."""
    rows = list(RunFigures.objects.filter(year=year))
    assert {row.scope for row in rows} >= {CITY_SCOPE}
    run = RankingRun.objects.provisional().get(year=year)
    for row in rows:
        assert row.run_id == run.pk, row.scope
        companies = Company.objects.all()
        region_id = None
        if row.scope != CITY_SCOPE:
            region_id = Region.objects.get(code=row.scope).pk
            companies = companies.filter(region_id=region_id)
        assert row.data["seed"] == _as_stored(seed_figures(year=year, companies=companies)), (
            row.scope
        )
        alone = figures.scope_figures(year=year, run=run, region_id=region_id)
        assert row.data == _as_stored(alone), row.scope


def test_the_run_stores_the_figures_of_the_city_and_of_every_region(populated, yongkang, yiwu):
    scopes = set(RunFigures.objects.filter(year=YEAR).values_list("scope", flat=True))
    assert {CITY_SCOPE, yongkang.code, yiwu.code} <= scopes
    assert_stored_figures_are_current()
    # A county's figures count its own companies only.
    stored = RunFigures.objects.get(year=YEAR, scope=yongkang.code).data["seed"]
    assert stored["companies_total"] == Company.objects.filter(region=yongkang).count()


def _batch(world):
    BatchFactory(number=2)


def _pilot(world):
    own = world["own"]
    own.is_pilot = True
    own.pilot_year = 2016
    record_save(instance=own, user=world["users"]["city"])


def _project_approved(world):
    project = KeyProjectFactory(company=world["other"])
    for status in (ProjectStatus.COUNTY_REVIEWED, ProjectStatus.APPROVED):
        # The administrator may make every step (projects.workflow: county reviews, city approves).
        project_transition(project=project, to_status=status, user=world["users"]["admin"])


def _certificate(world):
    CertificationFactory(company=world["own"], issued_on=datetime.date(YEAR, 3, 1))


def _previous_year(world):
    # The 2018 row is the base of 2019's year-on-year changes.
    row = AnnualData.objects.get(company=world["other"], year=YEAR - 1)
    row.added_value = 12345
    row.robots_in_service = 3
    row.save()


def _robots(world):
    row = AnnualData.objects.get(company=world["own"], year=YEAR)
    row.robots_added = 7
    row.robots_in_service = 9
    row.save()


@pytest.mark.parametrize(
    ("edit", "changes_city_figures"),
    [
        (_batch, True),
        (_pilot, True),
        (_project_approved, True),
        (_certificate, True),
        (_robots, True),
        # No transformed company here, so 2019's figures come out the same; what matters is
        # that the 2018 edit recomputed them.
        (_previous_year, False),
    ],
)
def test_an_edit_reaches_the_stored_figures_once_its_recompute_finishes(
    populated, edit, changes_city_figures, django_capture_on_commit_callbacks
):
    before = RunFigures.objects.get(year=YEAR, scope=CITY_SCOPE)
    # The recompute the edit asks for on commit runs in-process (no broker in tests).
    with django_capture_on_commit_callbacks(execute=True):
        edit(populated)
    after = RunFigures.objects.get(year=YEAR, scope=CITY_SCOPE)
    assert after.run_id != before.run_id  # stored again, with the new run
    assert (after.data != before.data) is changes_city_figures
    assert_stored_figures_are_current()


def test_the_dashboard_reads_the_stored_figures(client, populated, monkeypatch):
    def refuse(**kwargs):
        raise AssertionError("the dashboard computed its figures")

    monkeypatch.setattr(figures, "seed_figures", refuse)
    monkeypatch.setattr("tracker.views.dashboard.compute_figures", refuse)
    for role in ("city", "county"):
        client.force_login(populated["users"][role])
        response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        assert response.context["year"] == YEAR
        assert response.context["figures"]["companies_total"] > 0


def test_figures_of_a_year_whose_run_was_dropped_are_not_offered(populated):
    recompute(YEAR - 1)
    assert set(figures.stored_figures(CITY_SCOPE)) == {YEAR - 1, YEAR}
    AnnualData.objects.filter(year=YEAR - 1).delete()
    with TestCase.captureOnCommitCallbacks(execute=True):
        rankings_recompute_all()  # drops the run of the year without data
    assert set(figures.stored_figures(CITY_SCOPE)) == {YEAR}
    assert_stored_figures_are_current()


def test_the_comparison_stored_per_region_equals_seed_figures_per_region(populated, yongkang):
    """The transformed companies' comparison (cohort, productivity, paired year-on-year sums)
    computed grouped by region equals seed_figures over each region's companies."""
    for region in (yongkang, populated["other"].region):
        for index in range(2):
            company = CompanyFactory(region=region, is_pilot=True, pilot_year=2016)
            KeyProjectFactory(
                company=company,
                kind=ProjectKind.SMART_FACTORY,
                status=ProjectStatus.ACCEPTED,
                accepted_on=datetime.date(YEAR - 1, 6, 1),
                actual_investment=50 + index,
            )
            AnnualDataFactory(company=company, year=YEAR - 1, added_value=100 + index)
            AnnualDataFactory(company=company, year=YEAR, added_value=130, total_profit=None)
        # Outside the comparison's populations: below size (not in the productivity
        # baseline), and a pilot whose project was accepted in the year compared.
        small = CompanyFactory(region=region, above_size=False)
        AnnualDataFactory(company=small, year=YEAR, added_value=9000, avg_employees=3)
        late = CompanyFactory(region=region, is_pilot=True, pilot_year=2016)
        AnnualDataFactory(company=late, year=YEAR - 1, added_value=1)
        AnnualDataFactory(company=late, year=YEAR, added_value=7000)
        KeyProjectFactory(
            company=late,
            kind=ProjectKind.SMART_FACTORY,
            status=ProjectStatus.ACCEPTED,
            accepted_on=datetime.date(YEAR, 2, 1),
        )
    recompute(YEAR)
    city = RunFigures.objects.get(year=YEAR, scope=CITY_SCOPE).data["seed"]
    assert city["transformed_vs_rest"]["cohort_companies"] == 4
    assert city["transformed_vs_rest"]["added_value_change_pct"] is not None
    assert_stored_figures_are_current()


def test_the_figures_are_their_own_task_sent_once_the_run_commits(populated):
    before = RunFigures.objects.get(year=YEAR, scope=CITY_SCOPE)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        run = rankings_recompute(year=YEAR)
    # The run is written; its figures are not computed inside the recompute.
    assert RunFigures.objects.get(year=YEAR, scope=CITY_SCOPE).run_id == before.run_id
    sent = []
    with patch("tracker.tasks.store_figures.delay", side_effect=sent.append):
        for callback in callbacks:
            callback()
    assert sent == [run.pk]
    tasks.store_figures(run.pk)  # what the worker does with it
    assert_stored_figures_are_current()


def test_until_its_figures_task_ran_the_dashboard_shows_the_last_figures_with_a_note(
    client, populated
):
    """Never wrong numbers silently: between a run's commit and its figures task's end the
    dashboard shows the previous run's figures and says so; the sweep re-sends a lost task,
    and once it ran the edit shows."""
    before = RunFigures.objects.get(year=YEAR, scope=CITY_SCOPE)
    client.force_login(populated["users"]["city"])
    with patch("tracker.tasks.store_figures.delay", side_effect=ConnectionError("broker down")):
        with TestCase.captureOnCommitCallbacks(execute=True):
            BatchFactory(number=2)  # a new batch: every year's figures change
    assert RankingRun.objects.provisional().get(year=YEAR).pk != before.run_id
    response = client.get(reverse("dashboard"))
    assert response.context["figures_as_of"] == before.computed_at
    assert response.context["figures"] == before.data["seed"]
    assert "figures-pending" in response.content.decode()

    figures.FIGURES_STALE_AFTER, stale_after = datetime.timedelta(0), figures.FIGURES_STALE_AFTER
    try:
        resent = figures.enqueue_missing_figures()  # every year the batch changed
        assert RankingRun.objects.provisional().get(year=YEAR).pk in resent
    finally:
        figures.FIGURES_STALE_AFTER = stale_after
    assert not figures.runs_without_figures().exists()
    response = client.get(reverse("dashboard"))
    assert response.context["figures_as_of"] is None
    assert response.context["figures"]["batches"] == before.data["seed"]["batches"] + 1
    assert "figures-pending" not in response.content.decode()
    assert_stored_figures_are_current()


def test_a_year_whose_first_figures_are_not_stored_yet_is_computed_for_the_view(client, populated):
    with patch("tracker.tasks.store_figures.delay"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            rankings_recompute(year=YEAR - 1)
    assert not RunFigures.objects.filter(year=YEAR - 1).exists()
    for role, companies in (
        ("city", Company.objects.all()),
        ("county", Company.objects.filter(region=populated["own"].region)),
    ):
        client.force_login(populated["users"][role])
        response = client.get(reverse("dashboard"), {"year": YEAR - 1})
        assert response.status_code == 200
        assert response.context["year"] == YEAR - 1
        assert response.context["figures_as_of"] is None
        assert response.context["figures"] == seed_figures(year=YEAR - 1, companies=companies)


def test_the_county_dashboard_shows_its_own_regions_stored_figures(client, populated, yongkang):
    client.force_login(populated["users"]["county"])
    response = client.get(reverse("dashboard"))
    stored = RunFigures.objects.get(year=YEAR, scope=yongkang.code)
    assert response.context["figures"] == stored.data["seed"]
    assert response.context["figures"]["companies_total"] == (
        Company.objects.filter(region=yongkang).count()
    )
