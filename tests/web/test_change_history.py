"""Change history with values (issue 10, item 5): every change shows each changed field
old → new by label and displayed value, on the company page and in the admin, including
the first edit of rows loaded without history (the demo dataset)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from companies.choices import CertificationStatus
from companies.models import AnnualData, Company
from core.services import record_restore, record_save, record_void, records_bulk_write
from tests.factories import AnnualDataFactory, CertificationFactory, industry
from tests.web.helpers import english

pytestmark = pytest.mark.django_db


def _loaded_without_history(company, **figures) -> AnnualData:
    """An annual-data row as the demo loader writes it: no history row."""
    # A 规上 company's row carries its main revenue (the plausibility rules ask for it).
    row = AnnualData(company=company, year=2019, **{"main_revenue": 1000, **figures})
    records_bulk_write(model=AnnualData, creates=[row], history=False)
    assert not AnnualData.history.filter(id=row.pk).exists()
    return AnnualData.objects.get(pk=row.pk)


def _page_changes(client, company, language="en") -> list[dict]:
    with translation.override(language):
        url = reverse("companies:detail", args=[company.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.context["changes"]


def test_a_web_edit_shows_each_field_old_to_new(client, world):
    city = world["users"]["city"]
    company = world["own"]
    company.name, company.contact_phone = "永康改名企业", "0579-1234567"
    record_save(instance=company, user=city, expected_version=company.version)
    client.force_login(city)
    latest = _page_changes(client, company)[0]
    assert latest["who"] == city
    assert {"field": "Name", "old": "永康自有企业", "new": "永康改名企业"} in latest["changes"]
    assert {c["field"] for c in latest["changes"]} == {"Name", "Contact phone"}
    html = client.get(english(reverse("companies:detail", args=[company.pk]))).content.decode()
    assert "Name: 永康自有企业 → 永康改名企业" in html


def test_the_first_edit_of_loaded_data_shows_old_to_new(client, world):
    city = world["users"]["city"]
    row = _loaded_without_history(world["own"], tax_paid=Decimal("300.00"))
    row.tax_paid = Decimal("555.00")
    record_save(instance=row, user=city, expected_version=row.version)
    client.force_login(city)
    changes = _page_changes(client, world["own"])
    edit = next(entry for entry in changes if entry["changes"])
    assert edit["who"] == city
    assert edit["changes"] == [{"field": "Tax paid (10k RMB)", "old": "300.00", "new": "555.00"}]
    # The snapshot of the loaded state precedes the edit, so the edit is the latest entry.
    assert changes[0] is edit


def test_the_first_bulk_update_of_loaded_data_shows_old_to_new(world):
    city = world["users"]["city"]
    row = _loaded_without_history(world["own"], tax_paid=Decimal("300.00"))
    row.tax_paid = Decimal("12.00")
    records_bulk_write(model=AnnualData, updates=[row], fields=["tax_paid"], user=city)
    latest = AnnualData.history.filter(id=row.pk).latest()
    delta = latest.diff_against(latest.prev_record, excluded_fields=["version"])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("tax_paid", Decimal("300.00"), Decimal("12.00"))
    ]
    assert latest.history_user == city


def test_a_row_with_history_gets_no_extra_snapshot(world):
    row = AnnualDataFactory(company=world["own"], year=2019)
    row.tax_paid = Decimal("1.00")
    record_save(instance=row, user=world["users"]["city"])
    assert list(row.history.values_list("history_type", flat=True)) == ["~", "+"]


def test_choices_and_related_rows_show_their_names_in_both_languages(client, world):
    city = world["users"]["city"]
    company = world["own"]
    with translation.override("en"):
        before, after = str(company.industry), str(industry("35"))
    company.industry = industry("35")
    record_save(instance=company, user=city)
    certificate = CertificationFactory(company=company, status=CertificationStatus.ADOPTING)
    certificate.status = CertificationStatus.CERTIFIED
    record_save(instance=certificate, user=city)
    client.force_login(city)

    english_changes = [c for e in _page_changes(client, company) for c in e["changes"]]
    assert {"field": "Industry", "old": before, "new": after} in english_changes
    assert {
        "field": "Status",
        "old": "Adopting the standard",
        "new": "Certified",
    } in english_changes
    chinese_changes = [c for e in _page_changes(client, company, "zh-hans") for c in e["changes"]]
    assert {"field": "状态", "old": "贯标中", "new": "有效"} in chinese_changes
    assert any(c["field"] == "行业" for c in chinese_changes)


def test_the_admin_history_shows_fields_old_to_new_without_bookkeeping(client, world):
    city = world["users"]["city"]
    row = _loaded_without_history(world["own"], tax_paid=Decimal("300.00"))
    row.tax_paid = Decimal("555.00")
    record_save(instance=row, user=city)
    client.force_login(world["users"]["admin"])
    with translation.override("en"):
        url = reverse("admin:companies_annualdata_history", args=[row.pk])
    response = client.get(url)
    assert response.status_code == 200
    records = list(response.context["page_obj"])
    assert records[0].history_delta_changes == [
        {"field": "Tax paid (10k RMB)", "old": "300.00", "new": "555.00"}
    ]
    html = response.content.decode()
    assert "Tax paid (10k RMB):</strong>" in html and "300.00" in html and "555.00" in html
    # A change without a reason leaves the reason cell empty (it printed "None"), and the
    # page carries no inline style the content-security policy would refuse.
    assert not records[0].history_change_reason
    table = html[html.index("<table") : html.rindex("</table>")]
    # "None" stands only where no user is named (the snapshot of the loaded row).
    assert table.count("None") == sum(record.history_user is None for record in records)
    assert 'class="paginator" style=' not in html


def test_company_page_history_query_count_does_not_grow_with_changes(
    client, world, django_assert_max_num_queries
):
    city = world["users"]["city"]
    company = world["own"]
    client.force_login(city)
    url = english(reverse("companies:detail", args=[company.pk]))
    client.get(url)
    for index in range(5):
        company.industry = industry("35" if index % 2 else "34")
        company.contact_person = f"联系人{index}"
        record_save(instance=company, user=city)
    with django_assert_max_num_queries(60) as context:
        client.get(url)
    many = len(context.captured_queries)
    for index in range(5):
        company.contact_person = f"又一位{index}"
        company.industry = industry("34" if index % 2 else "35")
        record_save(instance=company, user=city)
    with django_assert_max_num_queries(many):
        client.get(url)
    assert Company.history.filter(id=company.pk).count() >= 11


def test_system_change_reasons_read_in_the_readers_language(client, world):
    """A reason the system writes is stored once and shown in the page's language, fields by
    their labels (new-user pass: Chinese pages showed "restored", English ones 已恢复)."""
    city = world["users"]["city"]
    row = AnnualDataFactory(company=world["own"], year=2019, tax_paid=Decimal("100"))
    row.tax_paid = Decimal("1300")
    row._change_reason = "confirmed: tax_paid ×13.0 vs 2018"
    record_save(instance=row, user=city)
    record_void(instance=row, user=city, reason="录错了")
    record_restore(instance=AnnualData.objects.get(pk=row.pk), user=city)
    client.force_login(city)
    english_reasons = [entry["reason"] for entry in _page_changes(client, world["own"], "en")]
    chinese_reasons = [entry["reason"] for entry in _page_changes(client, world["own"], "zh-hans")]
    assert "restored" in english_reasons and "录错了" in english_reasons
    assert "confirmed: tax paid (10k RMB) ×13.0 against 2018" in english_reasons
    assert "restored" not in chinese_reasons and "录错了" in chinese_reasons
    assert not any("tax_paid" in reason for reason in chinese_reasons)
