"""What one computation needs: the scheme's parameters for a year, and the baselines found."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from rankings.choices import EvaluationScope, SizeClass
from rankings.indicators import BELOW_INDICATORS, INDICATORS


def grade_cutoff(share: Decimal, rated_count: int) -> int:
    """The last city rank inside a grade: ceil(share · N), exact in decimals. The one place the
    cut-off is computed, for the grading and for what a company page says about it; in floats
    0.07 × 100 is 7.000000000000001, which would round up to 8."""
    return int((share * rated_count).to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True)
class YearParameters:
    """What one computation needs from the scheme, as floats and SQL-ready flags."""

    year: int
    weights: dict[str, float]
    fixed_baselines: dict[str, float | None]
    points_cap: float
    ims_aaa: float
    ims_aa: float
    ims_a: float
    ims_no_level: float
    maturity_per_level: float
    dw_city: float
    dw_province: float
    dw_national: float
    factory_city: float
    factory_province: float
    factory_national: float
    future_factory: float
    robot_weight: float
    robot_cap: float
    s_cap: float
    shares: tuple[Decimal, Decimal, Decimal]
    veto_enabled: bool
    protection_years: int
    # RANKING.md part 2
    below_weights: dict[str, float]
    below_points_cap: float
    below_shares: tuple[Decimal, Decimal, Decimal]
    below_min_land: float
    region_scope: bool

    @classmethod
    def from_scheme(cls, scheme, year: int) -> YearParameters:
        def float_or_none(value):
            return None if value is None else float(value)

        fixed = {
            ind.key: float_or_none(getattr(scheme, f"baseline_{ind.key}")) for ind in INDICATORS
        }
        fixed["robot_density"] = float_or_none(scheme.baseline_robot_density)
        return cls(
            year=year,
            weights={ind.key: float(getattr(scheme, f"weight_{ind.key}")) for ind in INDICATORS},
            fixed_baselines=fixed,
            points_cap=float(scheme.points_cap),
            ims_aaa=float(scheme.ims_points_aaa),
            ims_aa=float(scheme.ims_points_aa),
            ims_a=float(scheme.ims_points_a),
            ims_no_level=float(scheme.ims_points_no_level),
            maturity_per_level=float(scheme.maturity_points_per_level),
            dw_city=float(scheme.digital_workshop_city),
            dw_province=float(scheme.digital_workshop_province),
            dw_national=float(scheme.digital_workshop_national),
            factory_city=float(scheme.factory_city),
            factory_province=float(scheme.factory_province),
            factory_national=float(scheme.factory_national),
            future_factory=float(scheme.future_factory),
            robot_weight=float(scheme.robot_density_weight),
            robot_cap=float(scheme.robot_density_cap),
            s_cap=float(scheme.s_cap),
            shares=(scheme.grade_a_share, scheme.grade_b_share, scheme.grade_c_share),
            veto_enabled=scheme.veto_enabled,
            protection_years=scheme.protection_years,
            below_weights={
                ind.key: float(getattr(scheme, f"weight_below_{ind.key}"))
                for ind in BELOW_INDICATORS
            },
            below_points_cap=float(scheme.below_points_cap),
            below_shares=(
                scheme.grade_a_share_below,
                scheme.grade_b_share_below,
                scheme.grade_c_share_below,
            ),
            below_min_land=float(scheme.below_min_land_mu),
            region_scope=scheme.evaluation_scope == EvaluationScope.REGION,
        )

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def protected_if_founded_after(self) -> datetime.date | None:
        """RANKING.md: founded within the P years before 31 Dec of Y = after 31 Dec of Y−P."""
        if not self.protection_years:
            return None
        return datetime.date(self.year - self.protection_years, 12, 31)

    def cutoffs(self, rated_count: int, size_class: str = SizeClass.ABOVE) -> tuple[int, int, int]:
        """The cut-off ranks of A, B and C of a class's population (`grade_cutoff`)."""
        shares = self.shares if size_class == SizeClass.ABOVE else self.below_shares
        return tuple(grade_cutoff(share, rated_count) for share in shares)


@dataclass(frozen=True)
class Baselines:
    """One population a class is graded over: the city (region_id None) or a region."""

    size_class: str
    region_id: int | None
    rated_count: int
    values: dict[str, float | None]  # indicator key (and "robot_density") -> baseline used
