"""The dashboard's figures are stored with each run (tracker.figures): equal to
`seed_figures` computed from the raw data, for the city and every region, after every kind
of edit once its recompute has run; and the dashboard reads them instead of computing."""

import datetime
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from companies.models import AnnualData, Company
from core.services import record_save
from projects.choices import ProjectStatus
from projects.services import project_transition
from rankings.models import CITY_SCOPE, RunFigures
from rankings.services import rankings_recompute, rankings_recompute_all
from tests.factories import BatchFactory, CertificationFactory, KeyProjectFactory
from tests.web.conftest import YEAR
from tracker import figures
from tracker.selectors import seed_figures

pytestmark = pytest.mark.django_db


def _as_stored(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def assert_stored_figures_are_current(year=YEAR):
    """Every scope's stored figures equal seed_figures over the raw data now."""
    rows = list(RunFigures.objects.filter(year=year))
    assert {row.scope for row in rows} >= {CITY_SCOPE}
    for row in rows:
        companies = Company.objects.all()
        if row.scope != CITY_SCOPE:
            companies = companies.filter(region__code=row.scope)
        assert row.data["seed"] == _as_stored(seed_figures(year=year, companies=companies)), (
            row.scope
        )


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
    rankings_recompute(year=YEAR - 1)
    assert set(figures.stored_figures(CITY_SCOPE)) == {YEAR - 1, YEAR}
    AnnualData.objects.filter(year=YEAR - 1).delete()
    rankings_recompute_all()  # drops the run of the year without data
    assert set(figures.stored_figures(CITY_SCOPE)) == {YEAR}
    assert_stored_figures_are_current()
