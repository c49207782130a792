"""The SQL computation agrees with the plain-Python reference (tests/rankings/reference.py)
on random data: totals to the cent, ranks, grades, display order, veto and protection — for
both size classes (规上, 规下: RANKING.md part 2) and both evaluation scopes (city, region).
Runs on whichever database the suite runs on (.ci/run runs it on SQLite and PostgreSQL)."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.choices import AssessmentKind, CertificationLevel, CertificationStatus
from companies.models import AnnualData, Certification, Company, MaturityAssessment
from projects.choices import ProjectKind, ProjectLevel
from projects.models import KeyProject
from rankings.models import CompanyScore, ScoringScheme
from rankings.services import rankings_recompute
from tests.factories import industry, make_credit_code, region
from tests.rankings.reference import reference_scores

pytestmark = pytest.mark.django_db

YEAR = 2019

money = st.one_of(
    st.none(),
    st.sampled_from([Decimal("0"), Decimal("1"), Decimal("50"), Decimal("100.50")]),
    st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
)
count = st.one_of(
    st.none(), st.sampled_from([0, 10, 100]), st.integers(min_value=0, max_value=3000)
)
day = st.dates(min_value=datetime.date(2014, 1, 1), max_value=datetime.date(2021, 12, 31))

land = st.one_of(
    st.none(),
    st.just(Decimal("0")),
    st.sampled_from([Decimal("2.99"), Decimal("3"), Decimal("3.01"), Decimal("2.5")]),
    st.decimals(min_value=Decimal("0.01"), max_value=5000, places=2),
)
annual = st.fixed_dictionaries(
    {
        "above_size": st.sampled_from([None, None, True, False]),
        "land_area_mu": st.one_of(st.none(), st.none(), land),
        "electricity": money,
        "tax_paid": money,
        "added_value": money,
        "avg_employees": count,
        "energy_use_tce": money,
        "emissions": money,
        "rd_expense": money,
        "main_revenue": money,
        "robots_in_service": count,
        "major_incident": st.booleans(),
    }
)
certificate = st.fixed_dictionaries(
    {
        "level": st.sampled_from(CertificationLevel.values),
        "issued_on": day,
        "status": st.sampled_from(CertificationStatus.values),
    }
)
maturity = st.fixed_dictionaries(
    {"level": st.integers(1, 5), "kind": st.sampled_from(AssessmentKind.values), "assessed_on": day}
)
project = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(ProjectKind.values),
        "level": st.sampled_from(ProjectLevel.values),
        "accepted_on": st.one_of(st.none(), day),
    }
)
company = st.fixed_dictionaries(
    {
        "above_size": st.sampled_from([True, True, False]),
        "rated": st.sampled_from([True, True, True, False]),
        "land_area_mu": land,
        "founded_on": st.one_of(st.none(), day),
        "region": st.sampled_from(["330784", "330782", "330782", "330702"]),
        "industry": st.sampled_from(["34", "13"]),
        "annual": st.one_of(st.none(), annual, annual, annual),
        "certificates": st.lists(certificate, max_size=2),
        "maturity": st.lists(maturity, max_size=2),
        "projects": st.lists(project, max_size=2),
    }
)
scheme_changes = st.fixed_dictionaries(
    {
        "baseline_tax_per_mu": st.sampled_from([None, None, Decimal("1.5")]),
        "veto_enabled": st.booleans(),
        "protection_years": st.integers(0, 3),
        "weight_added_value_per_emission": st.sampled_from([Decimal("8"), Decimal("7.5")]),
        "s_cap": st.sampled_from([Decimal("20"), Decimal("9")]),
        "evaluation_scope": st.sampled_from(["city", "region"]),
        "below_min_land_mu": st.sampled_from([Decimal("3"), Decimal("3"), Decimal("0")]),
        "weight_below_tax_per_electricity": st.sampled_from([Decimal("50"), Decimal("40")]),
        "grade_a_share_below": st.sampled_from([Decimal("0.20"), Decimal("0.30")]),
    }
)


def _build(companies):
    regions = {code: region(code) for code in ("330784", "330782", "330702")}
    industries = {code: industry(code) for code in ("34", "13")}
    for spec in companies:
        c = Company.objects.bulk_create(
            [
                Company(
                    credit_code=make_credit_code(),
                    name="企业",
                    region=regions[spec["region"]],
                    industry=industries[spec["industry"]],
                    above_size=spec["above_size"],
                    rated=spec["rated"],
                    land_area_mu=spec["land_area_mu"],
                    founded_on=spec["founded_on"],
                )
            ]
        )[0]
        if spec["annual"] is not None:
            AnnualData.objects.bulk_create([AnnualData(company=c, year=YEAR, **spec["annual"])])
        Certification.objects.bulk_create(
            [
                Certification(
                    company=c,
                    expires_on=cert["issued_on"].replace(
                        year=cert["issued_on"].year + 3, day=min(cert["issued_on"].day, 28)
                    ),
                    **cert,
                )
                for cert in spec["certificates"]
            ]
        )
        MaturityAssessment.objects.bulk_create(
            [MaturityAssessment(company=c, **m) for m in spec["maturity"]]
        )
        KeyProject.objects.bulk_create(
            [
                KeyProject(
                    company=c,
                    name="项目",
                    kind=p["kind"],
                    level=p["level"],
                    status="accepted" if p["accepted_on"] else "in_progress",
                    accepted_on=p["accepted_on"],
                )
                for p in spec["projects"]
            ]
        )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(companies=st.lists(company, min_size=1, max_size=14), changes=scheme_changes)
def test_sql_matches_the_reference(companies, changes):
    with transaction.atomic():
        ScoringScheme.objects.filter(active=True).update(**changes)
        _build(companies)
        run = rankings_recompute(year=YEAR)
        expected = reference_scores(year=YEAR, scheme=ScoringScheme.objects.get(active=True))
        actual = {s.company_id: s for s in CompanyScore.objects.filter(run=run)}
        assert set(actual) == set(expected)
        for company_id, want in expected.items():
            got = actual[company_id]
            assert (got.rated, got.not_rated_reason, got.size_class) == (
                want["rated"],
                want["reason"],
                want["size_class"],
            )
            if not want["rated"]:
                continue
            assert int(got.total * 100) == want["cents"], (
                got.e_points,
                want["e"],
                got.s_points,
                want["s"],
            )
            assert got.e_points == pytest.approx(want["e"], rel=1e-12, abs=1e-12)
            assert got.s_points == pytest.approx(want["s"], rel=1e-12, abs=1e-12)
            for key, value in want["points"].items():
                assert getattr(got, f"{key}_points") == pytest.approx(
                    value, rel=1e-12, abs=1e-12
                ), key
            assert (got.city_rank, got.region_rank, got.industry_rank) == (
                want["city_rank"],
                want["region_rank"],
                want["industry_rank"],
            )
            assert (got.grade, got.veto_applied, got.protection_applied) == (
                want["grade"],
                want["veto"],
                want["protection"],
            )
            assert got.position == want["position"]
        transaction.set_rollback(True)
