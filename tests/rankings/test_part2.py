"""RANKING.md part 2, hand-computed cases: the 规下 class and its block E_below, size class and
land area as facts of the year, and evaluation scope "region"."""

from decimal import Decimal

import pytest

from companies.models import AnnualData
from rankings.models import DirtyYear, RunBaseline, ScoringScheme
from rankings.services import rankings_publish, rankings_recompute, scheme_revise
from tests.factories import CompanyFactory, make_user, region
from tests.rankings.helpers import YEAR, dec, dirty, rated_company, scores_by_company, set_scheme

pytestmark = pytest.mark.django_db


def small(*, land=10, year=YEAR, company_kwargs=None, **figures):
    """A rated company below designated size (规下) with annual data holding `figures`."""
    return rated_company(
        land=land,
        year=year,
        company_kwargs={"above_size": False, **(company_kwargs or {})},
        **figures,
    )


def test_e_below_is_tax_per_mu_and_tax_per_electricity_against_ratio_of_sums_baselines():
    a = small(land=10, tax_paid=100, electricity=50)  # 10 per mu, 2 per unit electricity
    b = small(land=30, tax_paid=60, electricity=60)  # 2 per mu, 1 per unit electricity
    big = rated_company(land=10, tax_paid=1000)  # 规上: its own class, not in these baselines
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    # baselines: tax per mu 160 / 40 = 4; tax per electricity 160 / 110
    assert rows[a.pk].tax_per_mu_points == pytest.approx(50 * 2)  # 10 / 4 capped at 2
    assert rows[a.pk].tax_per_electricity_points == pytest.approx(50 * 2 / (160 / 110))
    assert rows[b.pk].tax_per_mu_points == pytest.approx(50 * 0.5)
    assert rows[b.pk].tax_per_electricity_points == pytest.approx(50 * 1 / (160 / 110))
    assert rows[b.pk].total == dec(25 + 50 / (160 / 110))
    # 规下 rows carry only their block's values; the others' are empty
    assert rows[a.pk].added_value_per_mu is None and rows[big.pk].tax_per_electricity is None
    assert (rows[a.pk].city_rank, rows[b.pk].city_rank, rows[big.pk].city_rank) == (1, 2, 1)
    assert (rows[a.pk].position, rows[big.pk].position) == (1, 1)
    assert (run.rated_count, run.rated_count_below) == (1, 2)
    below = RunBaseline.objects.get(run=run, size_class="below")
    assert below.baseline_tax_per_mu == pytest.approx(4)
    assert (below.rated_count, below.cutoff_a, below.cutoff_b) == (2, 1, 2)
    assert run.baseline_tax_per_mu == pytest.approx(100)  # the run's own: 规上 over the city


def test_land_exactly_at_the_threshold_is_rated():
    at = small(land=3, tax_paid=10, electricity=5)
    under = small(land="2.99", tax_paid=10, electricity=5)
    year_at = small(land=1, tax_paid=10, electricity=5)
    AnnualData.objects.filter(company=year_at).update(land_area_mu=Decimal("3.00"))
    rows = scores_by_company(rankings_recompute(year=YEAR))
    assert rows[at.pk].rated and rows[year_at.pk].rated
    assert (rows[under.pk].rated, rows[under.pk].not_rated_reason) == (False, "land_below_min")
    set_scheme(below_min_land_mu=Decimal("3.01"))
    rows = scores_by_company(rankings_recompute(year=YEAR))
    assert rows[at.pk].not_rated_reason == "land_below_min"
    # 规上 companies have no threshold: any land > 0
    tiny_big = rated_company(land="0.5", tax_paid=1)
    assert scores_by_company(rankings_recompute(year=YEAR))[tiny_big.pk].rated


def test_a_company_changing_class_between_years():
    company = rated_company(land=20, year=2018, tax_paid=40, electricity=10)
    AnnualData.objects.filter(company=company, year=2018).update(above_size=False)
    AnnualData.objects.create(company=company, year=2019, tax_paid=40, main_revenue=1)
    other_big = rated_company(land=10, year=2018, tax_paid=10)
    run_2018 = rankings_recompute(year=2018)
    run_2019 = rankings_recompute(year=2019)
    rows_2018, rows_2019 = scores_by_company(run_2018), scores_by_company(run_2019)
    assert rows_2018[company.pk].size_class == "below" and rows_2018[company.pk].rated
    assert rows_2018[company.pk].city_rank == 1 and rows_2018[other_big.pk].city_rank == 1
    assert rows_2018[company.pk].tax_per_mu_points == pytest.approx(50)  # alone: x = b
    assert rows_2019[company.pk].size_class == "above"
    assert rows_2019[company.pk].tax_per_mu_points == pytest.approx(24)
    # and the other way: a 规下 company reporting 规上 for a year is rated as 规上 that year
    grown = small(land=1, tax_paid=10)  # under the 规下 threshold
    AnnualData.objects.filter(company=grown).update(above_size=True)
    assert scores_by_company(rankings_recompute(year=YEAR))[grown.pk].size_class == "above"


def test_rented_land_of_the_year_is_the_land_area():
    """Land used in the year (own + rented in − rented out) replaces the company's field,
    for the ratios and for the league's tax per mu; 0 is a figure (not rated)."""
    renter = rated_company(land=100, tax_paid=100, added_value=200)
    AnnualData.objects.filter(company=renter).update(land_area_mu=Decimal("25"))
    other = rated_company(land=50, tax_paid=100)
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    assert rows[renter.pk].tax_per_mu == pytest.approx(4)
    assert rows[renter.pk].added_value_per_mu == pytest.approx(8)
    assert run.baseline_tax_per_mu == pytest.approx(200 / 75)
    league = run.league.get(region=renter.region)
    assert league.tax_per_mu == pytest.approx(200 / 75)
    # the company's field no longer matters for that year
    renter.land_area_mu = 1
    renter.save()
    assert scores_by_company(rankings_recompute(year=YEAR))[renter.pk].tax_per_mu == pytest.approx(
        4
    )
    AnnualData.objects.filter(company=other).update(land_area_mu=0)
    rows = scores_by_company(rankings_recompute(year=YEAR))
    assert rows[other.pk].not_rated_reason == "no_land_area"


def test_zero_electricity_is_undefined_and_stays_out_of_the_baseline():
    zero = small(land=10, tax_paid=10, electricity=0)
    some = small(land=10, tax_paid=10, electricity=10)
    rows = scores_by_company(run := rankings_recompute(year=YEAR))
    assert rows[zero.pk].tax_per_electricity is None
    assert rows[zero.pk].tax_per_electricity_points == 0
    assert rows[some.pk].tax_per_electricity_points == pytest.approx(50)  # baseline 10 / 10
    assert RunBaseline.objects.get(run=run, size_class="below").baseline_tax_per_electricity == 1
    assert rows[zero.pk].total == dec(50) and rows[some.pk].total == dec(100)


def test_region_scope_with_a_one_company_region():
    set_scheme(evaluation_scope="region")
    lonely = rated_company(land=10, tax_paid=1, company_kwargs={"region": region("330702")})
    crowd = [rated_company(land=10, tax_paid=10 * (i + 1)) for i in range(5)]
    vetoed = rated_company(
        land=10, tax_paid=1, incident=True, company_kwargs={"region": region("330782")}
    )
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    assert run.evaluation_scope == "region" and run.baseline_tax_per_mu is None
    # alone in its region: x = b, rank 1 of 1, grade A; no city rank
    assert rows[lonely.pk].tax_per_mu_points == pytest.approx(24)
    assert (rows[lonely.pk].city_rank, rows[lonely.pk].region_rank) == (None, 1)
    assert rows[lonely.pk].grade == "A"
    assert (rows[vetoed.pk].region_rank, rows[vetoed.pk].grade) == (1, "C")
    assert rows[vetoed.pk].veto_applied
    # the crowd's region: baseline 150 / 50 = 3 per mu; grades on its own N = 5
    assert rows[crowd[4].pk].tax_per_mu_points == pytest.approx(24 * 5 / 3)
    assert [rows[c.pk].region_rank for c in crowd] == [5, 4, 3, 2, 1]
    # cut-offs on N = 5: ceil(1) = 1, ceil(3) = 3, ceil(4.75) = 5
    assert [rows[c.pk].grade for c in crowd] == ["C", "C", "B", "B", "A"]
    assert [rows[c.pk].industry_rank for c in crowd] == [5, 4, 3, 2, 1]
    assert RunBaseline.objects.filter(run=run).count() == 3


def test_region_scope_baselines_and_emission_mean_are_per_region():
    set_scheme(evaluation_scope="region")
    here = region("330784")
    there = region("330782")
    a = rated_company(land=10, added_value=100, emissions=10, company_kwargs={"region": here})
    rated_company(land=10, added_value=100, emissions=40, company_kwargs={"region": here})
    no_emissions = rated_company(land=10, added_value=100, company_kwargs={"region": here})
    far = rated_company(land=10, added_value=100, emissions=100, company_kwargs={"region": there})
    rows = scores_by_company(rankings_recompute(year=YEAR))
    # region 330784: b5 = 200 / 50 = 4; a: x5 = 10 -> capped 2 -> 16; the other 2.5 / 4 -> 5
    assert rows[a.pk].added_value_per_emission_points == pytest.approx(16)
    assert rows[no_emissions.pk].added_value_per_emission_points == pytest.approx((16 + 5) / 2)
    assert rows[far.pk].added_value_per_emission_points == pytest.approx(8)


def test_part2_inputs_mark_the_year_dirty():
    company = CompanyFactory()
    row = AnnualData.objects.create(company=company, year=YEAR, tax_paid=1)
    DirtyYear.objects.all().delete()
    row.land_area_mu = Decimal("12.5")
    row.save()
    assert dirty() == [YEAR]
    DirtyYear.objects.all().delete()
    row.above_size = False
    row.save()
    assert dirty() == [YEAR]
    DirtyYear.objects.all().delete()
    scheme = ScoringScheme.objects.get(active=True)
    scheme.evaluation_scope = "region"
    scheme_revise(scheme=scheme)
    assert dirty() == [YEAR]
    DirtyYear.objects.all().delete()
    scheme.below_min_land_mu = Decimal("5")
    scheme_revise(scheme=scheme)
    assert dirty() == [YEAR]


def test_published_run_keeps_its_scope_and_population_baselines():
    set_scheme(evaluation_scope="region")
    small(land=10, tax_paid=10, electricity=5)
    rated_company(land=10, tax_paid=10)
    rankings_recompute(year=YEAR)
    DirtyYear.objects.all().delete()
    published = rankings_publish(year=YEAR, user=make_user("city"))
    assert published.evaluation_scope == "region" and published.rated_count_below == 1
    assert RunBaseline.objects.filter(run=published).count() == 2
