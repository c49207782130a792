"""Fixtures of the reporting tests: a campaign for 2020 over the `world`'s two companies,
each with its 2019 figures (the previous year the review compares with)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reporting.services import campaign_open
from tests.factories import AnnualDataFactory

YEAR = 2020
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def campaign(world):
    for company in (world["own"], world["other"]):
        AnnualDataFactory(company=company, year=YEAR - 1, tax_paid=800, main_revenue=10000)
    return campaign_open(
        year=YEAR,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=world["users"]["city"],
    )


@pytest.fixture
def submissions(campaign, world):
    rows = {s.company_id: s for s in campaign.submissions.all()}
    return {"own": rows[world["own"].pk], "other": rows[world["other"].pk]}


def figures(**overrides):
    """Plausible 2020 figures (close to the 2019 ones of the fixture)."""
    values = {
        "main_revenue": "11000",
        "industrial_output": "12000",
        "added_value": "3000",
        "total_profit": "900",
        "tax_paid": "850",
        "avg_employees": "120",
        "unskilled_workers": "40",
        "energy_use_tce": "500",
        "emissions": "20",
        "rd_expense": "300",
        "electricity": "150",
        "robots_in_service": "12",
        "robots_added": "3",
    }
    values.update(overrides)
    return values


def pdf(name="证明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")
