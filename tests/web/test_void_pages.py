"""Voiding and restoring records from the pages, shown struck through; discarding the run of a
stray year; every page opens on the latest year with rated companies."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from companies.models import AnnualData, Certification, Designation, MaturityAssessment
from core.services import record_void
from rankings.models import RankingRun
from rankings.services import rankings_recompute
from tests.web.conftest import YEAR
from tests.web.helpers import english

pytestmark = pytest.mark.django_db


def _records(populated, side="own"):
    """url name prefix → the record of that kind for the own (or other) company."""
    company = populated[side]
    return {
        "companies:annual": AnnualData.objects.get(company=company, year=YEAR),
        "companies:certification": Certification.objects.filter(company=company).first(),
        "companies:maturity": MaturityAssessment.objects.filter(company=company).first(),
        "companies:designation": Designation.objects.filter(company=company).first(),
        "projects:": populated[f"{side}_project"],
    }


def _url(prefix, action, pk):
    return reverse(f"{prefix}{'_' if not prefix.endswith(':') else ''}{action}", args=[pk])


@pytest.mark.parametrize(
    "prefix",
    [
        "companies:annual",
        "companies:certification",
        "companies:maturity",
        "companies:designation",
        "projects:",
    ],
)
@pytest.mark.parametrize("role", ["city", "county"])
def test_an_editor_voids_and_restores_from_the_page(client, populated, role, prefix):
    record = _records(populated)[prefix]
    client.force_login(populated["users"][role])
    page = reverse("companies:detail", args=[populated["own"].pk])
    response = client.post(
        _url(prefix, "void", record.pk), {"reason": "wrong company", "next": page}
    )
    assert response.status_code == 302 and response["Location"] == page
    record.refresh_from_db()
    assert record.is_voided and record.void_reason == "wrong company"
    html = client.get(english(page)).content.decode()
    assert 'class="is-voided"' in html or "<s>" in html
    assert "wrong company" in html  # in the list and in the change history
    response = client.post(_url(prefix, "restore", record.pk), {"next": page})
    assert response.status_code == 302
    record.refresh_from_db()
    assert not record.is_voided


def test_the_company_page_offers_void_buttons_to_editors_only(client, populated):
    page = reverse("companies:detail", args=[populated["own"].pk])
    annual = _records(populated)["companies:annual"]
    void_url = _url("companies:annual", "void", annual.pk)
    client.force_login(populated["users"]["county"])
    assert void_url in client.get(page).content.decode()
    client.force_login(populated["users"]["admin"])
    other = reverse("companies:detail", args=[populated["other"].pk])
    assert _url(
        "companies:annual", "void", _records(populated, "other")["companies:annual"].pk
    ) in (client.get(other).content.decode())


@pytest.mark.parametrize("prefix", ["companies:annual", "companies:certification", "projects:"])
def test_a_company_user_is_refused(client, populated, prefix):
    record = _records(populated)[prefix]
    client.force_login(populated["users"]["company"])
    response = client.post(_url(prefix, "void", record.pk), {"reason": "mine"})
    assert response.status_code in (403, 404)
    record.refresh_from_db()
    assert not record.is_voided


@pytest.mark.parametrize("prefix", ["companies:annual", "companies:maturity", "projects:"])
def test_another_regions_record_is_not_found_for_county_staff(client, populated, prefix):
    record = _records(populated, "other")[prefix]
    client.force_login(populated["users"]["county"])
    response = client.post(_url(prefix, "void", record.pk), {"reason": "x"})
    assert response.status_code == 404
    record.refresh_from_db()
    assert not record.is_voided


def test_a_blank_reason_writes_nothing_and_says_why(client, populated):
    record = _records(populated)["companies:annual"]
    client.force_login(populated["users"]["city"])
    response = client.post(english(_url("companies:annual", "void", record.pk)), {"reason": " "})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Give the reason for voiding this record."
    ]
    record.refresh_from_db()
    assert not record.is_voided and record.version == 1


def test_a_foreign_next_url_is_not_followed(client, populated):
    record = _records(populated)["companies:maturity"]
    client.force_login(populated["users"]["city"])
    response = client.post(
        _url("companies:maturity", "void", record.pk),
        {"reason": "x", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


# --- a stray year ------------------------------------------------------------------------


@pytest.fixture
def stray_2035(populated):
    """Annual data for 2035 with one figure (a mistyped year), ranked, then voided and the
    year recomputed: 2035 keeps a provisional run that rates nobody."""
    stray = AnnualData.objects.create(company=populated["own"], year=2035, tax_paid=5)
    rankings_recompute(year=2035)
    record_void(instance=stray, user=populated["users"]["city"], reason="year mistyped")
    rankings_recompute(year=2035)
    return stray


def test_pages_open_on_the_latest_year_with_rated_companies(client, populated, stray_2035):
    client.force_login(populated["users"]["city"])
    assert client.get(reverse("rankings:city")).context["year"] == YEAR
    assert client.get(reverse("rankings:league")).context["year"] == YEAR
    detail = client.get(reverse("companies:detail", args=[populated["own"].pk]))
    assert detail.context["score"].run.year == YEAR
    assert client.get(reverse("dashboard")).context["year"] == YEAR
    client.force_login(populated["users"]["company"])
    portal = client.get(reverse("portal"))
    assert portal.context["score"].run.year == YEAR and portal.context["score"].rated


def test_city_staff_discard_the_stray_run_from_the_rankings_page(client, populated, stray_2035):
    client.force_login(populated["users"]["city"])
    page = client.get(english(reverse("rankings:city")) + "?year=2035").content.decode()
    assert "Discard this ranking" in page
    response = client.post(reverse("rankings:discard"), {"year": "2035"})
    assert response.status_code == 302
    assert not RankingRun.objects.filter(year=2035).exists()


def test_discarding_a_year_with_data_is_refused_with_a_message(client, populated):
    client.force_login(populated["users"]["city"])
    page = client.get(english(reverse("rankings:city")) + f"?year={YEAR}").content.decode()
    assert "Discard this ranking" not in page
    response = client.post(english(reverse("rankings:discard")), {"year": str(YEAR)})
    assert response.status_code == 302
    assert "still has annual data" in str(list(get_messages(response.wsgi_request))[0])
    assert RankingRun.objects.filter(year=YEAR).exists()


def test_county_staff_cannot_discard(client, populated, stray_2035):
    client.force_login(populated["users"]["county"])
    assert client.post(reverse("rankings:discard"), {"year": "2035"}).status_code in (403, 404)
    assert RankingRun.objects.filter(year=2035).exists()


def test_the_lists_strike_through_voided_rows(client, populated):
    records = _records(populated)
    for name in ("companies:annual", "projects:"):
        record_void(instance=records[name], user=populated["users"]["city"], reason="dup")
    client.force_login(populated["users"]["city"])
    annual = client.get(reverse("companies:annual_list")).content.decode()
    assert annual.count('class="is-voided"') == 1
    assert reverse("companies:annual_update", args=[records["companies:annual"].pk]) not in annual
    projects = client.get(reverse("projects:list")).content.decode()
    assert projects.count('class="is-voided"') == 1
