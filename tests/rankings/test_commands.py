import io

import pytest
from django.core.management import CommandError, call_command

from rankings.models import RankingRun
from tests.rankings.helpers import rated_company

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_recompute_one_year_prints_progress():
    rated_company(tax_paid=10)
    rated_company(tax_paid=20)
    output = run("recompute_rankings", "--year", "2019")
    assert "[1/1] 2019: 2 rated companies" in output
    assert RankingRun.objects.provisional().filter(year=2019).count() == 1


def test_recompute_all_years():
    rated_company(tax_paid=10, year=2018)
    rated_company(tax_paid=10, year=2019)
    output = run("recompute_rankings", "--all")
    assert "[1/2] 2018" in output and "[2/2] 2019" in output
    assert sorted(RankingRun.objects.values_list("year", flat=True)) == [2018, 2019]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "--year"),
        (("--year", "1900"), "--year must lie between"),
        (("--year", "2019", "--all"), "either --year or --all"),
    ],
)
def test_recompute_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        run("recompute_rankings", *args)
    assert not RankingRun.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "--year is required"),
        (("--year", "3000"), "--year must lie between"),
        (("--year", "2019"), "no computed ranking"),
        (("--year", "2019", "--published"), "no published ranking"),
    ],
)
def test_export_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        run("export_scores", *args)


def test_export_header():
    rated_company(tax_paid=10)
    run("recompute_rankings", "--year", "2019")
    header = run("export_scores", "--year", "2019").splitlines()[0].split(",")
    for (
        column
    ) in "credit_code,total,e_points,s_points,city_rank,region_rank,industry_rank,grade".split(","):
        assert column in header
