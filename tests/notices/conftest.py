"""Fixtures of the objection tests: the 2019 ranking computed and published (notice open),
with both `world` companies rated, and uploads stored in a temporary folder."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rankings.models import DirtyYear
from rankings.services import rankings_publish, rankings_recompute
from tests.factories import AnnualDataFactory, CompanyFactory, make_user

YEAR = 2019
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name="证明.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(world, yongkang):
    """The 2019 run published by city staff today (7 days' notice)."""
    AnnualDataFactory(company=world["own"], year=YEAR, tax_paid=300)
    AnnualDataFactory(company=world["other"], year=YEAR, tax_paid=900)
    for tax in (400, 500, 600):
        AnnualDataFactory(company=CompanyFactory(region=yongkang), year=YEAR, tax_paid=tax)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=YEAR)
    return rankings_publish(year=YEAR, user=world["users"]["city"])


@pytest.fixture
def other_users(world, yiwu):
    """A user of the other company, and county staff of the other company's region."""
    return {
        "company": make_user("company", company=world["other"], username="t-other-company"),
        "county": make_user("county", region=yiwu, username="t-other-county"),
    }


@pytest.fixture
def file_one(world, published):
    """`file_one(user=…, files=…)` files an objection to the published run."""
    from notices.services import objection_file

    def make(user=None, files=(), **kwargs):
        values = {
            "subject": "tax_paid",
            "claimed_value": "350",
            "explanation": "税务局出具的完税证明显示实缴税金为 350 万元。",
        }
        values.update(kwargs)
        return objection_file(
            user=user or world["users"]["company"], run=published, files=files, **values
        )

    return make
