"""Before a year is published the summary counts its figures that jump against the year
before and were never confirmed (loaded data, or written before the check existed)."""

from decimal import Decimal

import pytest

from companies.models import AnnualData
from companies.plausibility import confirmation_note, year_on_year_jumps
from core.services import record_save, record_void
from rankings.selectors import publish_summary
from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory

pytestmark = pytest.mark.django_db


def test_unconfirmed_jumps_are_counted_until_confirmed(world):
    city = world["users"]["city"]
    AnnualDataFactory(company=world["own"], year=2018, tax_paid=Decimal("100"))
    row = AnnualDataFactory(company=world["own"], year=2019, tax_paid=Decimal("2000"))
    AnnualDataFactory(company=world["other"], year=2018, tax_paid=Decimal("100"))
    AnnualDataFactory(company=world["other"], year=2019, tax_paid=Decimal("120"))
    rankings_recompute(year=2019)
    assert publish_summary(year=2019).unconfirmed_warnings == 1

    row = AnnualData.objects.get(pk=row.pk)
    row.tax_paid = Decimal("2100")
    row._change_reason = confirmation_note(year_on_year_jumps(row))
    record_save(instance=row, user=city)
    assert publish_summary(year=2019).unconfirmed_warnings == 0


def test_a_voided_earlier_year_is_not_the_basis(world):
    city = world["users"]["city"]
    wrong = AnnualDataFactory(company=world["own"], year=2018, tax_paid=Decimal("1"))
    AnnualDataFactory(company=world["own"], year=2019, tax_paid=Decimal("100"))
    rankings_recompute(year=2019)
    assert publish_summary(year=2019).unconfirmed_warnings == 1
    record_void(instance=wrong, user=city, reason="another company's figures")
    assert publish_summary(year=2019).unconfirmed_warnings == 0
