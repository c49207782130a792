"""Issue 12: a key project's planned investment is split into equipment and software vs.
construction; the parts add up to the total, on the model, the API and the page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from projects.choices import ProjectKind, ProjectLevel
from projects.models import KeyProject
from tests.factories import CompanyFactory, KeyProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_parts_must_add_up_to_the_planned_investment():
    project = KeyProjectFactory(planned_investment=1000)
    project.equipment_investment = Decimal("700")
    project.construction_investment = Decimal("200")
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "add up to the planned investment" in error.value.message_dict["equipment_investment"][0]
    project.construction_investment = Decimal("300")
    project.full_clean()


def test_both_parts_or_neither():
    project = KeyProjectFactory()
    project.equipment_investment = Decimal("10")
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "both parts" in error.value.message_dict["equipment_investment"][0]


def test_the_total_follows_from_the_parts_when_left_empty():
    project = KeyProjectFactory(
        planned_investment=None,
        equipment_investment=Decimal("640.50"),
        construction_investment=Decimal("359.50"),
    )
    project.refresh_from_db()
    assert project.planned_investment == Decimal("1000.00")


def test_the_api_writes_the_split_and_refuses_a_mismatch(client):
    company = CompanyFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    payload = {
        "company": company.pk,
        "name": "轻量化智改项目",
        "kind": ProjectKind.LIGHTWEIGHT_RETROFIT,
        "level": ProjectLevel.COUNTY,
        "planned_investment": "500.00",
        "equipment_investment": "400.00",
        "construction_investment": "50.00",
    }
    bad = client.post("/api/v1/projects/", payload, content_type="application/json")
    assert bad.status_code == 400 and "equipment_investment" in bad.json()
    assert not KeyProject.objects.exists()
    payload["construction_investment"] = "100.00"
    good = client.post("/api/v1/projects/", payload, content_type="application/json")
    assert good.status_code == 201, good.content
    assert good.json()["level"] == "county"
    project = KeyProject.objects.get()
    page = client.get(f"/en/projects/{project.pk}/").content.decode()
    assert "equipment and software" in page and "construction" in page
