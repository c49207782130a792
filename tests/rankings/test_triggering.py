"""Every change to a ranking input marks the affected years dirty, durably and in the same
transaction; on commit a recompute is requested, coalesced; a dead broker loses nothing."""

import datetime
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from companies.models import AnnualData
from core.services import record_delete, record_save
from projects.services import project_transition
from rankings import services
from rankings.models import CompanyScore, DirtyYear, RankingRun, ScoringScheme
from rankings.selectors import rankings_status
from tests.factories import (
    AnnualDataFactory,
    CertificationFactory,
    CompanyFactory,
    KeyProjectFactory,
    MaturityFactory,
    make_user,
)
from tests.rankings.helpers import d, dirty, rated_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_years():
    """A company with data for 2017–2019, the markers its creation wrote cleared."""
    company = CompanyFactory()
    for year in (2017, 2018, 2019):
        AnnualDataFactory(company=company, year=year)
    DirtyYear.objects.all().delete()
    return company


def test_annual_data_marks_its_year_and_the_old_year(three_years):
    row = AnnualData.objects.get(company=three_years, year=2018)
    row.tax_paid = 1
    row.save()
    assert dirty() == [2018]
    DirtyYear.objects.all().delete()
    row.year = 2016
    row.save()
    assert dirty() == [2016, 2018]
    DirtyYear.objects.all().delete()
    row.delete()
    assert dirty() == [2016]


def test_company_changes_mark_its_years_only_when_a_rated_field_changes(three_years):
    three_years.contact_phone = "0579-1234567"
    three_years.save()
    assert dirty() == []
    for field, value in [("land_area_mu", 80), ("rated", False), ("founded_on", d(2018, 1, 1))]:
        setattr(three_years, field, value)
        three_years.save()
        assert dirty() == [2017, 2018, 2019], field
        DirtyYear.objects.all().delete()


def test_deleting_a_company_marks_its_years_through_the_cascade(three_years):
    user = make_user("admin", username="deleter")
    record_delete(instance=three_years, user=user)
    assert dirty() == [2017, 2018, 2019]


def test_certificates_maturity_and_projects_mark_years_from_their_date(three_years):
    cert = CertificationFactory(company=three_years, issued_on=d(2018, 3, 1))
    assert dirty() == [2018, 2019]
    DirtyYear.objects.all().delete()
    cert.status = "suspended"
    cert.save()
    assert dirty() == [2018, 2019]
    DirtyYear.objects.all().delete()
    cert.delete()
    assert dirty() == [2018, 2019]
    DirtyYear.objects.all().delete()

    MaturityFactory(company=three_years, assessed_on=d(2019, 1, 5))
    assert dirty() == [2019]
    DirtyYear.objects.all().delete()

    # Not accepted: no effect on any year.
    project = KeyProjectFactory(company=three_years, planned_start=d(2018, 1, 1))
    assert dirty() == []
    user = make_user("admin", username="mover")
    for status in ("county_reviewed", "approved", "in_progress", "acceptance_requested"):
        project_transition(project=project, to_status=status, user=user)
    assert dirty() == []
    project_transition(project=project, to_status="accepted", user=user, accepted_on=d(2018, 7, 1))
    assert dirty() == [2018, 2019]


def test_changing_the_scheme_marks_every_year(three_years):
    scheme = ScoringScheme.objects.get(active=True)
    scheme.weight_tax_per_mu = 30
    services.scheme_revise(scheme=scheme)
    assert dirty() == [2017, 2018, 2019]


def test_record_save_marks_in_the_same_transaction(three_years):
    row = AnnualData.objects.get(company=three_years, year=2019)
    row.tax_paid = 5
    user = make_user("admin", username="saver")
    with pytest.raises(RuntimeError), transaction.atomic():
        record_save(instance=row, user=user)
        assert dirty() == [2019]
        raise RuntimeError("roll back")
    assert dirty() == []  # the marker went with the rolled-back edit


def test_bulk_paths_mark_explicitly_and_bump_the_generation():
    assert services.rankings_mark_dirty(years=[2019, 2018, 2019], reason="import") == [2018, 2019]
    services.rankings_mark_dirty(years=[2019])
    gens = dict(DirtyYear.objects.values_list("year", "generation"))
    assert gens == {2018: 1, 2019: 2}


def test_bad_years_are_refused_naming_the_field():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.rankings_mark_dirty(years=[1800])
    assert "year" in exc.value.message_dict
    assert dirty() == []


def test_on_commit_the_recompute_runs_and_the_new_rank_is_visible(
    django_capture_on_commit_callbacks,
):
    a = rated_company(tax_paid=100)
    b = rated_company(tax_paid=50)
    with django_capture_on_commit_callbacks(execute=True):
        services.rankings_mark_dirty(years=[2019])
    scores = {s.company_id: s.city_rank for s in CompanyScore.objects.filter(rated=True)}
    assert scores == {a.pk: 1, b.pk: 2}
    assert dirty() == []
    row = AnnualData.objects.get(company=b)
    row.tax_paid = 500
    with django_capture_on_commit_callbacks(execute=True):
        row.save()
    scores = {s.company_id: s.city_rank for s in CompanyScore.objects.filter(rated=True)}
    assert scores == {a.pk: 2, b.pk: 1}
    assert RankingRun.objects.provisional().count() == 1


def test_one_transaction_sends_one_request_per_year(django_capture_on_commit_callbacks):
    with mock.patch("rankings.tasks.recompute_year.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(50):
                services.rankings_mark_dirty(years=[2018, 2019])
        assert sorted(c.args[0] for c in delay.call_args_list) == [2018, 2019]
        # Still queued (the mock never ran it): a later edit sends nothing more.
        with django_capture_on_commit_callbacks(execute=True):
            services.rankings_mark_dirty(years=[2019])
        assert delay.call_count == 2
    assert DirtyYear.objects.get(year=2019).generation == 51


def test_a_rolled_back_mark_sends_nothing_and_the_next_commit_sends_its_own(
    django_capture_on_commit_callbacks,
):
    with mock.patch("rankings.tasks.recompute_year.delay") as delay:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.rankings_mark_dirty(years=[2017])
            raise RuntimeError("roll back")
        with django_capture_on_commit_callbacks(execute=True):
            services.rankings_mark_dirty(years=[2019])
            with pytest.raises(RuntimeError), transaction.atomic():
                services.rankings_mark_dirty(years=[2018])
                raise RuntimeError("roll back the savepoint only")
        assert [c.args[0] for c in delay.call_args_list] == [2019]
    assert dirty() == [2019]


def test_a_dead_broker_never_fails_the_save_and_the_sweep_recovers(
    django_capture_on_commit_callbacks,
):
    a = rated_company(tax_paid=100)
    with mock.patch(
        "rankings.tasks.recompute_year.delay", side_effect=ConnectionError("redis down")
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.rankings_mark_dirty(years=[2019])
    marker = DirtyYear.objects.get(year=2019)
    assert marker.enqueued_at is None
    assert "redis down" in marker.last_error
    assert not CompanyScore.objects.exists()
    assert services.rankings_sweep() == [2019]  # eager here: the broker is back
    assert CompanyScore.objects.get(company=a).city_rank == 1
    assert dirty() == []


def test_a_change_during_a_recompute_causes_one_more_round():
    rated_company(tax_paid=100)
    services.rankings_mark_dirty(years=[2019])
    real = services.rankings_recompute
    calls = []

    def recompute_with_an_edit_landing(*, year):
        calls.append(year)
        if len(calls) == 1:
            services.rankings_mark_dirty(years=[year], reason="edit during the run")
        return real(year=year)

    with mock.patch.object(services, "rankings_recompute", recompute_with_an_edit_landing):
        services.rankings_process_dirty(year=2019)
    assert calls == [2019, 2019]
    assert dirty() == []


def test_a_lone_edit_is_computed_at_once_and_a_burst_waits_for_quiet():
    """The first round does not wait for the quiet period (a lone edit is ranked at once);
    a round caused by changes that came in during the previous one waits for them to stop."""
    rated_company(tax_paid=100)
    services.rankings_mark_dirty(years=[2019])
    real_recompute, real_sleep = services.rankings_recompute, services.time.sleep
    rounds, sleeps = [], []

    def recompute_with_an_edit_landing(*, year):
        rounds.append(len(sleeps))  # how many waits came before this round
        run = real_recompute(year=year)
        if len(rounds) == 1:  # at the very end of the round, so it is still fresh after it
            services.rankings_mark_dirty(years=[year], reason="edit during the run")
        return run

    def sleep(seconds):
        sleeps.append(seconds)
        real_sleep(seconds)

    with (
        mock.patch.object(services, "rankings_recompute", recompute_with_an_edit_landing),
        mock.patch.object(services.time, "sleep", sleep),
    ):
        services.rankings_process_dirty(year=2019, quiet_period=datetime.timedelta(milliseconds=50))
    assert rounds[0] == 0  # the lone edit: no wait
    assert rounds[1] >= 1  # the edit made during the first round: waited for quiet
    assert dirty() == []


def test_status_reports_as_of_pending_and_running():
    rated_company(tax_paid=100)
    DirtyYear.objects.all().delete()
    assert rankings_status().as_of is None
    run = services.rankings_recompute(year=2019)
    services.rankings_mark_dirty(years=[2018, 2019])
    DirtyYear.objects.filter(year=2019).update(started_at=timezone.now())
    status = rankings_status()
    assert status.as_of == run.finished_at
    assert (status.pending, status.running) == ([2018], [2019])
    assert not status.up_to_date
