"""The grade A share of each region, as the league table and the dashboard show it, is the
region's grade A count ÷ its rated count, in both languages."""

import re

import pytest
from django.db.models import Count, Q
from django.urls import reverse

from companies.models import Region
from rankings.choices import Grade
from rankings.models import CompanyScore
from tests.web.conftest import YEAR
from tests.web.helpers import english

pytestmark = pytest.mark.django_db

# Per page: the column of the rated count, the grade A count and the grade A share.
COLUMNS = {"rankings:league": (1, 2, 3), "dashboard": (2, 3, 4)}


def _text(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


def shares_on_page(html: str, columns) -> dict[int, tuple[int, int, str]]:
    """{region id: (rated count, grade A count, share text)} from the page's league rows."""
    regions = {}
    for region in Region.objects.all():
        regions[region.name_zh] = regions[region.name_en] = region.pk
    rated_col, a_col, share_col = columns
    # The charts' own data tables (tracker.charts) list regions too; only the league counts.
    html = re.sub(r'<details class="chart-data">.*?</details>', "", html, flags=re.S)
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if cells and cells[0] in regions:
            found[regions[cells[0]]] = (
                int(cells[rated_col]),
                int(cells[a_col]),
                cells[share_col],
            )
    return found


def counts_graded(run) -> dict[int, tuple[int, int]]:
    rows = (
        CompanyScore.objects.filter(run=run, rated=True)
        .values("region_id")
        .annotate(rated=Count("id"), a=Count("id", filter=Q(grade=Grade.A)))
    )
    return {row["region_id"]: (row["rated"], row["a"]) for row in rows}


@pytest.mark.parametrize("url_name", ["rankings:league", "dashboard"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_grade_a_share_is_a_count_over_rated_count(client, populated, url_name, language):
    client.force_login(populated["users"]["city"])
    url = reverse(url_name)
    response = client.get(english(url) if language == "en" else url, {"year": YEAR})
    assert response.status_code == 200
    shown = shares_on_page(response.content.decode(), COLUMNS[url_name])
    graded = counts_graded(response.context["run"])
    assert len(graded) >= 2 and set(graded) <= set(shown)
    for region_id, (rated, grade_a, text) in shown.items():
        assert (rated, grade_a) == graded.get(region_id, (0, 0))
        if rated == 0:
            assert text == "–"
            continue
        assert text.endswith("%") and not text.startswith("+"), text
        # Shown in whole per cent.
        assert abs(float(text.rstrip("%")) - 100 * grade_a / rated) <= 0.5, (text, grade_a, rated)
