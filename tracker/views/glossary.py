"""The portal's glossary: every figure a company user sees, in plain words. One entry per
efficiency indicator of `rankings.indicators.INDICATORS` (a test checks none is missing), and
the terms of the score around them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rankings.indicators import INDICATORS


@dataclass(frozen=True)
class Term:
    key: str
    term: str
    meaning: str


# How each efficiency indicator is worked out from the company's annual figures.
INDICATOR_MEANINGS = {
    "tax_per_mu": _("Tax paid in the year divided by the company's land area (10k RMB per mu)."),
    "added_value_per_mu": _(
        "Industrial added value divided by the company's land area (10k RMB per mu)."
    ),
    "labour_productivity": _(
        "Industrial added value divided by the average number of employees (10k RMB a person)."
    ),
    "added_value_per_energy": _(
        "Industrial added value divided by the energy used, in tonnes of standard coal."
    ),
    "added_value_per_emission": _(
        "Industrial added value divided by the pollutant emissions (equivalent units). A company"
        " that reported no emissions figure gets the average points of those that did."
    ),
    "rd_intensity": _("Research and development spending as a share of main business revenue."),
}

SCORE_TERMS = (
    Term(
        "grade",
        _("Grade (综合评价等级)"),
        _(
            "A, B, C or D, given by the company's place in the city ranking: A priority"
            " development, B improving development, C regulated support, D forced rectification."
        ),
    ),
    Term(
        "total",
        _("Total score (总分)"),
        _("The per-mu efficiency score plus the smart-manufacturing score."),
    ),
    Term(
        "efficiency",
        _("Per-mu efficiency score (亩均效益得分)"),
        _(
            "Points for the six efficiency indicators below. Each indicator gives its weight in"
            " points when the company is exactly at the city baseline, more above it (at most"
            " twice the weight), fewer below it."
        ),
    ),
    Term(
        "smart",
        _("Smart-manufacturing score (智能制造得分)"),
        _(
            "Points for a valid IMS certificate, the assessed maturity level, accepted key"
            " projects and robot density, at most 20 in all."
        ),
    ),
    Term(
        "baseline",
        _("City baseline (基准值)"),
        _("The value of an indicator across all rated companies of the city in the year."),
    ),
    Term(
        "weight",
        _("Weight (权重)"),
        _("The points an indicator is worth for a company exactly at the city baseline."),
    ),
    Term(
        "rank",
        _("Rank (排名)"),
        _(
            "The company's place by total score among the rated companies of the city, of its"
            " region and of its industry; 1 is the best."
        ),
    ),
)


def glossary() -> list[Term]:
    """The score's terms, then one entry per efficiency indicator, in the ranking's order."""
    return [
        *SCORE_TERMS,
        *(
            Term(indicator.key, str(indicator.label), INDICATOR_MEANINGS[indicator.key])
            for indicator in INDICATORS
        ),
    ]
