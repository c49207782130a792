"""Regressions of the attacker review pass (issues 11-13): each test is a path that once
got around a rule, reproduced against the running product first."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from companies.models import AnnualData
from reporting.choices import SubmissionState as S
from reporting.forms import SubmissionFiguresForm
from reporting.models import Campaign
from reporting.services import submission_save, submission_step
from tests.api.conftest import client_for
from tests.reporting.conftest import YEAR, figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed_row(world, submissions):
    """The own company's YEAR figures, confirmed by the city (so locked)."""
    own, users = submissions["own"], world["users"]
    form = SubmissionFiguresForm(figures(), submission=own, final=False)
    assert form.is_valid(), form.errors
    submission_save(submission=own, user=users["company"], figures=form.figures)
    for action, role in (
        ("submit", "company"),
        ("county_accept", "county"),
        ("city_confirm", "city"),
    ):
        submission_step(submission=own, action=action, user=users[role])
    assert own.state == S.CONFIRMED
    return AnnualData.objects.live().get(company=world["own"], year=YEAR)


def test_a_confirmed_row_cannot_be_moved_to_another_year_or_company(world, confirmed_row):
    county = client_for(world["users"]["county"])
    for change in ({"year": YEAR + 1}, {"company": world["own"].pk + 10**6}):
        response = county.patch(
            f"/api/v1/annual-data/{confirmed_row.pk}/",
            {**change, "version": confirmed_row.version, "confirm_warnings": True},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 400, response.content
    confirmed_row.refresh_from_db()
    assert (confirmed_row.company_id, confirmed_row.year) == (world["own"].pk, YEAR)


def test_a_confirmed_row_cannot_be_deleted_only_voided(world, confirmed_row):
    county = client_for(world["users"]["county"])
    response = county.delete(f"/api/v1/annual-data/{confirmed_row.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "void the row" in response.content.decode()
    assert AnnualData.objects.live().filter(pk=confirmed_row.pk).exists()


def test_the_admin_refuses_moving_or_deleting_a_confirmed_row_with_a_message(world, confirmed_row):
    client = Client()
    client.force_login(world["users"]["admin"])
    change_url = f"/en/admin/companies/annualdata/{confirmed_row.pk}/change/"
    page = client.get(change_url)
    assert page.status_code == 200
    data = {
        name: ("" if value is None else value)
        for name, value in page.context["adminform"].form.initial.items()
    }
    data.update(year=YEAR + 1, company=world["own"].pk, based_on_version=confirmed_row.version)
    data = {k: v for k, v in data.items() if v is not None and not isinstance(v, bool)}
    response = client.post(change_url, data, follow=True)
    assert response.status_code == 200
    assert "void the row" in response.content.decode()
    response = client.post(
        f"/en/admin/companies/annualdata/{confirmed_row.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert "void the row" in response.content.decode()
    confirmed_row.refresh_from_db()
    assert confirmed_row.year == YEAR and confirmed_row.voided_at is None


def test_pages_show_steps_and_campaigns_without_a_person(client, world, campaign, submissions):
    """The demo loader and commands take steps as the system (no user), and a user may be
    deleted: the review page, the portal and the campaign pages once answered 500."""
    own = submissions["own"]
    form = SubmissionFiguresForm(figures(), submission=own, final=False)
    assert form.is_valid(), form.errors
    submission_save(submission=own, user=None, figures=form.figures)
    submission_step(submission=own, action="submit", user=None)
    campaign.opened_by = None
    campaign.save(update_fields=["opened_by"])
    client.force_login(world["users"]["county"])
    for url in (
        reverse("reporting:submission", args=[own.pk]),
        reverse("reporting:campaign", args=[campaign.pk]),
        reverse("reporting:campaigns"),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(world["users"]["company"])
    portal = client.get(reverse("reporting:portal"))
    assert portal.status_code == 200


def test_confirming_writes_down_the_class_and_land_the_year_used(world, confirmed_row):
    """Left empty, the year's class and land were the company's current ones: changing the
    company's land after the confirmation moved the confirmed year's result (reproduced: a
    规下 company rated A fell out of the rating when its land was changed to 1 mu)."""
    company = world["own"]
    assert confirmed_row.land_area_mu == company.land_area_mu
    assert confirmed_row.above_size == bool(company.above_size)


def test_an_unknown_figure_name_is_refused_and_the_draft_kept(world, submissions):
    """`{"figures": {"tax": …}}` (a misspelt name) once answered 200 and saved every figure
    empty; it is refused naming the figure, and the draft keeps its figures."""
    own = submissions["own"]
    company = client_for(world["users"]["company"])
    url = f"/api/v1/submissions/{own.pk}/figures/"
    assert company.post(url, {"figures": figures()}, format="json").status_code == 200
    typo = company.post(url, {"figures": {"tax": "1", "state": "confirmed"}}, format="json")
    assert typo.status_code == 400, typo.content
    assert "state, tax" in str(typo.json()["figures"])
    own.refresh_from_db()
    assert own.figures["tax_paid"] == figures()["tax_paid"]


def test_a_request_over_the_upload_limits_gets_an_api_answer(world, submissions, settings):
    """21 files in one request, or a body over DATA_UPLOAD_MAX_MEMORY_SIZE, once got Django's
    bare HTML "Bad Request (400)" page from the API; they get a JSON 400 saying what is wrong."""
    own = submissions["own"]
    company = client_for(world["users"]["company"])
    files = [
        SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4 x")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    many = company.post(
        f"/api/v1/submissions/{own.pk}/attachments/", {"file": files}, format="multipart"
    )
    assert many.status_code == 400
    assert str(settings.DATA_UPLOAD_MAX_NUMBER_FILES) in many.json()["detail"]
    big = company.post(
        f"/api/v1/submissions/{own.pk}/figures/",
        {"figures": {}, "pad": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
        format="json",
    )
    assert big.status_code == 400
    assert "MB" in big.json()["detail"]
    assert not own.attachments.exists()


def test_a_campaign_with_an_id_beyond_64_bits_is_refused_not_a_500(world):
    """`"regions": [99999999999999999999]` once reached the query and answered 500."""
    city = client_for(world["users"]["city"])
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    for payload in ({"regions": [10**20]}, {"batch": 10**20}):
        response = city.post(
            "/api/v1/campaigns/", {"year": YEAR, "deadline": deadline, **payload}, format="json"
        )
        assert response.status_code == 400, response.content
        assert set(payload) <= set(response.json())
    assert not Campaign.objects.exists()


def test_a_bad_item_in_a_list_is_a_400_naming_the_item(world, submissions):
    """A county return naming an unknown figure (`"fields": ["bogus"]`) once answered 500: a
    list's errors are keyed by the item's index, which the JSON renderer refused."""
    own = submissions["own"]
    form = SubmissionFiguresForm(figures(), submission=own, final=False)
    assert form.is_valid(), form.errors
    submission_save(submission=own, user=world["users"]["company"], figures=form.figures)
    submission_step(submission=own, action="submit", user=world["users"]["company"])
    county = client_for(world["users"]["county"])
    response = county.post(
        f"/api/v1/submissions/{own.pk}/step/",
        {"action": "county_return", "comment": "x", "fields": ["tax_paid", "bogus"]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["1"]
    own.refresh_from_db()
    assert own.state == S.SUBMITTED


def test_a_web_form_over_the_upload_limits_gets_a_page_saying_so(world, submissions, settings):
    """21 files posted to a page once got Django's bare English "Bad Request (400)"; the
    page (templates/400.html, rendered without a request) says what happened in the
    user's language, and nothing is saved."""
    client = Client()
    client.force_login(world["users"]["company"])
    files = [
        SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4 x")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    response = client.post(
        reverse("reporting:portal"), {"file": files}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert '<meta charset="utf-8">' in page and "请求未被受理" in page and "20 个文件" in page
    assert not submissions["own"].attachments.exists()


def test_a_deadline_years_ahead_is_refused_on_opening_and_extending(world, campaign):
    """A deadline of 9999-12-31 was accepted (attacker pass F6): a typo that would silence
    every reminder and overdue flag. At most a year ahead; nothing changes."""
    from django.core.exceptions import ValidationError

    from reporting.services import campaign_extend, campaign_open

    city = world["users"]["city"]
    before = campaign.deadline
    with pytest.raises(ValidationError) as extend:
        campaign_extend(campaign=campaign, deadline=datetime.date(9999, 12, 31), user=city)
    assert "deadline" in extend.value.message_dict
    campaign.refresh_from_db()
    assert campaign.deadline == before
    far = timezone.localdate() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as opening:
        campaign_open(year=YEAR - 1, deadline=far, user=city)
    assert "deadline" in opening.value.message_dict
    assert not Campaign.objects.filter(year=YEAR - 1).exists()
    near = timezone.localdate() + datetime.timedelta(days=300)
    assert campaign_extend(campaign=campaign, deadline=near, user=city).deadline == near
