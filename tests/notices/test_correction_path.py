"""Upholding an objection on a year the city confirmed: the record is locked, so the objection
page leads to the correction without loss (void, then enter the corrected figures) instead of
an edit page that can only refuse; the corrected row's entry starts from the voided figures.
Found by the whole-cycle browser walk (tests/browser/test_whole_cycle.py)."""

import datetime
import re

import pytest
from django.utils import timezone

from companies.models import AnnualData
from core.services import record_void
from reporting.choices import SubmissionState
from reporting.models import Submission
from reporting.services import campaign_open
from tests.notices.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(world, published):
    """The own company's YEAR figures confirmed by the city through a campaign."""
    campaign = campaign_open(
        year=YEAR,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=world["users"]["city"],
    )
    Submission.objects.filter(campaign=campaign, company=world["own"]).update(
        state=SubmissionState.CONFIRMED
    )


def _detail(client, user, objection):
    client.force_login(user)
    return client.get(f"/en/objections/{objection.pk}/").content.decode()


def test_an_unconfirmed_record_is_corrected_on_its_edit_page(client, world, file_one):
    objection = file_one()
    page = _detail(client, world["users"]["city"], objection)
    assert f"/en/annual-data/{objection.record_id}/edit/" in page


def test_a_confirmed_record_is_voided_and_re_entered(client, world, confirmed, file_one):
    objection = file_one()
    page = _detail(client, world["users"]["city"], objection)
    assert "/edit/" not in page
    assert f'href="/en/companies/{world["own"].pk}/#annual"' in page
    assert "void this confirmed record and enter the corrected figures" in page


def test_the_corrected_entry_starts_from_the_voided_row(client, world, published):
    city, own = world["users"]["city"], world["own"]
    row = AnnualData.objects.get(company=own, year=YEAR)
    add_url = f"/en/companies/{own.pk}/annual-data/add/?year={YEAR}"
    client.force_login(city)

    # While the year has its live row, nothing is offered and nothing prefilled.
    assert 'class="btn btn-small btn-primary correct-year"' not in _company_page(client, own)
    assert client.get(add_url).context["form"].initial.get("tax_paid") is None

    record_void(instance=row, user=city, reason="异议成立")
    assert re.search(rf'correct-year" href="{re.escape(add_url)}"', _company_page(client, own))
    initial = client.get(add_url).context["form"].initial
    assert initial["year"] == YEAR and initial["tax_paid"] == row.tax_paid
    assert initial["main_revenue"] == row.main_revenue

    # The corrected row saved, the year is live again: the offer is gone.
    response = client.post(
        add_url, {**{k: v for k, v in initial.items() if v is not None}, "tax_paid": "350"}
    )
    assert response.status_code == 302
    assert AnnualData.objects.live().get(company=own, year=YEAR).tax_paid == 350
    assert "correct-year" not in _company_page(client, own)
    assert client.get(add_url).context["form"].initial.get("tax_paid") is None


def test_another_company_s_voided_row_prefills_nothing(client, world, published, other_users):
    """The prefill reads through the user's scope: county staff of another region reach
    neither the page nor the figures."""
    other = world["other"]
    record_void(
        instance=AnnualData.objects.get(company=other, year=YEAR),
        user=world["users"]["city"],
        reason="x",
    )
    client.force_login(world["users"]["county"])
    response = client.get(f"/en/companies/{other.pk}/annual-data/add/?year={YEAR}")
    assert response.status_code == 404


def _company_page(client, company):
    return client.get(f"/en/companies/{company.pk}/").content.decode()
