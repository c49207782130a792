"""What a company page says would raise the grade uses the cut-off the grading used: the same
`ceil(share × N)`, exact, for any share and any number of rated companies."""

from decimal import Decimal
from fractions import Fraction
from math import ceil

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.roles import Role
from rankings.choices import Grade
from rankings.models import CompanyScore, RunBaseline, ScoringScheme
from rankings.services import rankings_recompute
from rankings.sql.parameters import YearParameters
from tests.factories import AnnualDataFactory, CompanyFactory, make_user
from tests.web.helpers import english
from tracker.views.scorecard import grade_gap

pytestmark = pytest.mark.django_db

YEAR = 2019

share = st.decimals(
    min_value=Decimal("0.0001"), max_value=Decimal("0.9999"), places=4, allow_nan=False
)
# The scheme's shares are cumulative (A ≤ B ≤ C ≤ 1), as its check constraint requires.
shares = st.lists(share, min_size=3, max_size=3).map(sorted)


@pytest.fixture
def run():
    """A real provisional run, whose scheme and rated count each example then varies."""
    AnnualDataFactory(year=YEAR)
    return rankings_recompute(year=YEAR)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(shares=shares, rated_count=st.integers(min_value=1, max_value=200))
@example(shares=[Decimal("0.07"), Decimal("0.60"), Decimal("0.95")], rated_count=100)
@example(shares=[Decimal("0.29"), Decimal("0.57"), Decimal("0.58")], rated_count=100)
def test_next_grade_cutoff_is_the_one_the_grading_uses(run, shares, rated_count):
    scheme = run.scheme
    scheme.grade_a_share, scheme.grade_b_share, scheme.grade_c_share = shares
    # The population the company was graded in (RANKING.md part 2: 规上 over the city).
    RunBaseline.objects.filter(run=run).update(rated_count=rated_count)
    # What the computation passes to the SQL that grades (rankings.sql.compute).
    engine = YearParameters.from_scheme(scheme, YEAR).cutoffs(rated_count)
    exact = tuple(ceil(Fraction(value) * rated_count) for value in shares)
    assert engine == exact
    for grade, better in (("B", 0), ("C", 1), ("D", 2)):
        score = CompanyScore(run=run, rated=True, grade=grade, total=Decimal("1.00"))
        gap = grade_gap(score)
        assert gap.next_grade == "ABC"[better]
        assert gap.cutoff_rank == engine[better]


def test_company_page_names_the_rank_the_grading_gave_grade_a_to(client):
    """A share 0.07 and 100 rated companies: the grading gives A to ranks 1–7, so the company
    ranked 8th is told rank 7 is needed (floats made it 8)."""
    ScoringScheme.objects.filter(active=True).update(grade_a_share=Decimal("0.07"))
    for index in range(100):
        AnnualDataFactory(company=CompanyFactory(), year=YEAR, tax_paid=1000 + 10 * index)
    run = rankings_recompute(year=YEAR)
    assert run.rated_count == 100
    graded_a = CompanyScore.objects.filter(run=run, grade=Grade.A)
    assert sorted(graded_a.values_list("city_rank", flat=True)) == list(range(1, 8))

    eighth = CompanyScore.objects.get(run=run, city_rank=8)
    assert eighth.grade == Grade.B
    client.force_login(make_user(Role.COMPANY, company=eighth.company))
    response = client.get(english(reverse("portal")))
    assert response.status_code == 200
    assert response.context["gap"].cutoff_rank == 7
    html = response.content.decode()
    assert "Grade A goes to the companies ranked 7 or better in the city." in html
