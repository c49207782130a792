"""Building blocks for hand-built ranking cases: a company with exactly the figures given
(every other annual-data field empty), and the run's rows keyed by company."""

import datetime
from decimal import Decimal

from companies.models import AnnualData
from rankings.models import CompanyScore, DirtyYear, ScoringScheme
from tests.factories import CompanyFactory

YEAR = 2019


def rated_company(*, land=100, year=YEAR, incident=False, company_kwargs=None, **figures):
    """A rated, above-size company with annual data for `year` holding only `figures`."""
    company = CompanyFactory(land_area_mu=land, **(company_kwargs or {}))
    AnnualData.objects.create(company=company, year=year, major_incident=incident, **figures)
    return company


def dirty() -> list[int]:
    """The years the real staleness marker holds."""
    return sorted(DirtyYear.objects.values_list("year", flat=True))


def scores_by_company(run) -> dict[int, CompanyScore]:
    return {s.company_id: s for s in CompanyScore.objects.filter(run=run)}


def set_scheme(**changes):
    """Change the active scheme in place (tests only: production goes through scheme_revise)."""
    ScoringScheme.objects.filter(active=True).update(**changes)


def dec(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def d(y, m, day):
    return datetime.date(y, m, day)
