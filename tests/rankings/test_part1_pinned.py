"""Part 1 of RANKING.md stays exactly as it was: on a fixed data set (the inputs of
`load_demo --companies 300 --as-of 2020-04-14`, frozen in data/part1_pin.json together with
the results the part-1 engine computed from them), every 规上 company's total to the cent, its
three ranks, grade and display position are unchanged by part 2 and its migrations."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

from companies.models import AnnualData, Certification, Company, MaturityAssessment
from projects.models import KeyProject
from rankings.models import CompanyScore
from rankings.services import rankings_recompute
from tests.factories import industry, region

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "part1_pin.json"


def _dec(value):
    return None if value is None else Decimal(value)


def _day(value):
    return None if value is None else datetime.date.fromisoformat(value)


def _load(companies):
    regions, industries = {}, {}
    for spec in companies:
        reg = regions.get(spec["region"]) or regions.setdefault(
            spec["region"], region(spec["region"])
        )
        ind = industries.get(spec["industry"]) or industries.setdefault(
            spec["industry"], industry(spec["industry"])
        )
        company = Company.objects.bulk_create(
            [
                Company(
                    credit_code=spec["credit_code"],
                    name=spec["credit_code"],
                    region=reg,
                    industry=ind,
                    above_size=spec["above_size"],
                    rated=spec["rated"],
                    land_area_mu=_dec(spec["land_area_mu"]),
                    founded_on=_day(spec["founded_on"]),
                )
            ]
        )[0]
        AnnualData.objects.bulk_create(
            [
                AnnualData(
                    company=company,
                    **{
                        key: _dec(value) if isinstance(value, str) else value
                        for key, value in row.items()
                    },
                )
                for row in spec["annual"]
            ]
        )
        Certification.objects.bulk_create(
            [
                Certification(
                    company=company,
                    level=cert["level"],
                    issued_on=_day(cert["issued_on"]),
                    expires_on=_day(cert["expires_on"]),
                    status=cert["status"],
                )
                for cert in spec["certificates"]
            ]
        )
        MaturityAssessment.objects.bulk_create(
            [
                MaturityAssessment(
                    company=company, level=m["level"], assessed_on=_day(m["assessed_on"])
                )
                for m in spec["maturity"]
            ]
        )
        KeyProject.objects.bulk_create(
            [
                KeyProject(
                    company=company,
                    name="项目",
                    kind=p["kind"],
                    level=p["level"],
                    status="accepted",
                    accepted_on=_day(p["accepted_on"]),
                )
                for p in spec["projects"]
            ]
        )


def test_part1_results_are_unchanged_on_the_pinned_data_set():
    data = json.loads(DATA.read_text())
    _load(data["companies"])
    for year, expected in data["expected"].items():
        run = rankings_recompute(year=int(year))
        actual = {
            s.credit_code: [
                int(s.total * 100),
                s.city_rank,
                s.region_rank,
                s.industry_rank,
                s.grade,
                s.position,
            ]
            for s in CompanyScore.objects.filter(run=run, rated=True, size_class="above")
        }
        assert actual == expected, year
