"""The league tables of a run (RANKING.md, "Region league table"): one rule, one INSERT …
SELECT per partition — by region, and by industry (GB/T 4754 division) with the same figures."""

import datetime
from dataclasses import dataclass

from django.db import connection, models

from companies.models import AnnualData, Certification, Company, Industry, Region
from projects.choices import ProjectStatus
from projects.models import KeyProject
from rankings.sql import storage
from rankings.sql.common import (
    VALID_CERT_EXCLUDED,
    float_type,
    quoted_table,
    rated_table,
)


@dataclass(frozen=True)
class Partition:
    """What a league table is partitioned by: the table of its lines (`model`), the table of
    the partitions (`groups`, one line each, empty ones too) and the column naming a
    company's partition, on the company and on its score row (captured by the run)."""

    model: type[models.Model]
    groups: type[models.Model]
    field: str  # the line's foreign key to its partition, and the company's

    @property
    def key(self) -> str:
        return f"{self.field}_id"


def partitions() -> tuple[Partition, ...]:
    from rankings.models import IndustryLeague, RegionLeague

    return (
        Partition(RegionLeague, Region, "region"),
        Partition(IndustryLeague, Industry, "industry"),
    )


def insert_league(*, run_id: int, year: int, below_min_land: float) -> int:
    """Every league table of a run (one per partition); returns the lines written. Reads the
    run's score rows and the recompute's rated set (`rankings.sql.compute.rated_set`)."""
    return sum(
        _insert_partition(
            run_id=run_id, year=year, below_min_land=below_min_land, partition=partition
        )
        for partition in partitions()
    )


def _insert_partition(
    *, run_id: int, year: int, below_min_land: float, partition: Partition
) -> int:
    """One league table of a run. Rated and A-grade counts come from the run's rows;
    valid IMS certificates, accepted projects and robots added count every company of the
    partition (the programme's own figures); tax per mu is Σ tax / Σ land (the year's land)
    over the partition's rated companies that report tax. The rated figures are split by
    class (RANKING.md part 2): the plain columns are 规上, the `_below` ones 规下."""
    double_type = float_type()
    key = partition.key
    line_key = connection.ops.quote_name(partition.model._meta.get_field(partition.field).column)
    sql = f"""
    WITH scored AS (
      SELECT {key},
        SUM(CASE WHEN size_class = 'above' THEN 1 ELSE 0 END) AS rated_count,
        SUM(CASE WHEN size_class = 'above' AND grade = 'A' THEN 1 ELSE 0 END) AS a_count,
        SUM(CASE WHEN size_class = 'below' THEN 1 ELSE 0 END) AS rated_below,
        SUM(CASE WHEN size_class = 'below' AND grade = 'A' THEN 1 ELSE 0 END) AS a_below
      FROM {storage.score_table(run_id)} WHERE run_id = %(run_id)s AND rated GROUP BY {key}
    ),
    tax AS (
      SELECT {key},
        SUM(CASE WHEN size_class = 'above' THEN tax_paid END) AS tax_sum,
        SUM(CASE WHEN size_class = 'above' THEN land_area_mu END) AS land_sum,
        SUM(CASE WHEN size_class = 'below' THEN tax_paid END) AS tax_below,
        SUM(CASE WHEN size_class = 'below' THEN land_area_mu END) AS land_below
      FROM {rated_table()} WHERE tax_paid IS NOT NULL
      GROUP BY {key}
    ),
    ims AS (
      SELECT c.{key}, COUNT(DISTINCT ce.company_id) AS n
      FROM {quoted_table(Certification)} ce JOIN {quoted_table(Company)} c ON c.id = ce.company_id
      WHERE ce.issued_on <= %(year_end)s AND ce.expires_on > %(year_end)s
        AND ce.status NOT IN (%(ex1)s, %(ex2)s) AND ce.voided_at IS NULL
      GROUP BY c.{key}
    ),
    proj AS (
      SELECT c.{key}, COUNT(*) AS n, SUM(COALESCE(p.actual_investment, 0)) AS investment
      FROM {quoted_table(KeyProject)} p JOIN {quoted_table(Company)} c ON c.id = p.company_id
      WHERE p.status = %(accepted)s AND p.accepted_on >= %(year_start)s
        AND p.accepted_on <= %(year_end)s AND p.voided_at IS NULL
      GROUP BY c.{key}
    ),
    robots AS (
      SELECT c.{key}, SUM(a.robots_added) AS n
      FROM {quoted_table(AnnualData)} a JOIN {quoted_table(Company)} c ON c.id = a.company_id
      WHERE a.year = %(year)s AND a.voided_at IS NULL GROUP BY c.{key}
    )
    INSERT INTO {quoted_table(partition.model)} (run_id, {line_key}, rated_count, grade_a_count,
      grade_a_share, ims_certified_count, projects_accepted, projects_accepted_investment,
      robots_added, tax_per_mu, rated_count_below, grade_a_count_below, grade_a_share_below,
      tax_per_mu_below)
    SELECT %(run_id)s, g.id, COALESCE(s.rated_count, 0), COALESCE(s.a_count, 0),
      CASE WHEN s.rated_count > 0 THEN CAST(s.a_count AS {double_type}) / s.rated_count END,
      COALESCE(ims.n, 0), COALESCE(proj.n, 0), COALESCE(proj.investment, 0),
      COALESCE(robots.n, 0),
      CASE WHEN tax.land_sum > 0 THEN tax.tax_sum / tax.land_sum END,
      COALESCE(s.rated_below, 0), COALESCE(s.a_below, 0),
      CASE WHEN s.rated_below > 0 THEN CAST(s.a_below AS {double_type}) / s.rated_below END,
      CASE WHEN tax.land_below > 0 THEN tax.tax_below / tax.land_below END
    FROM {quoted_table(partition.groups)} g
    LEFT JOIN scored s ON s.{key} = g.id
    LEFT JOIN tax ON tax.{key} = g.id
    LEFT JOIN ims ON ims.{key} = g.id
    LEFT JOIN proj ON proj.{key} = g.id
    LEFT JOIN robots ON robots.{key} = g.id
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "run_id": run_id,
                "year": year,
                "below_min_land": below_min_land,
                "year_start": datetime.date(year, 1, 1),
                "year_end": datetime.date(year, 12, 31),
                "ex1": VALID_CERT_EXCLUDED[0],
                "ex2": VALID_CERT_EXCLUDED[1],
                "accepted": ProjectStatus.ACCEPTED.value,
            },
        )
        return cursor.rowcount
