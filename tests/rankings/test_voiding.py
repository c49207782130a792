"""A voided record counts for nothing: the ranking of a year with voided rows is exactly the
ranking with those rows deleted; voiding and restoring mark the right years stale; a year
left without data can have its provisional run discarded; pages open on the latest year with
rated companies."""

import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import AnnualData, Certification, MaturityAssessment
from core.services import record_restore, record_void
from projects.models import KeyProject
from rankings.models import CompanyScore, DirtyYear, RankingRun, RegionLeague
from rankings.selectors import default_year
from rankings.services import (
    rankings_discard_run,
    rankings_mark_dirty,
    rankings_publish,
    rankings_recompute,
)
from tests.factories import CertificationFactory, MaturityFactory
from tests.rankings.helpers import YEAR, dirty, rated_company
from tests.rankings.test_property import _build, company

pytestmark = pytest.mark.django_db

VOIDABLE = (AnnualData, Certification, MaturityAssessment, KeyProject)


def _snapshot(run) -> tuple[dict, dict]:
    """Everything a run says about each company and region, without ids of the run itself."""
    scores = {
        s.company_id: (
            s.rated,
            s.not_rated_reason,
            s.total,
            s.e_points,
            s.s_points,
            s.city_rank,
            s.region_rank,
            s.industry_rank,
            s.position,
            s.grade,
            s.veto_applied,
            s.protection_applied,
        )
        for s in CompanyScore.objects.filter(run=run)
    }
    league = {
        row.region_id: (
            row.rated_count,
            row.grade_a_count,
            row.ims_certified_count,
            row.projects_accepted,
            row.projects_accepted_investment,
            row.robots_added,
            row.tax_per_mu,
        )
        for row in RegionLeague.objects.filter(run=run)
    }
    return scores, league


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(companies=st.lists(company, min_size=1, max_size=10), seed=st.integers(0, 2**32))
def test_a_voided_row_scores_exactly_as_a_deleted_one(companies, seed):
    rng = random.Random(seed)
    with transaction.atomic():
        _build(companies)
        chosen = {
            model: [pk for pk in model.objects.values_list("pk", flat=True) if rng.random() < 0.4]
            for model in VOIDABLE
        }
        for model, ids in chosen.items():
            model.objects.filter(pk__in=ids).update(voided_at=timezone.now(), void_reason="x")
        voided = _snapshot(rankings_recompute(year=YEAR))
        for model, ids in chosen.items():
            model.objects.filter(pk__in=ids).delete()
        deleted = _snapshot(rankings_recompute(year=YEAR))
        assert voided == deleted
        transaction.set_rollback(True)


def test_voiding_and_restoring_an_annual_row_mark_its_year(world):
    company = rated_company(tax_paid=100)
    row = company.annual_data.get()
    DirtyYear.objects.all().delete()
    record_void(instance=row, user=world["users"]["city"], reason="duplicate")
    assert dirty() == [YEAR]
    DirtyYear.objects.all().delete()
    record_restore(instance=row, user=world["users"]["city"])
    assert dirty() == [YEAR]


@pytest.mark.parametrize("factory", [CertificationFactory, MaturityFactory])
def test_voiding_a_dated_record_marks_the_years_from_when_it_counted(world, factory):
    company = rated_company(tax_paid=100)
    rated_company(tax_paid=50, year=YEAR + 1)
    record = factory(company=company)
    DirtyYear.objects.all().delete()
    record_void(instance=record, user=world["users"]["city"], reason="wrong company")
    assert dirty() == [YEAR, YEAR + 1]


def test_a_voided_accepted_project_stops_counting(world):
    company = rated_company(tax_paid=100)
    project = KeyProject.objects.create(
        company=company,
        name="数字化车间",
        kind="digital_workshop",
        status="accepted",
        accepted_on=datetime.date(YEAR, 6, 1),
    )
    with_project = CompanyScore.objects.get(run=rankings_recompute(year=YEAR), company=company)
    assert with_project.project_points > 0
    DirtyYear.objects.all().delete()
    record_void(instance=project, user=world["users"]["city"], reason="not this company's")
    assert dirty() == [YEAR]
    without = CompanyScore.objects.get(run=rankings_recompute(year=YEAR), company=company)
    assert without.project_points == 0


# --- a stray year ------------------------------------------------------------------------


@pytest.fixture
def stray_year(world):
    """Rated companies in 2019, and one 2035 row with a single figure (a mistyped year),
    voided after its ranking was computed: 2035 keeps a run that rates nobody."""
    companies = [rated_company(tax_paid=tax) for tax in (100, 200, 300)]
    rankings_recompute(year=YEAR)
    stray = AnnualData.objects.create(company=companies[0], year=2035, tax_paid=5)
    rankings_recompute(year=2035)
    # One rated company of three does not take the pages over (attacker pass: one row of
    # the current year moved every page and portal to it).
    assert default_year() == YEAR
    record_void(instance=stray, user=world["users"]["city"], reason="year mistyped")
    rankings_recompute(year=2035)
    return stray


def test_the_default_year_is_the_latest_with_rated_companies(stray_year):
    assert RankingRun.objects.provisional().filter(year=2035).get().rated_count == 0
    assert default_year() == YEAR


def test_a_new_year_becomes_the_default_once_it_covers_half_the_companies(world):
    companies = [rated_company(tax_paid=tax) for tax in (100, 200, 300, 400)]
    rankings_recompute(year=YEAR)
    AnnualData.objects.create(company=companies[0], year=YEAR + 1, tax_paid=5)
    rankings_recompute(year=YEAR + 1)
    assert default_year() == YEAR
    AnnualData.objects.create(company=companies[1], year=YEAR + 1, tax_paid=6)
    rankings_recompute(year=YEAR + 1)
    assert default_year() == YEAR + 1


def test_city_staff_discard_the_run_of_a_year_without_data(world, stray_year):
    rankings_mark_dirty(years=[2035])
    rankings_discard_run(year=2035, user=world["users"]["city"])
    assert not RankingRun.objects.filter(year=2035).exists()
    assert not DirtyYear.objects.filter(year=2035).exists()
    assert RankingRun.objects.provisional().filter(year=YEAR).exists()


def test_discarding_is_refused_while_the_year_has_data(world, stray_year):
    with pytest.raises(ValidationError) as refused:
        rankings_discard_run(year=YEAR, user=world["users"]["city"])
    assert "year" in refused.value.message_dict
    assert RankingRun.objects.provisional().filter(year=YEAR).exists()


def test_discarding_is_refused_for_a_published_year(world, stray_year):
    DirtyYear.objects.all().delete()  # the recompute after the void is done
    rankings_publish(year=2035, user=world["users"]["city"])
    with pytest.raises(ValidationError):
        rankings_discard_run(year=2035, user=world["users"]["city"])
    assert RankingRun.objects.provisional().filter(year=2035).exists()


@pytest.mark.parametrize("role", ["county", "company"])
def test_only_city_staff_discard(world, stray_year, role):
    with pytest.raises(PermissionDenied):
        rankings_discard_run(year=2035, user=world["users"][role])
    assert RankingRun.objects.filter(year=2035).exists()


@pytest.fixture
def scored_companies():
    """Rated companies whose every kind of voidable record counts in 2019."""
    companies = [rated_company(tax_paid=tax, emissions=10, avg_employees=50) for tax in (1, 2, 3)]
    first = companies[0]
    AnnualData.objects.create(company=first, year=YEAR - 1, tax_paid=7)
    CertificationFactory(company=first, level="AAA", issued_on=datetime.date(YEAR, 3, 1))
    MaturityFactory(company=first, level=5, assessed_on=datetime.date(YEAR, 3, 1))
    KeyProject.objects.create(
        company=first,
        name="智能工厂",
        kind="smart_factory",
        status="accepted",
        accepted_on=datetime.date(YEAR, 6, 1),
        actual_investment=100,
    )
    return companies


@pytest.mark.parametrize("model", VOIDABLE)
def test_each_kind_of_voided_record_scores_as_deleted(world, scored_companies, model):
    record = model.objects.filter(company=scored_companies[0]).order_by("-pk").first()
    if model is AnnualData:
        record = AnnualData.objects.get(company=scored_companies[0], year=YEAR)
    before = _snapshot(rankings_recompute(year=YEAR))
    record_void(instance=record, user=world["users"]["city"], reason="entered by mistake")
    voided = _snapshot(rankings_recompute(year=YEAR))
    model.objects.filter(pk=record.pk).delete()
    deleted = _snapshot(rankings_recompute(year=YEAR))
    assert voided == deleted
    assert voided != before
