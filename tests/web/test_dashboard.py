"""The staff dashboard: figures stored with each run, league table, charts, rankings status, access by role."""

import re

import pytest
from django.urls import reverse

from tests.factories import BatchFactory, CompanyFactory
from tests.web.helpers import english

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["admin", "city", "county"])
def test_dashboard_renders_for_staff(client, populated, role):
    client.force_login(populated["users"][role])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<title" in html  # server-side charts with accessible titles
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_dashboard_is_404_for_company_users_and_redirects_anonymous(client, populated):
    assert client.get(reverse("dashboard")).status_code == 302
    client.force_login(populated["users"]["company"])
    assert client.get(reverse("dashboard")).status_code == 404


def _figure(html, label):
    """The value shown in the figure card whose label contains `label`."""
    match = re.search(
        r'<div class="value">([^<]*)</div><div class="label">[^<]*' + re.escape(label), html
    )
    return match.group(1).strip() if match else None


def test_figures_are_computed_from_the_data(
    client, populated, yongkang, django_capture_on_commit_callbacks
):
    client.force_login(populated["users"]["city"])
    html = client.get(english(reverse("dashboard")) + "?year=2019").content.decode()
    assert _figure(html, "demonstration batches") == "1"

    # The recompute each edit asks for on commit runs in-process (no broker in tests).
    with django_capture_on_commit_callbacks(execute=True):
        BatchFactory(number=2)
    with django_capture_on_commit_callbacks(execute=True):
        CompanyFactory(region=yongkang, is_pilot=True, pilot_year=2015)
    html = client.get(english(reverse("dashboard")) + "?year=2019").content.decode()
    assert _figure(html, "demonstration batches") == "2"
    assert _figure(html, "pilot companies") == "1"


def test_county_figures_count_only_its_region(
    client, populated, yiwu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        CompanyFactory(region=yiwu, is_pilot=True)
    client.force_login(populated["users"]["county"])
    html = client.get(english(reverse("dashboard"))).content.decode()
    assert _figure(html, "pilot companies") == "0"
    client.force_login(populated["users"]["city"])
    html = client.get(english(reverse("dashboard"))).content.decode()
    assert _figure(html, "pilot companies") == "1"


def test_league_table_and_rankings_status(client, populated):
    client.force_login(populated["users"]["city"])
    html = client.get(english(reverse("dashboard"))).content.decode()
    # Both regions with rated companies appear in the league table of the computed run.
    assert "Yongkang" in html and "Yiwu" in html
    assert "Rankings as of" in html


def test_a_loss_making_base_year_shows_n_a_with_the_reason(
    client, populated, yongkang, django_capture_on_commit_callbacks
):
    """Issue 12: no meaningless percentage from a loss; the cohort is named."""
    import datetime

    from projects.choices import ProjectKind, ProjectStatus
    from tests.factories import AnnualDataFactory, KeyProjectFactory

    # The dashboard reads the figures stored with each recompute, which runs on commit.
    with django_capture_on_commit_callbacks(execute=True):
        pilot = CompanyFactory(region=yongkang, is_pilot=True, pilot_year=2016)
        KeyProjectFactory(
            company=pilot,
            kind=ProjectKind.SMART_FACTORY,
            status=ProjectStatus.ACCEPTED,
            accepted_on=datetime.date(2018, 3, 1),
        )
        AnnualDataFactory(company=pilot, year=2018, total_profit=-30, added_value=100)
        AnnualDataFactory(company=pilot, year=2019, total_profit=20, added_value=120)
    client.force_login(populated["users"]["city"])
    for url, na, reason in (
        (english(reverse("dashboard")), "n/a", "the base is zero or a loss"),
        (reverse("dashboard"), "不适用", "基期为零或亏损"),
    ):
        html = client.get(url + "?year=2019").content.decode()
        card = html.split("profit, year over year" if na == "n/a" else "利润")[0].rsplit(
            '<div class="figure">', 1
        )[1]
        assert na in card
        assert reason in html
    html = client.get(english(reverse("dashboard")) + "?year=2019").content.decode()
    assert "Cohort: 1 pilot with a demonstration project" in html
    assert "+20.0%" in html  # added value: 120 against 100


def test_league_table_names_its_size_class_and_keeps_one_unit_per_column(client, populated):
    """The league's counts are of 规上 companies and the grade chart counts both classes, so
    each says so (the two totals differ); investment is in 万元 on every row, never 亿元 on
    some rows and 万元 on others."""
    from rankings.models import RegionLeague

    RegionLeague.objects.filter(region__name_en="Yongkang").update(
        projects_accepted_investment=41100
    )
    client.force_login(populated["users"]["city"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "参评企业数（规上）" in html and "A 类（规上）" in html
    assert (
        "其实际投资（万元）" in html
        and "41,100.00" in html
        and "亿元" not in html.split("其实际投资")[1].split("</table>")[0]
    )
    assert "规上和规下企业" in html
