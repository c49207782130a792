"""core.compiled: a query compiled once answers later calls with their own arguments, and its
columns come converted as the ORM converts them."""

import datetime

import pytest

from companies.models import Company
from core.compiled import CompiledValues

pytestmark = pytest.mark.django_db


def test_later_calls_read_their_own_arguments(world):
    by_name = CompiledValues(lambda name: Company.objects.filter(name=name).values("id"), "?")
    assert by_name.first(world["own"].name) == {"id": world["own"].pk}
    assert by_name.first(world["other"].name) == {"id": world["other"].pk}
    assert by_name.first("no such company") is None


def test_times_come_converted_as_the_orm_converts_them(world):
    created = CompiledValues(
        lambda pk: Company.objects.filter(pk=pk).values("created_at"), 987_654_321
    )
    value = created.first(world["own"].pk)["created_at"]
    assert isinstance(value, datetime.datetime)
    assert value == Company.objects.get(pk=world["own"].pk).created_at
