"""Audit: every change through the services, the admin and the API is kept with who, when
and what changed; project moves, ranking publications and exports are recorded too."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from companies.models import AnnualData, Company
from companies.services import user_assign_role
from core.roles import Role
from core.services import record_delete, record_save
from projects.choices import ProjectStatus
from projects.services import project_transition
from tests.factories import AnnualDataFactory, KeyProjectFactory, UserFactory
from tests.production.forms import form_values

pytestmark = pytest.mark.django_db


def _changes(record) -> dict:
    """{field: (old, new)} between a history record and the one before it (editable fields;
    the non-editable project status is compared directly below)."""
    delta = record.diff_against(record.prev_record)
    return {change.field: (change.old, change.new) for change in delta.changes}


def test_a_service_write_without_a_request_records_who_when_and_what(world):
    city = world["users"]["city"]
    company = world["own"]
    before = timezone.now()
    company.land_area_mu = Decimal("75.50")
    record_save(instance=company, user=city)

    latest = company.history.latest()
    assert latest.history_user == city
    assert latest.history_type == "~"
    assert latest.history_date >= before
    assert _changes(latest)["land_area_mu"] == (Decimal("50.00"), Decimal("75.50"))


def test_a_creation_and_a_deletion_name_their_authors(world):
    county = world["users"]["county"]
    row = AnnualData(
        company=world["own"], year=2018, main_revenue=Decimal("100"), tax_paid=Decimal("10")
    )
    record_save(instance=row, user=county)
    pk = row.pk
    assert row.history.latest().history_type == "+"
    assert row.history.latest().history_user == county

    city = world["users"]["city"]
    record_delete(instance=row, user=city)
    deleted = AnnualData.history.filter(id=pk).latest()
    assert deleted.history_type == "-"
    assert deleted.history_user == city


def test_a_project_move_is_recorded_with_author_comment_and_history(world):
    county = world["users"]["county"]
    project = KeyProjectFactory(company=world["own"])
    project_transition(
        project=project,
        to_status=ProjectStatus.COUNTY_REVIEWED,
        user=county,
        comment="材料齐全",
    )
    move = project.status_changes.get()
    assert (move.from_status, move.to_status) == (
        ProjectStatus.DECLARED,
        ProjectStatus.COUNTY_REVIEWED,
    )
    assert move.changed_by == county and move.comment == "材料齐全"
    latest = project.history.latest()
    assert latest.history_user == county
    assert (latest.prev_record.status, latest.status) == (
        ProjectStatus.DECLARED,
        ProjectStatus.COUNTY_REVIEWED,
    )


def test_an_admin_edit_is_in_the_history_with_its_author_and_shown_there(client, world):
    city = UserFactory(username="audit-city")
    user_assign_role(user=city, role=Role.CITY)
    row = AnnualDataFactory(company=world["own"], year=2019, tax_paid=800)
    client.force_login(city)
    url = f"/admin/companies/annualdata/{row.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = form_values(page.content.decode())
    data["tax_paid"] = "950.00"
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.content.decode())

    latest = row.history.latest()
    assert latest.history_user == city
    assert _changes(latest)["tax_paid"] == (Decimal("800.00"), Decimal("950.00"))
    history_page = client.get(f"/admin/companies/annualdata/{row.pk}/history/")
    assert history_page.status_code == 200
    assert city.username in history_page.content.decode()


def test_history_is_kept_for_every_domain_model():
    from django.apps import apps

    domain = [
        m
        for app in ("companies", "projects")
        for m in apps.get_app_config(app).get_models()
        if not m._meta.auto_created and not m.__name__.startswith("Historical")
    ]
    # Reference data (regions, industries) is seeded by migrations; roles are audited by axes/admin log.
    # CompanyListStamp is a cache stamp (companies.listing), no record anyone edits.
    untracked = {
        *("Region", "Industry", "KeyIndustry", "Membership", "ProjectStatusChange"),
        "CompanyListStamp",
    }
    missing = [
        m.__name__ for m in domain if m.__name__ not in untracked and not hasattr(m, "history")
    ]
    assert missing == []
    assert Company.history.model.__name__ == "HistoricalCompany"


def test_history_dates_are_timezone_aware(world):
    record_save(instance=world["own"], user=world["users"]["city"])
    latest = world["own"].history.latest()
    assert latest.history_date.tzinfo is not None
    assert latest.history_date <= timezone.now() + datetime.timedelta(seconds=1)


def test_an_api_edit_records_its_author_through_the_token(world):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    county = UserFactory(username="audit-county")
    user_assign_role(user=county, role=Role.COUNTY, region=world["own"].region)
    row = AnnualDataFactory(company=world["own"], year=2019, robots_added=2)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=county).key}")
    response = api.patch(
        f"/api/v1/annual-data/{row.pk}/", {"robots_added": 7, "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    latest = row.history.latest()
    assert latest.history_user == county
    assert _changes(latest)["robots_added"] == (2, 7)


def test_an_export_is_logged_with_who_what_which_filter_and_when(world):
    from rest_framework.test import APIClient

    from core.models import ExportLog

    city = UserFactory(username="audit-exporter")
    user_assign_role(user=city, role=Role.CITY)
    api = APIClient()
    api.force_authenticate(city)
    before = timezone.now()
    response = api.get("/api/v1/companies/", {"format": "csv", "region": world["own"].region_id})
    assert response.status_code == 200
    entry = ExportLog.objects.get()
    assert entry.user == city
    assert (entry.resource, entry.format) == ("company", "csv")
    assert entry.filters == {"region": str(world["own"].region_id)}
    assert entry.row_count == 1
    assert entry.created_at >= before


def test_a_ranking_publication_records_who_published_it_and_why(world):
    from rest_framework.test import APIClient

    from rankings.services import rankings_publish, rankings_recompute

    city = UserFactory(username="audit-publisher")
    user_assign_role(user=city, role=Role.CITY)
    AnnualDataFactory(company=world["own"], year=2019)
    rankings_recompute(year=2019)
    from rankings.models import DirtyYear

    DirtyYear.objects.all().delete()  # recomputed just above; nothing is pending
    run = rankings_publish(year=2019, user=city, reason="2019年度亩均评价公示")
    assert run.published_by == city
    assert run.reason == "2019年度亩均评价公示"
    api = APIClient()
    api.force_authenticate(city)
    listed = {r["id"]: r for r in api.get("/api/v1/runs/").json()["results"]}
    assert listed[run.pk]["published_by"] == city.username


def test_a_web_form_edit_appears_in_the_company_page_change_history(client, world):
    county = UserFactory(username="audit-web-county")
    user_assign_role(user=county, role=Role.COUNTY, region=world["own"].region)
    row = AnnualDataFactory(company=world["own"], year=2019, tax_paid=800)
    client.force_login(county)
    edit = f"/en/annual-data/{row.pk}/edit/"
    data = form_values(client.get(edit).content.decode())
    data["tax_paid"] = "812.00"
    assert client.post(edit, data).status_code == 302

    latest = row.history.latest()
    assert latest.history_user == county
    assert _changes(latest)["tax_paid"] == (Decimal("800.00"), Decimal("812.00"))
    page = client.get(f"/en/companies/{world['own'].pk}/").content.decode()
    changes = page[page.index('id="changes"') :]
    assert "audit-web-county" in changes
    assert "tax" in changes.lower()
