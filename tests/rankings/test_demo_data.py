"""`export_scores` on the demo data matches RANKING.md, as computed by the plain-Python
reference implementation (tests/rankings/reference.py)."""

import csv
import io

import pytest
from django.core.management import call_command

from rankings.models import CompanyScore, ScoringScheme
from rankings.selectors import run_current
from tests.rankings.reference import reference_scores

pytestmark = pytest.mark.django_db


def test_export_of_the_demo_data_matches_the_reference():
    call_command("load_demo", "--companies", "200", "--reset", stdout=io.StringIO())
    scheme = ScoringScheme.objects.get(active=True)
    for year in (2017, 2018, 2019):
        call_command("recompute_rankings", "--year", str(year), stdout=io.StringIO())
        expected = reference_scores(year=year, scheme=scheme)
        out = io.StringIO()
        call_command("export_scores", "--year", str(year), stdout=out)
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        # 规上 first, then 规下 (RANKING.md part 2), each class in its display order
        rated = sorted(
            (r for r in expected.values() if r["rated"]),
            key=lambda r: (r["size_class"] != "above", r["position"]),
        )
        assert len(rows) == len(rated) > 100
        assert {r["size_class"] for r in rows} == {"above", "below"}
        by_code = dict(
            CompanyScore.objects.filter(run=run_current(year=year)).values_list(
                "credit_code", "company_id"
            )
        )
        for row, want in zip(rows, rated, strict=True):
            got = expected[by_code[row["credit_code"]]]
            assert got is want  # same company at this position
            assert row["size_class"] == want["size_class"]
            assert round(float(row["total"]) * 100) == want["cents"]
            assert int(row["city_rank"]) == want["city_rank"]
            assert int(row["region_rank"]) == want["region_rank"]
            assert int(row["industry_rank"]) == want["industry_rank"]
            assert row["grade"] == want["grade"]
