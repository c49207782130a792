"""Site-wide reads: the seed article's figures, computed from whatever is in the database."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from companies.models import (
    AnnualData,
    Certification,
    Company,
    DemonstrationBatch,
    MaturityAssessment,
)
from companies.models.annual import MAX_YEAR, MIN_YEAR
from projects.choices import (
    DEMONSTRATION_KINDS,
    PAST_APPROVAL,
    TRANSFORMATION_KINDS,
    ProjectKind,
    ProjectStatus,
)
from projects.models import KeyProject

# Demonstration projects count once approved into the project pool, until cancelled.
DEMO_COUNTED_STATUSES = PAST_APPROVAL
TEN_THOUSAND = Decimal(10_000)
CHANGE_KEYS = (
    "productivity_gap_pct",
    "unskilled_change_pct",
    "added_value_change_pct",
    "profit_change_pct",
)
TRANSFORMED_KEYS = ("year", "cohort_companies", *CHANGE_KEYS, "not_applicable")

# Why a percentage of the comparison is not given ("n/a"), by code; the API returns the
# codes, pages and the command show the labels (not_applicable_reason).
NOT_APPLICABLE_REASONS = {
    "no_cohort": _("no transformed company in the cohort"),
    "no_data": _("no company reported the figure in both years"),
    "base_not_positive": _("the base is zero or a loss: a percentage change from it means nothing"),
}


def not_applicable_reason(code: str | None) -> str:
    return str(NOT_APPLICABLE_REASONS[code]) if code else ""


def transformed_companies(companies: QuerySet, *, year: int) -> QuerySet:
    """The cohort of companies that had completed a smart-manufacturing transformation before
    `year`: pilots (since `year` − 1 or earlier, where the pilot year is known) with a
    demonstration project (TRANSFORMATION_KINDS: digital workshop, IoT factory, smart
    factory, future factory) accepted on or before 31 December of `year` − 1. Fixed before the
    year compared, so a company does not join the cohort because of the year it is judged on
    (no look-ahead)."""
    cutoff = datetime.date(year - 1, 12, 31)
    accepted = KeyProject.objects.live().filter(
        status=ProjectStatus.ACCEPTED, kind__in=TRANSFORMATION_KINDS, accepted_on__lte=cutoff
    )
    return companies.filter(
        Q(pilot_year__isnull=True) | Q(pilot_year__lte=year - 1),
        is_pilot=True,
        pk__in=accepted.values("company_id"),
    )


def practising_companies(companies: QuerySet, *, year: int | None) -> QuerySet:
    """Companies practising smart manufacturing in `year` (judged on 31 December; today when
    there is no year): at least one of robots in service in `year`'s annual data, an IMS
    certificate valid that day (Certification.objects.valid_on), a maturity assessment of
    level 2 or above dated by then, or a key project past approval (PAST_APPROVAL: approved,
    in progress, acceptance requested, in rectification, accepted)."""
    day = datetime.date(year, 12, 31) if year else datetime.date.today()
    # Uncorrelated IN subqueries: each is evaluated once (a hashed set), where OR-ed EXISTS
    # would probe four indexes per company.
    signs = (
        Q(pk__in=Certification.objects.live().valid_on(day).values("company_id"))
        | Q(
            pk__in=MaturityAssessment.objects.live()
            .filter(level__gte=2, assessed_on__lte=day)
            .values("company_id")
        )
        | Q(pk__in=KeyProject.objects.live().filter(status__in=PAST_APPROVAL).values("company_id"))
    )
    if year is not None:
        signs |= Q(
            pk__in=AnnualData.objects.live()
            .filter(year=year, robots_in_service__gt=0)
            .values("company_id")
        )
    return companies.filter(signs)


def rmb(amount_10k: Decimal | None) -> int:
    return int((amount_10k or Decimal(0)) * TEN_THOUSAND)


def _pct(numerator, denominator) -> float | None:
    """(numerator / denominator − 1) in percent, or None when undefined (see _why_not)."""
    if _why_not(numerator, denominator):
        return None
    return round((float(numerator) / float(denominator) - 1) * 100, 2)


def _why_not(numerator, denominator) -> str | None:
    """The NOT_APPLICABLE_REASONS code when numerator / denominator − 1 means nothing: no
    data, or a base that is zero or negative (a loss-making base year: from −10 to +5 is
    not "−150 %")."""
    if numerator is None or denominator is None:
        return "no_data"
    if denominator <= 0:
        return "base_not_positive"
    return None


def share_pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


# The key projects each project figure counts (live ones only).
IMS_PROJECTS = {
    "kind": ProjectKind.IMS,
    "status": ProjectStatus.ACCEPTED,
    "meets_ims_standard": True,
}
DEMO_PROJECTS = {"kind__in": DEMONSTRATION_KINDS, "status__in": DEMO_COUNTED_STATUSES}
# What a project's investment counts as: the actual figure once known, else the planned.
PROJECT_INVESTMENT = Coalesce("actual_investment", "planned_investment")


def _projects(companies: QuerySet, **filters) -> dict:
    figures = (
        KeyProject.objects.live()
        .filter(company__in=companies, **filters)
        .aggregate(
            count=Count("id"),
            investment=Sum(PROJECT_INVESTMENT),
        )
    )
    return {"count": figures["count"], "investment_rmb": rmb(figures["investment"])}


# The year-on-year changes of the comparison, by key: the annual-data field compared.
PAIRED_FIELDS = {
    "unskilled_change_pct": "unskilled_workers",
    "added_value_change_pct": "added_value",
    "profit_change_pct": "total_profit",
}
# The previous year's row of the same company, joined from a year's row.
BEFORE = "company__annual_data__"


def paired_rows(transformed: QuerySet, year: int) -> QuerySet:
    """The live `year` rows of the `transformed` companies, each joined to the same
    company's live `year − 1` row (through BEFORE)."""
    return (
        AnnualData.objects.live()
        .filter(
            company__in=transformed,
            year=year,
            **{f"{BEFORE}year": year - 1, f"{BEFORE}voided_at__isnull": True},
        )
        .order_by()
    )


def paired_sums() -> dict:
    """For each paired field, the aggregates Σ `year` and Σ `year − 1` over the rows of
    `paired_rows` that reported the field in both years (`<field>_now`, `<field>_before`)."""
    aggregates = {}
    for field in PAIRED_FIELDS.values():
        both = Q(**{f"{field}__isnull": False, f"{BEFORE}{field}__isnull": False})
        aggregates[f"{field}_now"] = Sum(field, filter=both)
        aggregates[f"{field}_before"] = Sum(f"{BEFORE}{field}", filter=both)
    return aggregates


# Rows that count in labour productivity: Σ added value ÷ Σ average employees.
PRODUCTIVITY_ROWS = Q(added_value__isnull=False, avg_employees__gt=0)
PRODUCTIVITY_SUMS = {"added_value": Sum("added_value"), "employees": Sum("avg_employees")}


def per_employee(sums: dict) -> float | None:
    """Σ added value ÷ Σ average employees (PRODUCTIVITY_SUMS), or None when nothing was
    reported."""
    if not sums["employees"] or sums["added_value"] is None:
        return None
    return float(sums["added_value"]) / sums["employees"]


def comparison(*, year: int, cohort: int, transformed: dict, above: dict, paired: dict) -> dict:
    """The comparison of `transformed_vs_rest` from its sums: PRODUCTIVITY_SUMS of the
    transformed companies' and of the above-size companies' `year` rows, and paired_sums()."""
    pairs = {
        "productivity_gap_pct": (per_employee(transformed), per_employee(above)),
        **{
            key: (paired[f"{field}_now"], paired[f"{field}_before"])
            for key, field in PAIRED_FIELDS.items()
        },
    }
    reasons = {}
    for key, (numerator, denominator) in pairs.items():
        reason = "no_cohort" if not cohort else _why_not(numerator, denominator)
        if reason:
            reasons[key] = reason
    return {
        "year": year,
        "cohort_companies": cohort,
        **{key: None if key in reasons else _pct(*pairs[key]) for key in CHANGE_KEYS},
        "not_applicable": reasons,
    }


def transformed_vs_rest(companies: QuerySet, year: int | None) -> dict:
    """The article's comparison for `year` (ratios of sums, in percent):

    - productivity_gap_pct: value added per employee of transformed companies, Σ added value /
      Σ average employees, against the same ratio over all companies above designated size
      (transformed ones included), minus 1;
    - unskilled_change_pct, added_value_change_pct, profit_change_pct: Σ over transformed
      companies in `year` / Σ in `year − 1`, minus 1, over the companies that reported the
      field in both years (one query: each `year` row joined to the same company's
      `year − 1` row).

    Transformed companies: the cohort of `transformed_companies(year)`, counted in
    `cohort_companies`. A percentage that means nothing is None, and `not_applicable` maps
    its key to the reason's code (NOT_APPLICABLE_REASONS); all are None when there is no
    year (no annual data at all).
    """
    if year is None:
        return {**dict.fromkeys(TRANSFORMED_KEYS, None), "not_applicable": {}}
    transformed = transformed_companies(companies, year=year)
    live = AnnualData.objects.live().filter(PRODUCTIVITY_ROWS, year=year)
    return comparison(
        year=year,
        cohort=transformed.count(),
        transformed=live.filter(company__in=transformed).aggregate(**PRODUCTIVITY_SUMS),
        above=live.filter(company__in=companies.filter(above_size=True)).aggregate(
            **PRODUCTIVITY_SUMS
        ),
        paired=paired_rows(transformed, year).aggregate(**paired_sums()),
    )


def annual_data_years(companies: QuerySet | None = None) -> list[int]:
    rows = AnnualData.objects.live()
    if companies is not None:
        rows = rows.filter(company__in=companies)
    # order_by: the model's default ordering would otherwise enter the DISTINCT.
    return list(rows.order_by("year").values_list("year", flat=True).distinct())


def seed_figures(*, year: int | None = None, companies: QuerySet | None = None) -> dict:
    """The seed article's figures, computed from the database (see docs/demo-data.md).

    `companies` restricts every figure to a set of companies (the dashboard passes
    `Company.objects.visible_to(user)`); demonstration batches are the city's and are
    counted whole. `year` is the year of the comparison, of the robots-in-service sign of
    practice and of the certificates valid at its end; by default the latest year with
    annual data. Money in RMB (万元 × 10,000), as integers; percentages as floats with two
    decimals (None where undefined); `robots_added` maps the year, as a string, to the
    robots added that year.
    """
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year must lie between {MIN_YEAR} and {MAX_YEAR}")
    companies = Company.objects.all() if companies is None else companies
    annual = AnnualData.objects.live().filter(company__in=companies)
    if year is None:
        year = annual.aggregate(latest=Max("year"))["latest"]

    counts = companies.aggregate(
        total=Count("id"),
        above_size=Count("id", filter=Q(above_size=True)),
        pilots=Count("id", filter=Q(is_pilot=True)),
    )
    robots = (
        annual.filter(robots_added__isnull=False)
        .values("year")
        .annotate(added=Sum("robots_added"))
        .order_by("year")
    )
    above = companies.filter(above_size=True)
    year_end = datetime.date(year, 12, 31) if year else datetime.date.today()
    certified = (
        Certification.objects.live()
        .filter(company__in=companies)
        .valid_on(year_end)
        .order_by()
        .values("company")
        .distinct()
        .count()
    )
    return {
        "year": year,
        "batches": DemonstrationBatch.objects.count(),
        "pilot_companies": counts["pilots"],
        "companies_above_size": counts["above_size"],
        "companies_total": counts["total"],
        "ims_projects": _projects(companies, **IMS_PROJECTS),
        "demo_projects": _projects(companies, **DEMO_PROJECTS),
        "robots_added": {str(row["year"]): row["added"] for row in robots},
        "transformed_vs_rest": transformed_vs_rest(companies, year),
        "smart_practice_share_pct": share_pct(
            practising_companies(above, year=year).count(), counts["above_size"]
        ),
        "ims_certified_companies": certified,
    }
