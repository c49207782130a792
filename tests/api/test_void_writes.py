"""Voiding and restoring change only their own fields, on the row as stored (attacker pass:
a void based on an old copy overwrote an edit saved meanwhile), and a voided record is not
edited until it is restored."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from companies.models import AnnualData
from companies.plausibility import year_on_year_jumps
from core.services import record_restore, record_save, record_void
from tests.factories import AnnualDataFactory

pytestmark = pytest.mark.django_db


def test_a_void_based_on_an_old_copy_keeps_an_edit_saved_meanwhile(world):
    city = world["users"]["city"]
    row = AnnualDataFactory(company=world["own"], year=2019, tax_paid=Decimal("80"))
    old_copy = AnnualData.objects.get(pk=row.pk)
    edited = AnnualData.objects.get(pk=row.pk)
    edited.tax_paid = Decimal("85")
    record_save(instance=edited, user=city, expected_version=edited.version)

    record_void(instance=old_copy, user=city, reason="wrong company")

    stored = AnnualData.objects.get(pk=row.pk)
    assert stored.voided_at is not None and stored.tax_paid == Decimal("85")
    assert stored.version == edited.version + 1
    # The stale copy cannot void it twice either: the stored row decides.
    with pytest.raises(ValidationError):
        record_void(instance=old_copy, user=city, reason="again")


def test_a_voided_record_is_restored_before_it_is_changed(world):
    city = world["users"]["city"]
    row = AnnualDataFactory(company=world["own"], year=2019, tax_paid=Decimal("80"))
    record_void(instance=row, user=city, reason="duplicate")
    stale = AnnualData.objects.get(pk=row.pk)
    stale.tax_paid = Decimal("1")
    with pytest.raises(ValidationError):
        record_save(instance=stale, user=city)
    assert AnnualData.objects.get(pk=row.pk).tax_paid == Decimal("80")
    record_restore(instance=AnnualData.objects.get(pk=row.pk), user=city)
    restored = AnnualData.objects.get(pk=row.pk)
    restored.tax_paid = Decimal("81")
    record_save(instance=restored, user=city)
    assert AnnualData.objects.get(pk=row.pk).tax_paid == Decimal("81")


def test_a_voided_api_record_is_not_patched(api, world):
    row = AnnualDataFactory(company=world["own"], year=2019, tax_paid=Decimal("80"))
    record_void(instance=row, user=world["users"]["city"], reason="duplicate")
    response = api("city").patch(f"/api/v1/annual-data/{row.pk}/", {"tax_paid": "1"}, format="json")
    assert response.status_code == 400
    assert AnnualData.objects.get(pk=row.pk).tax_paid == Decimal("80")


def test_the_year_on_year_check_compares_with_live_rows_only(world):
    city = world["users"]["city"]
    voided = AnnualDataFactory(company=world["own"], year=2017, tax_paid=Decimal("1"))
    record_void(instance=voided, user=city, reason="figures of another company")
    AnnualDataFactory(company=world["own"], year=2017, tax_paid=Decimal("400"))
    row = AnnualData(company=world["own"], year=2018, tax_paid=Decimal("1.5"))
    # Against the live 2017 row (400) a fall to 1.5 is a jump; against the voided one it is not.
    assert "tax_paid" in year_on_year_jumps(row)
