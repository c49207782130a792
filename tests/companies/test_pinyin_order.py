"""Company names sort by their pinyin reading (core.sorting) — in the model's default order,
the list page, its export, the API and its export — and the same on SQLite and PostgreSQL.
The key is kept by every write path: save, the bulk write path and its fast lane."""

import csv
import io

import pytest
from django.urls import reverse

from companies.models import Company
from core.services import records_bulk_write
from core.sorting import pinyin_sort_key
from tests.api.conftest import client_for
from tests.factories import CompanyFactory, make_credit_code

pytestmark = pytest.mark.django_db

# 阿 a, 白 bai, 长城 chang cheng (read as a word), 张 zhang: code-point order would be
# 张 (5F20) < 白 (767D) < 长 (957F) < 阿 (963F).
IN_PINYIN_ORDER = ["阿里机械有限公司", "白云电器有限公司", "长城精工有限公司", "张氏五金有限公司"]


def test_the_key_orders_by_reading_syllable_by_syllable():
    names = ["白", "八张", "百", "白云", "阿", "Apple", "123"]
    assert sorted(names, key=pinyin_sort_key) == ["123", "Apple", "阿", "八张", "白", "白云", "百"]
    assert pinyin_sort_key("长城") < pinyin_sort_key("张") < pinyin_sort_key("长大")
    # Only [0-9a-z]: byte order and locale collations agree on it.
    assert pinyin_sort_key("金华（浙江）Smart 1号").isalnum()


def _create_every_way(region):
    """One company through save(), one through the bulk write path with history, one
    through its fast lane (the demo loader's), one renamed by an update."""
    first, second, third, fourth = reversed(IN_PINYIN_ORDER)
    CompanyFactory(name=first, region=region)
    records_bulk_write(model=Company, creates=[CompanyFactory.build(name=second, region=region)])
    records_bulk_write(
        model=Company,
        creates=[CompanyFactory.build(name=third, region=region, credit_code=make_credit_code())],
        history=False,
        returning_ids=False,
    )
    renamed = CompanyFactory(name="临时名称", region=region)
    renamed.name = fourth
    records_bulk_write(model=Company, updates=[renamed], fields=["name"])


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _assert_pinyin_order_everywhere(world, region, client):
    _create_every_way(region)
    ours = set(IN_PINYIN_ORDER)

    def only_ours(names):
        return [name for name in names if name in ours]

    assert only_ours(Company.objects.values_list("name", flat=True)) == IN_PINYIN_ORDER
    client.force_login(world["users"]["city"])
    page = client.get(reverse("companies:list"), {"sort": "name", "page_size": 100})
    assert only_ours(c.name for c in page.context["object_list"]) == IN_PINYIN_ORDER
    page = client.get(reverse("companies:list"), {"sort": "-name"})
    assert only_ours(c.name for c in page.context["object_list"]) == IN_PINYIN_ORDER[::-1]
    export = client.get(reverse("companies:list"), {"sort": "name", "export": "csv"})
    rows = csv.reader(io.StringIO(_body(export).decode("utf-8-sig")))
    assert only_ours(cell for row in rows for cell in row) == IN_PINYIN_ORDER

    api = client_for(world["users"]["city"])
    listed = api.get("/api/v1/companies/", {"ordering": "name", "page_size": 100}).json()
    assert only_ours(row["name"] for row in listed["results"]) == IN_PINYIN_ORDER
    listed = api.get("/api/v1/companies/", {"ordering": "-name", "page_size": 100}).json()
    assert only_ours(row["name"] for row in listed["results"]) == IN_PINYIN_ORDER[::-1]
    exported = api.get("/api/v1/companies/", {"ordering": "name", "format": "csv"})
    rows = csv.reader(io.StringIO(_body(exported).decode("utf-8-sig")))
    assert only_ours(cell for row in rows for cell in row) == IN_PINYIN_ORDER


def test_names_sort_by_pinyin_on_every_surface(world, yongkang, client):
    _assert_pinyin_order_everywhere(world, yongkang, client)


@pytest.mark.postgres
def test_names_sort_by_pinyin_on_postgresql_too(world, yongkang, client):
    _assert_pinyin_order_everywhere(world, yongkang, client)
