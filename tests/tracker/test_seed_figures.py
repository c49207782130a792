"""The seed article's figures follow the data: change a record and they move."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from companies.choices import CertificationStatus
from companies.models import Company
from projects.choices import ProjectKind, ProjectStatus
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    KeyProjectFactory,
    MaturityFactory,
    region,
)
from tracker.selectors import annual_data_years, seed_figures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages asserted on are the English msgids; the default language is Chinese.
    with translation.override("en"):
        yield


TOP_KEYS = {
    "year",
    "batches",
    "pilot_companies",
    "companies_above_size",
    "companies_total",
    "ims_projects",
    "demo_projects",
    "robots_added",
    "transformed_vs_rest",
    "smart_practice_share_pct",
    "ims_certified_companies",
}
COMPARISON_KEYS = {
    "year",
    "cohort_companies",
    "not_applicable",
    "productivity_gap_pct",
    "unskilled_change_pct",
    "added_value_change_pct",
    "profit_change_pct",
}


def accepted(company, kind=ProjectKind.IMS, **fields):
    return KeyProjectFactory(
        company=company,
        kind=kind,
        status=ProjectStatus.ACCEPTED,
        **{"accepted_on": datetime.date(2019, 10, 1), **fields},
    )


def in_cohort(company, accepted_on=datetime.date(2018, 6, 1), kind=ProjectKind.SMART_FACTORY):
    """A demonstration project accepted by the end of 2018: `company`, if a pilot, is in the
    2019 cohort of transformed companies."""
    return accepted(company, kind=kind, accepted_on=accepted_on, actual_investment=50)


def annual(company, year, **fields):
    defaults = {
        "added_value": 100,
        "avg_employees": 10,
        "unskilled_workers": 100,
        "total_profit": 100,
        "robots_in_service": 0,
        "robots_added": 0,
    }
    return AnnualDataFactory(company=company, year=year, **{**defaults, **fields})


@pytest.fixture
def two_companies():
    """A transformed company (a pilot with a demonstration project accepted in 2018) and a
    plain one, both above designated size, with 2018 and 2019 data."""
    transformed = CompanyFactory(is_pilot=True, pilot_year=2016)
    plain = CompanyFactory()
    in_cohort(transformed)
    annual(transformed, 2018, added_value=100, unskilled_workers=100, total_profit=100)
    annual(
        transformed,
        2019,
        added_value=130,
        unskilled_workers=80,
        total_profit=120,
        robots_in_service=5,
        robots_added=3,
    )
    annual(plain, 2018)
    annual(plain, 2019)
    return transformed, plain


def test_an_empty_database_gives_zeros_and_no_comparison():
    figures = seed_figures()
    assert set(figures) == TOP_KEYS
    assert figures["companies_total"] == 0
    assert figures["ims_projects"] == {"count": 0, "investment_rmb": 0}
    assert figures["transformed_vs_rest"] == {
        **dict.fromkeys(COMPARISON_KEYS),
        "not_applicable": {},
    }
    assert figures["smart_practice_share_pct"] is None
    json.dumps(figures)


def test_the_comparison_is_a_ratio_of_sums(two_companies):
    comparison = seed_figures()["transformed_vs_rest"]
    # Transformed: 130 / 10 per employee; all above size: 230 / 20.
    assert comparison == {
        "year": 2019,
        "cohort_companies": 1,
        "productivity_gap_pct": round((13 / 11.5 - 1) * 100, 2),
        "unskilled_change_pct": -20.0,
        "added_value_change_pct": 30.0,
        "profit_change_pct": 20.0,
        "not_applicable": {},
    }
    # 2018's cohort is fixed at the end of 2017: the project accepted in 2018 is not in it.
    earlier = seed_figures(year=2018)["transformed_vs_rest"]
    assert earlier["cohort_companies"] == 0
    assert earlier["added_value_change_pct"] is None
    assert earlier["not_applicable"]["added_value_change_pct"] == "no_cohort"


def test_the_cohort_has_no_look_ahead_and_counts_demonstration_projects_only(two_companies):
    late = CompanyFactory(is_pilot=True, pilot_year=2015)
    in_cohort(late, accepted_on=datetime.date(2019, 3, 1))  # accepted in the year compared
    retrofit = CompanyFactory(is_pilot=True, pilot_year=2015)
    in_cohort(retrofit, kind=ProjectKind.LIGHTWEIGHT_RETROFIT)  # the ladder's entry step
    new_pilot = CompanyFactory(is_pilot=True, pilot_year=2019)
    in_cohort(new_pilot)  # a pilot only since the year compared
    not_pilot = CompanyFactory()
    in_cohort(not_pilot)
    cohort_member = CompanyFactory(is_pilot=True, pilot_year=2018)
    in_cohort(cohort_member, kind=ProjectKind.DIGITAL_WORKSHOP)
    for company in (late, retrofit, new_pilot, not_pilot, cohort_member):
        annual(company, 2018)
        annual(company, 2019)
    assert seed_figures()["transformed_vs_rest"]["cohort_companies"] == 2


def test_a_loss_making_base_year_gives_no_percentage_but_the_reason(two_companies):
    transformed, _plain = two_companies
    transformed.annual_data.filter(year=2018).update(total_profit=-40)
    comparison = seed_figures()["transformed_vs_rest"]
    assert comparison["profit_change_pct"] is None
    assert comparison["not_applicable"] == {"profit_change_pct": "base_not_positive"}
    # The other figures stand.
    assert comparison["added_value_change_pct"] == 30.0
    # A base of exactly zero is no base either.
    transformed.annual_data.filter(year=2018).update(total_profit=0)
    assert seed_figures()["transformed_vs_rest"]["not_applicable"] == {
        "profit_change_pct": "base_not_positive"
    }
    # A loss in the year compared on a profitable base is a real change.
    transformed.annual_data.filter(year=2018).update(total_profit=100)
    transformed.annual_data.filter(year=2019).update(total_profit=-50)
    assert seed_figures()["transformed_vs_rest"]["profit_change_pct"] == -150.0


def test_the_command_shows_n_a_with_the_reason(two_companies):
    transformed, _plain = two_companies
    transformed.annual_data.filter(year=2018).update(total_profit=-40)
    out = StringIO()
    call_command("seed_figures", stdout=out)
    assert "n/a (the base is zero or a loss" in out.getvalue()


def test_changes_count_only_companies_reporting_both_years(two_companies):
    newcomer = CompanyFactory(is_pilot=True)
    in_cohort(newcomer)
    annual(newcomer, 2019, added_value=1000, unskilled_workers=1000, total_profit=1000)
    comparison = seed_figures()["transformed_vs_rest"]
    assert comparison["added_value_change_pct"] == 30.0
    assert comparison["unskilled_change_pct"] == -20.0
    # Its 2019 productivity does count: (130 + 1000) / 20 against (1230) / 30.
    assert comparison["productivity_gap_pct"] == round((1130 / 20 / (1230 / 30) - 1) * 100, 2)


def test_an_accepted_ims_project_meeting_the_standard_moves_count_and_investment(two_companies):
    transformed, plain = two_companies
    before = seed_figures()["ims_projects"]
    accepted(plain, meets_ims_standard=True, actual_investment=372.5, planned_investment=400)
    accepted(plain, meets_ims_standard=True, actual_investment=None, planned_investment=200)
    # Not counted: below the standard, or not accepted yet.
    accepted(plain, meets_ims_standard=False, actual_investment=999)
    KeyProjectFactory(company=plain, kind=ProjectKind.IMS, meets_ims_standard=True)
    after = seed_figures()["ims_projects"]
    assert after["count"] == before["count"] + 2
    assert after["investment_rmb"] == before["investment_rmb"] + 3_725_000 + 2_000_000


def test_demonstration_projects_count_from_approval_until_cancelled(two_companies):
    _transformed, plain = two_companies
    for status in (ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTED):
        KeyProjectFactory(
            company=plain,
            kind=ProjectKind.IOT_FACTORY,
            status=status,
            planned_investment=1000,
            accepted_on=datetime.date(2019, 1, 1) if status == ProjectStatus.ACCEPTED else None,
        )
    for status in (ProjectStatus.DECLARED, ProjectStatus.CANCELLED):
        KeyProjectFactory(company=plain, kind=ProjectKind.DIGITAL_WORKSHOP, status=status)
    assert seed_figures()["demo_projects"] == {"count": 3, "investment_rmb": 30_000_000}


def test_robots_added_follow_the_annual_data(two_companies):
    _transformed, plain = two_companies
    assert seed_figures()["robots_added"] == {"2018": 0, "2019": 3}
    annual(plain, 2017, robots_added=4)
    plain.annual_data.filter(year=2019).update(robots_added=7)
    assert seed_figures()["robots_added"] == {"2017": 4, "2018": 0, "2019": 10}


def test_smart_practice_share_follows_the_rule(two_companies):
    _transformed, plain = two_companies
    # The transformed company has robots and an accepted project; the plain one nothing.
    assert seed_figures()["smart_practice_share_pct"] == 50.0
    MaturityFactory(company=plain, level=1)
    KeyProjectFactory(company=plain, kind=ProjectKind.OTHER, status=ProjectStatus.CANCELLED)
    # Not past approval yet; certificates not valid at the end of 2019; an assessment after it.
    for status in (ProjectStatus.DECLARED, ProjectStatus.COUNTY_REVIEWED):
        KeyProjectFactory(company=plain, kind=ProjectKind.OTHER, status=status)
    CertificationFactory(company=plain, status=CertificationStatus.ADOPTING, issued_on=None)
    CertificationFactory(company=plain, issued_on=datetime.date(2015, 5, 1))  # expired 2018
    CertificationFactory(company=plain, status=CertificationStatus.SUSPENDED)
    MaturityFactory(company=plain, level=3, assessed_on=datetime.date(2020, 2, 1))
    assert seed_figures()["smart_practice_share_pct"] == 50.0
    # ...but that assessment counts for 2020's share, judged at the end of 2020.
    annual(plain, 2020)
    annual(_transformed, 2020)
    assert seed_figures(year=2020)["smart_practice_share_pct"] == 100.0
    MaturityFactory(company=plain, level=2)
    assert seed_figures(year=2019)["smart_practice_share_pct"] == 100.0
    CompanyFactory(above_size=False)  # below designated size: outside the share
    assert seed_figures(year=2019)["smart_practice_share_pct"] == 100.0


def test_counts_and_certificates_valid_at_year_end(two_companies):
    transformed, plain = two_companies
    BatchFactory(number=1)
    CompanyFactory(above_size=False)
    CertificationFactory(company=transformed, issued_on=datetime.date(2018, 5, 1))
    CertificationFactory(
        company=plain, issued_on=datetime.date(2018, 5, 1), status=CertificationStatus.REVOKED
    )
    CertificationFactory(company=plain, issued_on=datetime.date(2015, 5, 1))  # expired 2018
    figures = seed_figures()
    assert figures["batches"] == 1
    assert figures["pilot_companies"] == 1
    assert figures["companies_above_size"] == 2
    assert figures["companies_total"] == 3
    assert figures["ims_certified_companies"] == 1
    assert seed_figures(year=2017)["ims_certified_companies"] == 1  # the 2015 one


def test_a_company_set_restricts_every_figure(two_companies):
    transformed, _plain = two_companies
    elsewhere = CompanyFactory(region=region("330782"), is_pilot=True)
    accepted(elsewhere, meets_ims_standard=True, actual_investment=100)

    yongkang = seed_figures(companies=Company.objects.filter(region__code="330784"))
    assert yongkang["companies_total"] == 2
    assert yongkang["pilot_companies"] == 1
    assert yongkang["ims_projects"]["count"] == 0
    yiwu = seed_figures(companies=Company.objects.filter(region__code="330782"))
    assert yiwu["ims_projects"] == {"count": 1, "investment_rmb": 1_000_000}
    assert yiwu["transformed_vs_rest"]["added_value_change_pct"] is None


def test_the_command_prints_one_json_object_with_every_key(two_companies):
    out = StringIO()
    call_command("seed_figures", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert set(figures) == TOP_KEYS
    assert set(figures["ims_projects"]) == {"count", "investment_rmb"}
    assert set(figures["demo_projects"]) == {"count", "investment_rmb"}
    assert set(figures["transformed_vs_rest"]) == COMPARISON_KEYS
    assert figures == seed_figures()
    out = StringIO()
    call_command("seed_figures", "--json", "--year", "2018", stdout=out)
    assert json.loads(out.getvalue())["transformed_vs_rest"]["year"] == 2018


def test_the_command_prints_a_table_without_json(two_companies):
    out = StringIO()
    call_command("seed_figures", stdout=out)
    text = out.getvalue()
    assert "Pilot companies" in text
    assert "+30.0 %" in text and "-20.0 %" in text


def test_years_with_data_are_listed_once_each(two_companies):
    transformed, plain = two_companies
    annual(transformed, 2017)
    assert annual_data_years() == [2017, 2018, 2019]
    assert annual_data_years(Company.objects.filter(pk=plain.pk)) == [2018, 2019]


@pytest.mark.parametrize(
    ("year", "message"),
    [("1999", "--year must lie between 2000 and 2100"), ("2015", "--year 2015 has no annual data")],
)
def test_a_bad_year_is_refused(two_companies, year, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_figures", "--year", year, stdout=StringIO())


def test_a_year_that_is_not_a_number_is_refused():
    with pytest.raises(CommandError, match="invalid int value"):
        call_command("seed_figures", "--year", "last")
