"""Voided records free their unique slot (one row per company-year, one designation per batch,
one certificate per number) and can be voided and restored from the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from companies.models import AnnualData, Certification, Designation
from companies.services import user_assign_role
from core.services import record_restore, record_save, record_void
from tests.companies.test_admin import url
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    DesignationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(world):
    """A client signed in to the admin as a user given `role` the way production does."""

    def login(role, **binding):
        user = get_user_model().objects.create_user(username=f"v-{role}")
        user_assign_role(user=user, role=role, **binding)
        client = Client()
        client.force_login(user)
        return client

    return login


def test_a_year_can_be_entered_again_after_its_row_is_voided(world):
    city = world["users"]["city"]
    old = AnnualDataFactory(company=world["own"], year=2019)
    with pytest.raises(ValidationError):
        record_save(instance=AnnualData(company=world["own"], year=2019), user=city)
    record_void(instance=old, user=city, reason="figures of another company")
    new = record_save(
        instance=AnnualData(company=world["own"], year=2019, tax_paid=1, main_revenue=100),
        user=city,
    )
    assert list(AnnualData.objects.live().filter(company=world["own"])) == [new]
    assert AnnualData.objects.filter(company=world["own"], year=2019).count() == 2
    with pytest.raises(ValidationError):
        record_restore(instance=old, user=city)


def test_a_designation_and_a_certificate_number_are_free_again_after_voiding(world):
    city = world["users"]["city"]
    batch = BatchFactory(number=1)
    designation = DesignationFactory(company=world["own"], batch=batch)
    record_void(instance=designation, user=city, reason="wrong batch")
    record_save(instance=Designation(company=world["own"], batch=batch), user=city)
    certificate = CertificationFactory(company=world["own"], certificate_no="IMS-1")
    record_void(instance=certificate, user=city, reason="wrong company")
    record_save(instance=Certification(company=world["other"], certificate_no="IMS-1"), user=city)
    assert Certification.objects.live().get(certificate_no="IMS-1").company == world["other"]


def test_the_admin_voids_with_the_reason_typed_beside_the_action(client_as, world):
    row = AnnualDataFactory(company=world["own"])
    changelist = url("companies_annualdata_changelist")
    client = client_as("city")
    refused = client.post(
        changelist, {"action": "void_selected", "_selected_action": [row.pk], "reason": ""}
    )
    assert refused.status_code == 302
    row.refresh_from_db()
    assert not row.is_voided
    client.post(
        changelist,
        {"action": "void_selected", "_selected_action": [row.pk], "reason": "duplicate"},
    )
    row.refresh_from_db()
    assert row.is_voided and row.void_reason == "duplicate"
    assert row.history.order_by("-history_date").first().history_change_reason == "duplicate"
    client.post(changelist, {"action": "restore_selected", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert not row.is_voided


def test_county_staff_cannot_void_another_regions_row_in_the_admin(client_as, world):
    row = AnnualDataFactory(company=world["other"])
    client_as("county", region=world["own"].region).post(
        url("companies_annualdata_changelist"),
        {"action": "void_selected", "_selected_action": [row.pk], "reason": "x"},
    )
    row.refresh_from_db()
    assert not row.is_voided
