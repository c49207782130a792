"""The six efficiency indicators of RANKING.md, block E, named once.

Each entry says which figures make the ratio, so the SQL, the models and the reference
implementation in the tests are all generated from, or checked against, the same table.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    key: str  # column stem on CompanyScore (value) and ScoringScheme (weight, fixed baseline)
    number: int  # 1..6 as in RANKING.md
    numerator: str  # AnnualData field
    denominator: str  # AnnualData field, or "land_area_mu" (a Company field)
    default_weight: int
    label: object


INDICATORS = (
    Indicator("tax_per_mu", 1, "tax_paid", "land_area_mu", 24, _("tax per mu (亩均税收)")),
    Indicator(
        "added_value_per_mu",
        2,
        "added_value",
        "land_area_mu",
        16,
        _("added value per mu (亩均增加值)"),
    ),
    Indicator(
        "labour_productivity",
        3,
        "added_value",
        "avg_employees",
        12,
        _("labour productivity (全员劳动生产率)"),
    ),
    Indicator(
        "added_value_per_energy",
        4,
        "added_value",
        "energy_use_tce",
        12,
        _("added value per unit energy (单位能耗增加值)"),
    ),
    Indicator(
        "added_value_per_emission",
        5,
        "added_value",
        "emissions",
        8,
        _("added value per unit emission (单位排放增加值)"),
    ),
    Indicator("rd_intensity", 6, "rd_expense", "main_revenue", 8, _("R&D intensity (R&D经费占比)")),
)

# Indicator 5: a company without an emissions figure gets the mean points of those with one.
EMISSION_INDICATOR = "added_value_per_emission"

# RANKING.md part 2: the 规下 efficiency block E_below (no mean rule). Its weights are the
# scheme's `weight_below_<key>` fields.
BELOW_INDICATORS = (
    Indicator("tax_per_mu", 1, "tax_paid", "land_area_mu", 50, _("tax per mu (亩均税收)")),
    Indicator(
        "tax_per_electricity",
        2,
        "tax_paid",
        "electricity",
        50,
        _("tax per unit electricity (单位电耗税收)"),
    ),
)
