"""Hand-built cases for every rule of RANKING.md; every expected figure is worked out by hand
in the comments. Companies carry only the figures a case needs, so the other indicators are
undefined and score 0."""

import csv
import io

import pytest
from django.core.management import call_command

from companies.choices import CertificationLevel, CertificationStatus
from projects.choices import ProjectKind, ProjectLevel
from rankings.models import RegionLeague
from rankings.services import rankings_recompute
from tests.factories import (
    CertificationFactory,
    CompanyFactory,
    KeyProjectFactory,
    MaturityFactory,
    industry,
    region,
)
from tests.rankings.helpers import YEAR, d, dec, rated_company, scores_by_company, set_scheme

pytestmark = pytest.mark.django_db


def test_baseline_is_a_ratio_of_sums_and_points_are_capped():
    # b = (300 + 100) / (100 + 300) = 1 (a mean of ratios would be (3 + 1/3) / 2).
    # A: x = 3 → min(3, 2) · 24 = 48. B: x = 1/3 → 24 / 3 = 8.
    a = rated_company(tax_paid=300, land=100)
    b = rated_company(tax_paid=100, land=300)
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    assert run.baseline_tax_per_mu == 1.0
    assert rows[a.pk].tax_per_mu == 3.0
    assert rows[a.pk].tax_per_mu_points == 48.0
    assert rows[a.pk].total == dec(48)
    assert rows[b.pk].total == dec(8)
    assert (rows[a.pk].city_rank, rows[b.pk].city_rank) == (1, 2)


def test_undefined_values_score_zero_and_stay_out_of_the_baseline():
    # Indicator 4 (added value / energy). B's energy is 0 → undefined, C's is empty → undefined.
    # b4 = (100 + 100) / (50 + 150) = 1; A: 2 → 2 · 12 = 24; D: 2/3 · 12 = 8; B, C: 0.
    a = rated_company(added_value=100, energy_use_tce=50)
    b = rated_company(added_value=300, energy_use_tce=0)
    c = rated_company(added_value=300)
    dd = rated_company(added_value=100, energy_use_tce=150)
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    assert run.baseline_added_value_per_energy == 1.0
    assert rows[a.pk].added_value_per_energy_points == 24.0
    assert rows[b.pk].added_value_per_energy is None
    assert rows[b.pk].added_value_per_energy_points == 0
    assert rows[c.pk].added_value_per_energy_points == 0
    assert rows[dd.pk].added_value_per_energy_points == pytest.approx(8.0)


def test_a_baseline_with_no_defined_value_gives_everyone_zero():
    a = rated_company(tax_paid=100)  # R&D intensity undefined for all: no R&D figures
    run = rankings_recompute(year=YEAR)
    assert run.baseline_rd_intensity is None
    assert scores_by_company(run)[a.pk].rd_intensity_points == 0


def test_emissions_mean_rule():
    # b5 = (100 + 100) / (50 + 100) = 4/3 (D's zero emissions make its value undefined).
    # A: 2 / (4/3) = 1.5 → 8 · 1.5 = 12; B: 0.75 → 6; D: undefined → 0.
    # C has no emissions figure: the mean p5 of A, B, D = (12 + 6 + 0) / 3 = 6.
    a = rated_company(added_value=100, emissions=50)
    b = rated_company(added_value=100, emissions=100)
    c = rated_company(added_value=100)
    dd = rated_company(added_value=100, emissions=0)
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    assert rows[a.pk].added_value_per_emission_points == pytest.approx(12)
    assert rows[b.pk].added_value_per_emission_points == pytest.approx(6)
    assert rows[dd.pk].added_value_per_emission_points == 0
    assert rows[c.pk].added_value_per_emission_points == pytest.approx(6)
    assert rows[c.pk].emission_points_from_mean
    assert not rows[a.pk].emission_points_from_mean


def test_emissions_mean_is_zero_without_a_baseline():
    a = rated_company(added_value=100)  # nobody reports emissions: b5 undefined
    b = rated_company(added_value=100, emissions=0)
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    assert run.baseline_added_value_per_emission is None
    assert rows[a.pk].added_value_per_emission_points == 0
    assert rows[b.pk].added_value_per_emission_points == 0


def test_ties_share_a_rank_and_are_listed_by_tax_per_mu_then_id():
    # Fixed baseline 1 for tax per mu: 5 and 3 both hit the cap (48), 1 → 24, 0.5 → 12.
    set_scheme(baseline_tax_per_mu=1)
    yiwu, yongkang = region("330782"), region("330784")
    a = rated_company(tax_paid=300, company_kwargs={"region": yongkang})  # x = 3
    b = rated_company(tax_paid=500, company_kwargs={"region": yongkang})  # x = 5
    c = rated_company(tax_paid=500, company_kwargs={"region": yiwu})  # x = 5, id after b
    e = rated_company(tax_paid=100, company_kwargs={"region": yiwu, "industry": industry("13")})
    f = rated_company(tax_paid=50, company_kwargs={"region": yongkang})
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    assert [rows[x.pk].total for x in (a, b, c, e, f)] == [
        dec(48),
        dec(48),
        dec(48),
        dec(24),
        dec(12),
    ]
    assert [rows[x.pk].city_rank for x in (a, b, c, e, f)] == [1, 1, 1, 4, 5]
    assert [rows[x.pk].position for x in (b, c, a, e, f)] == [1, 2, 3, 4, 5]
    # Region Yongkang: a, b tie first, f third. Yiwu: c first, e second.
    assert [rows[x.pk].region_rank for x in (a, b, f, c, e)] == [1, 1, 3, 1, 2]
    # Industry: e alone in division 13; the others share 34.
    assert rows[e.pk].industry_rank == 1
    assert rows[f.pk].industry_rank == 4


def test_total_rounds_half_up_and_ranks_use_the_rounded_total():
    # Fixed baseline 1. A: 24 · (0.06 / 96) = 0.015 → 0.02 (half-up, though 0.015 is stored
    # as 0.01499…). B: 24 · (0.07 / 100) = 0.0168 → 0.02: a tie on the rounded total, so both
    # rank 1; B is listed first for its higher tax per mu. C: 24 · 0.02 / 96 = 0.005 → 0.01.
    set_scheme(baseline_tax_per_mu=1)
    a = rated_company(tax_paid="0.06", land=96)
    b = rated_company(tax_paid="0.07", land=100)
    c = rated_company(tax_paid="0.02", land=96)
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    assert (rows[a.pk].total, rows[b.pk].total, rows[c.pk].total) == (
        dec("0.02"),
        dec("0.02"),
        dec("0.01"),
    )
    assert (rows[a.pk].city_rank, rows[b.pk].city_rank, rows[c.pk].city_rank) == (1, 1, 3)
    assert (rows[b.pk].position, rows[a.pk].position) == (1, 2)


def _ladder(n, per_rank=None):
    """n companies with distinct totals 24 · k / 100 (fixed baseline 1), best first;
    `per_rank` maps a rank to extra arguments for that company."""
    set_scheme(baseline_tax_per_mu=1)
    companies = []
    for rank in range(1, n + 1):
        extra = (per_rank or {}).get(rank, {})
        companies.append(rated_company(tax_paid=n + 1 - rank, land=100, **extra))
    return companies


def test_grade_cut_offs_are_ceilings_of_the_shares():
    # N = 21: A up to ceil(4.2) = 5, B up to ceil(12.6) = 13, C up to ceil(19.95) = 20, D: 21.
    companies = _ladder(21)
    rows = scores_by_company(rankings_recompute(year=YEAR))
    grades = "".join(rows[c.pk].grade for c in companies)
    assert grades == "A" * 5 + "B" * 8 + "C" * 7 + "D"
    assert [rows[c.pk].city_rank for c in companies] == list(range(1, 22))


def test_grade_cut_offs_with_seven_companies():
    # N = 7: A ≤ ceil(1.4) = 2, B ≤ ceil(4.2) = 5, C ≤ ceil(6.65) = 7: nobody gets D.
    companies = _ladder(7)
    rows = scores_by_company(rankings_recompute(year=YEAR))
    assert "".join(rows[c.pk].grade for c in companies) == "AABBBCC"


def test_veto_caps_a_and_b_at_c_only():
    companies = _ladder(21, {1: {"incident": True}, 7: {"incident": True}, 21: {"incident": True}})
    rows = scores_by_company(rankings_recompute(year=YEAR))
    first, seventh, last = rows[companies[0].pk], rows[companies[6].pk], rows[companies[20].pk]
    assert (first.grade, first.veto_applied, first.city_rank) == ("C", True, 1)
    assert (seventh.grade, seventh.veto_applied) == ("C", True)
    assert (last.grade, last.veto_applied) == ("D", False)  # veto acts only on A and B
    assert rows[companies[1].pk].grade == "A"


def test_veto_can_be_switched_off():
    set_scheme(veto_enabled=False)
    companies = _ladder(7, {1: {"incident": True}})
    rows = scores_by_company(rankings_recompute(year=YEAR))
    assert (rows[companies[0].pk].grade, rows[companies[0].pk].veto_applied) == ("A", False)


@pytest.mark.parametrize(
    ("founded_on", "grade", "protected"),
    [(d(2018, 1, 1), "C", True), (d(2017, 12, 31), "D", False), (None, "D", False)],
)
def test_protection_of_newly_founded_companies(founded_on, grade, protected):
    # Y = 2019: founded after 31 Dec 2017 is protected from D.
    companies = _ladder(21, {21: {"company_kwargs": {"founded_on": founded_on}}})
    last = scores_by_company(rankings_recompute(year=YEAR))[companies[-1].pk]
    assert (last.grade, last.protection_applied) == (grade, protected)


def test_protection_never_lifts_a_better_grade():
    companies = _ladder(21, {1: {"company_kwargs": {"founded_on": d(2019, 3, 1)}}})
    first = scores_by_company(rankings_recompute(year=YEAR))[companies[0].pk]
    assert (first.grade, first.protection_applied) == ("A", False)


def test_smart_manufacturing_block_is_capped_at_twenty():
    # AAA certificate 8 + maturity level 5 · 1.5 = 7.5 + national future factory 10 = 25.5 → 20.
    c = rated_company()
    CertificationFactory(company=c, level=CertificationLevel.AAA, issued_on=d(2018, 1, 1))
    MaturityFactory(company=c, level=5, assessed_on=d(2019, 2, 1))
    KeyProjectFactory(
        company=c,
        kind=ProjectKind.FUTURE_FACTORY,
        level=ProjectLevel.NATIONAL,
        status="accepted",
        accepted_on=d(2019, 9, 1),
    )
    row = scores_by_company(rankings_recompute(year=YEAR))[c.pk]
    assert (row.ims_points, row.maturity_points, row.project_points) == (8, 7.5, 10)
    assert row.s_uncapped == 25.5
    assert row.s_points == 20
    assert row.total == dec(20)


def test_certificates_count_when_valid_at_year_end_and_the_best_counts_once():
    valid_two = rated_company()
    CertificationFactory(company=valid_two, level=CertificationLevel.A, issued_on=d(2019, 1, 1))
    CertificationFactory(company=valid_two, level=CertificationLevel.AA, issued_on=d(2017, 3, 1))
    no_level = rated_company()
    CertificationFactory(company=no_level, level=CertificationLevel.NONE, issued_on=d(2019, 12, 31))
    expired = rated_company()  # expires on 31 Dec: not "after" it
    CertificationFactory(company=expired, issued_on=d(2016, 12, 31), expires_on=d(2019, 12, 31))
    future = rated_company()
    CertificationFactory(company=future, issued_on=d(2020, 1, 1))
    suspended = rated_company()
    CertificationFactory(
        company=suspended, issued_on=d(2019, 1, 1), status=CertificationStatus.SUSPENDED
    )
    revoked = rated_company()
    CertificationFactory(
        company=revoked, issued_on=d(2019, 1, 1), status=CertificationStatus.REVOKED
    )
    rows = scores_by_company(rankings_recompute(year=YEAR))
    assert rows[valid_two.pk].ims_points == 6  # AA beats A, counted once
    assert rows[no_level.pk].ims_points == 4
    for company in (expired, future, suspended, revoked):
        assert rows[company.pk].ims_points == 0


def test_maturity_counts_the_highest_level_assessed_by_year_end():
    c = rated_company()
    MaturityFactory(company=c, level=2, assessed_on=d(2018, 6, 1))
    MaturityFactory(company=c, level=3, assessed_on=d(2019, 12, 31))
    MaturityFactory(company=c, level=5, assessed_on=d(2020, 1, 1))
    assert scores_by_company(rankings_recompute(year=YEAR))[c.pk].maturity_points == 4.5


def test_accepted_projects_score_by_kind_and_level():
    c = rated_company()
    accepted = {"status": "accepted", "accepted_on": d(2019, 6, 1)}
    KeyProjectFactory(
        company=c, kind=ProjectKind.DIGITAL_WORKSHOP, level=ProjectLevel.PROVINCE, **accepted
    )  # 4
    KeyProjectFactory(
        company=c, kind=ProjectKind.IOT_FACTORY, level=ProjectLevel.CITY, **accepted
    )  # 3
    KeyProjectFactory(
        company=c, kind=ProjectKind.SMART_FACTORY, level=ProjectLevel.NATIONAL, **accepted
    )  # 9
    KeyProjectFactory(company=c, kind=ProjectKind.MACHINES_REPLACE_MANPOWER, **accepted)  # 0
    KeyProjectFactory(company=c, kind=ProjectKind.IMS, **accepted)  # 0
    KeyProjectFactory(
        company=c, kind=ProjectKind.DIGITAL_WORKSHOP, status="accepted", accepted_on=d(2020, 1, 2)
    )
    KeyProjectFactory(company=c, kind=ProjectKind.FUTURE_FACTORY, status="in_progress")
    row = scores_by_company(rankings_recompute(year=YEAR))[c.pk]
    assert row.project_points == 16


def test_robot_density_against_a_ratio_of_sums_baseline():
    # db = (10 + 30) / (100 + 100) = 0.2 (C has no employee figure: undefined, left out).
    # A: 0.1 / 0.2 = 0.5 → 4 · 0.5 = 2; B: 1.5 → 6; C: 0.
    a = rated_company(robots_in_service=10, avg_employees=100)
    b = rated_company(robots_in_service=30, avg_employees=100)
    c = rated_company(robots_in_service=5)
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    assert run.baseline_robot_density == pytest.approx(0.2)
    assert rows[a.pk].robot_points == pytest.approx(2)
    assert rows[b.pk].robot_points == pytest.approx(6)
    assert rows[c.pk].robot_points == 0
    assert rows[b.pk].total == dec(6)


def test_who_is_not_rated_and_why():
    """RANKING.md part 2: the first reason that applies, in the order not 参评, no land area,
    land under the threshold, no data for Y; "not above designated size" is no reason."""
    from companies.models import AnnualData

    rated = rated_company(tax_paid=10)
    small = rated_company(tax_paid=10, company_kwargs={"above_size": False})
    small_no_land = rated_company(tax_paid=10, land=None, company_kwargs={"above_size": False})
    small_tiny = rated_company(tax_paid=10, land="2.99", company_kwargs={"above_size": False})
    tiny_no_data = CompanyFactory(above_size=False, land_area_mu=1)
    no_data = CompanyFactory()
    other_year = rated_company(tax_paid=10, year=2018)
    no_land = rated_company(tax_paid=10, land=None)
    zero_land = rated_company(tax_paid=10, land=0)
    opted_out = rated_company(tax_paid=10, company_kwargs={"rated": False})
    opted_out_no_land = CompanyFactory(rated=False, land_area_mu=None)
    run = rankings_recompute(year=YEAR)
    rows = scores_by_company(run)
    assert rows[rated.pk].rated and run.rated_count == 1
    assert rows[small.pk].rated and rows[small.pk].size_class == "below"
    assert run.rated_count_below == 1
    expected = {
        small_no_land: "no_land_area",
        small_tiny: "land_below_min",
        tiny_no_data: "land_below_min",
        no_data: "no_data",
        other_year: "no_data",
        no_land: "no_land_area",
        zero_land: "no_land_area",
        opted_out: "not_participating",
        opted_out_no_land: "not_participating",
    }
    for company, reason in expected.items():
        row = rows[company.pk]
        assert (row.rated, row.not_rated_reason, row.total, row.grade) == (False, reason, None, "")
    assert rows[small_tiny.pk].size_class == rows[tiny_no_data.pk].size_class == "below"
    assert rows[no_land.pk].size_class == "above"
    assert AnnualData.objects.count() == 8


def test_recompute_replaces_the_provisional_run():
    a = rated_company(tax_paid=10)
    first = rankings_recompute(year=YEAR)
    second = rankings_recompute(year=YEAR)
    assert second.pk != first.pk
    assert not type(first).objects.filter(pk=first.pk).exists()
    assert scores_by_company(second)[a.pk].rated
    assert second.scheme_version == 1
    assert second.finished_at is not None and second.status == "complete"


def test_region_league_table():
    yongkang = region("330784")
    a = rated_company(tax_paid=300, land=100, company_kwargs={"region": yongkang})
    rated_company(tax_paid=100, land=100, robots_added=7, company_kwargs={"region": yongkang})
    CertificationFactory(company=a, issued_on=d(2019, 1, 1))
    CertificationFactory(company=a, issued_on=d(2018, 1, 1))  # same company: counted once
    KeyProjectFactory(
        company=a, status="accepted", accepted_on=d(2019, 5, 1), actual_investment=250
    )
    KeyProjectFactory(company=a, status="accepted", accepted_on=d(2018, 5, 1), actual_investment=99)
    run = rankings_recompute(year=YEAR)
    line = RegionLeague.objects.get(run=run, region=yongkang)
    # 2 rated; N = 2 → A up to ceil(0.4) = 1: one A. Tax per mu (300 + 100) / 200 = 2.
    assert (line.rated_count, line.grade_a_count, line.grade_a_share) == (2, 1, 0.5)
    assert line.ims_certified_count == 1
    assert (line.projects_accepted, line.projects_accepted_investment) == (1, dec(250))
    assert line.robots_added == 7
    assert line.tax_per_mu == 2.0
    assert RegionLeague.objects.filter(run=run).count() == 11


def test_export_scores_lists_rated_companies_in_display_order():
    set_scheme(baseline_tax_per_mu=1)
    low = rated_company(tax_paid=50)
    high = rated_company(tax_paid=100)
    CompanyFactory(above_size=False)
    rankings_recompute(year=YEAR)
    out = io.StringIO()
    call_command("export_scores", "--year", str(YEAR), stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["credit_code"] for r in rows] == [high.credit_code, low.credit_code]
    assert rows[0]["total"] == "24.00" and rows[1]["total"] == "12.00"
    assert (rows[0]["city_rank"], rows[0]["grade"], rows[1]["grade"]) == ("1", "A", "B")
    assert rows[0]["e_points"] == "24.00" and rows[0]["s_points"] == "0.00"
