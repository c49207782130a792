"""Issue 13 item 2: forms and record pages say whose record they are, choices read
"请选择…", empty states are sentences, a form that no longer applies is not offered, and
every chart names its unit and carries its figures as a table."""

import re

import pytest
from django.urls import reverse

from projects.choices import ProjectStatus
from projects.models import ProgressReport
from projects.services import project_transition
from projects.workflow import takes_progress_reports
from tests.factories import KeyProjectFactory
from tests.web.conftest import YEAR

pytestmark = pytest.mark.django_db


def _owner_block(html: str) -> str:
    return html.split('id="record-owner"')[1].split("</dl>")[0]


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("companies:annual_create_for", "?year=2019"),
        ("companies:certification_create", ""),
        ("companies:maturity_create", ""),
        ("projects:create_for", ""),
    ],
)
def test_a_form_opened_from_a_company_page_names_the_company(client, populated, url_name, query):
    client.force_login(populated["users"]["county"])
    own = populated["own"]
    html = client.get(reverse(url_name, args=[own.pk]) + query).content.decode()
    block = _owner_block(html)
    assert own.name in block and own.credit_code in block
    assert own.name in html.split("<title>")[1].split("</title>")[0]
    if query:
        assert "2019" in block


def test_an_edit_form_names_the_company_and_the_year(client, populated):
    client.force_login(populated["users"]["county"])
    row = populated["own"].annual_data.get(year=YEAR)
    block = _owner_block(
        client.get(reverse("companies:annual_update", args=[row.pk])).content.decode()
    )
    assert populated["own"].name in block and str(YEAR) in block


def test_the_progress_report_form_names_the_project_and_its_company(client, populated):
    client.force_login(populated["users"]["county"])
    project = populated["own_project"]
    block = _owner_block(
        client.get(reverse("projects:report_create", args=[project.pk])).content.decode()
    )
    assert project.name in block and populated["own"].name in block


@pytest.mark.parametrize(
    "url",
    [
        lambda p: reverse("companies:create"),
        lambda p: reverse("projects:create_for", args=[p["own"].pk]),
        lambda p: reverse("companies:certification_create", args=[p["own"].pk]),
        lambda p: reverse("projects:detail", args=[p["own_project"].pk]),
        lambda p: reverse("companies:list"),
        lambda p: reverse("projects:list"),
        lambda p: reverse("companies:annual_list"),
    ],
)
def test_no_choice_reads_dashes(client, populated, url):
    client.force_login(populated["users"]["city"])
    html = client.get(url(populated)).content.decode()
    assert "---------" not in html


def test_form_choices_say_choose_and_filters_say_all(client, populated):
    client.force_login(populated["users"]["city"])
    form = client.get(reverse("companies:create")).content.decode()
    industry = form.split('name="industry"')[1].split("</select>")[0]
    assert re.search(r'<option value=""[^>]*>请选择…</option>', industry)
    listing = client.get(reverse("companies:list")).content.decode()
    assert re.search(r'<option value=""[^>]*>全部</option>', listing)


def test_a_county_users_only_region_comes_preselected(client, populated):
    client.force_login(populated["users"]["county"])
    form = client.get(reverse("companies:create")).content.decode()
    region = form.split('name="region"')[1].split("</select>")[0]
    own_region = populated["own"].region_id
    assert re.search(rf'<option value="{own_region}" selected>', region)


def test_an_empty_status_history_is_a_sentence_not_a_numbered_item(client, populated):
    client.force_login(populated["users"]["county"])
    fresh = KeyProjectFactory(company=populated["own"])
    html = client.get(reverse("projects:detail", args=[fresh.pk])).content.decode()
    history = html.split('id="status-history"')[0].rsplit("<", 1)[1]
    assert history.startswith("p ")  # a paragraph, not a list
    assert "项目登记以来状态尚未变更。" in html
    assert not re.search(r"<ol[^>]*>\s*<li[^>]*>[^<]*尚无", html)


def _accept(project, user):
    for status in (ProjectStatus.ACCEPTANCE_REQUESTED, ProjectStatus.ACCEPTED):
        project_transition(project=project, to_status=status, user=user, comment="ok")


def test_an_accepted_project_offers_no_progress_report_form_and_refuses_one(client, populated):
    project, county = populated["own_project"], populated["users"]["county"]
    client.force_login(county)
    detail = reverse("projects:detail", args=[project.pk])
    assert 'action="{}"'.format(reverse("projects:report_create", args=[project.pk])) in (
        client.get(detail).content.decode()
    )
    _accept(project, populated["users"]["admin"])
    project.refresh_from_db()
    assert not takes_progress_reports(project.status)
    html = client.get(detail).content.decode()
    assert reverse("projects:report_create", args=[project.pk]) not in html
    assert 'id="no-report-form"' in html
    before = ProgressReport.objects.filter(project=project).count()
    response = client.post(
        reverse("projects:report_create", args=[project.pk]),
        {"year": "2020", "quarter": "2", "percent_complete": "90"},
    )
    assert response.status_code == 302
    assert ProgressReport.objects.filter(project=project).count() == before


def test_every_dashboard_chart_names_its_unit_and_has_a_data_table(client, populated):
    client.force_login(populated["users"]["city"])
    html = client.get(reverse("dashboard"), {"year": YEAR}).content.decode()
    charts = html.count('<svg class="chart"')
    tables = re.findall(r'<details class="chart-data">.*?</details>', html, re.S)
    assert charts >= 3 and len(tables) == charts
    for table in tables:
        assert "<caption>" in table and '<th scope="row">' in table
    investment = next(t for t in tables if "亿元" in t)
    assert "单位：亿元" in investment
    for heading in ("（亿元）", "（台）", "（家）"):
        assert heading in html
