"""Undoing an import as a whole: exactly, audited, through the write path; refused when a
record changed since, after the period, and for someone who is neither author nor city."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from companies.models import AnnualData, Company
from core.services import record_save
from rankings.models import DirtyYear
from tests.factories import AnnualDataFactory, make_credit_code, make_user
from tests.imports.conftest import checked, csv_bytes, imported
from tracker.imports.services import import_apply
from tracker.imports.undo import UndoRefused, import_undo
from tracker.models import ImportChange, ImportJob, ImportStatus

HEADER = ["统一社会信用代码", "年度", "主营业务收入(万元)", "实缴税金(万元)", "R&D经费(万元)"]
COMPARED = ("main_revenue", "tax_paid", "rd_expense", "industrial_output", "avg_employees")


def _import(world, user=None):
    """Update own 2019 (tax, and R&D emptied), create own 2020."""
    own = world["own"]
    return imported(
        "annual_data",
        csv_bytes(
            [
                HEADER,
                [own.credit_code, "2019", "", "950", "-"],
                [own.credit_code, "2020", "100", "5", ""],
            ]
        ),
        user or world["users"]["county"],
        confirm_warnings=True,  # 2020's figures are far below 2019's: confirmed jumps
    )


def test_undo_restores_exactly_through_the_write_path_and_marks_the_years(world):
    own, county, city = world["own"], world["users"]["county"], world["users"]["city"]
    data = AnnualDataFactory(company=own, year=2019)
    before = {k: v for k, v in model_to_dict(data).items() if k in COMPARED}
    job = _import(world, county)
    assert job.status == ImportStatus.DONE, job.message
    assert ImportChange.objects.filter(job=job).count() == 2
    data.refresh_from_db()
    assert (data.tax_paid, data.rd_expense, data.version) == (Decimal("950.00"), None, 2)
    DirtyYear.objects.all().delete()  # what the import marked; the undo must mark again

    job = import_undo(job=job, user=city)  # city staff may undo a county official's import

    assert job.status == ImportStatus.UNDONE and job.undone_by == city and job.undone_at
    job.refresh_from_db()
    assert job.status == ImportStatus.UNDONE and job.undone_by == city
    data.refresh_from_db()
    assert {k: v for k, v in model_to_dict(data).items() if k in COMPARED} == before
    assert data.version == 3 and data.updated_by == city  # a write of its own, not a rewind
    assert not AnnualData.objects.filter(company=own, year=2020).exists()
    reason = f"undo of import #{job.pk}"
    latest = data.history.first()
    assert latest.history_change_reason == reason and latest.history_user == city
    deletion = AnnualData.history.filter(year=2020, history_type="-").get()
    assert deletion.history_change_reason == reason and deletion.history_user == city
    # The real markers the rankings' receivers wrote for the restored and the deleted year.
    assert sorted(DirtyYear.objects.values_list("year", flat=True)) == [2019, 2020]
    with pytest.raises(UndoRefused):
        import_undo(job=job, user=city)  # once only


def test_undo_is_refused_after_a_later_edit_and_names_the_row(world):
    own, county = world["own"], world["users"]["county"]
    AnnualDataFactory(company=own, year=2019)
    job = _import(world, county)
    later = AnnualData.objects.get(company=own, year=2020)
    later.tax_paid = 6
    record_save(instance=later, user=world["users"]["city"], expected_version=later.version)
    with pytest.raises(UndoRefused, match=r"cannot be undone: 3\."):
        import_undo(job=job, user=county)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.undone_by is None
    data = AnnualData.objects.get(company=own, year=2019)
    assert data.tax_paid == Decimal("950.00") and data.version == 2  # nothing undone
    assert AnnualData.objects.get(company=own, year=2020).tax_paid == 6


def test_undo_is_refused_after_the_period(world, settings):
    AnnualDataFactory(company=world["own"], year=2019)
    job = _import(world)
    settings.IMPORT_UNDO_DAYS = 7
    ImportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    job.refresh_from_db()
    with pytest.raises(UndoRefused, match="within 7 days"):
        import_undo(job=job, user=world["users"]["city"])
    assert AnnualData.objects.filter(year=2020).exists()


def test_undo_is_refused_for_a_county_user_who_is_not_the_author(world, yongkang):
    AnnualDataFactory(company=world["own"], year=2019)
    job = _import(world, world["users"]["county"])
    colleague = make_user("county", region=yongkang, username="t-county-2")
    with pytest.raises(PermissionDenied):
        import_undo(job=job, user=colleague)
    with pytest.raises(PermissionDenied):
        import_undo(job=job, user=world["users"]["company"])
    assert AnnualData.objects.filter(year=2020).exists()
    assert import_undo(job=job, user=world["users"]["county"]).status == ImportStatus.UNDONE


def test_undo_is_refused_when_a_created_company_has_gained_records(world):
    city = world["users"]["city"]
    code = make_credit_code()
    job = imported(
        "companies",
        csv_bytes(
            [["统一社会信用代码", "企业名称", "行政区", "行业"], [code, "新企业", "永康市", "34"]]
        ),
        city,
    )
    AnnualDataFactory(company=Company.objects.get(credit_code=code), year=2019)
    with pytest.raises(UndoRefused, match=r"cannot be undone: 2\."):
        import_undo(job=job, user=city)
    assert AnnualData.objects.filter(company__credit_code=code).exists()


def test_the_job_page_offers_the_undo_and_then_says_who_undid_it(client, world):
    county = world["users"]["county"]
    AnnualDataFactory(company=world["own"], year=2019)
    job = _import(world, county)
    client.force_login(county)
    url = reverse("imports:job", args=[job.pk])
    assert 'id="undo-import"' in client.get(url).content.decode()
    response = client.post(reverse("imports:undo", args=[job.pk]), follow=True)
    page = response.content.decode()
    assert 'id="import-undone"' in page and county.username in page  # who undid it, and when
    assert 'id="undo-import"' not in page
    assert not AnnualData.objects.filter(year=2020).exists()
    # City staff see the job too; undoing it twice is refused with the reason, not a 500.
    client.force_login(world["users"]["city"])
    response = client.post(reverse("imports:undo", args=[job.pk]), follow=True)
    assert "Only an import that was carried out can be undone." in response.content.decode()
    assert ImportJob.objects.get(pk=job.pk).undone_by == county


def test_a_company_import_is_undone_foreign_keys_and_all(world, yiwu):
    city, own = world["users"]["city"], world["own"]
    own.land_area_mu = Decimal("12.50")
    own.save()
    before = model_to_dict(own)
    header = ["统一社会信用代码", "企业名称", "行政区", "行业", "用地面积(亩)"]
    job = imported(
        "companies", csv_bytes([header, [own.credit_code, "新名字", "义乌市", "35", "-"]]), city
    )
    own.refresh_from_db()
    assert (own.name, own.region, own.land_area_mu) == ("新名字", yiwu, None)
    import_undo(job=job, user=city)
    own.refresh_from_db()
    after = model_to_dict(own)
    assert {k: v for k, v in after.items() if v != before[k]} == {}
    assert own.version == 4  # saved, imported, undone: each a write of its own


def test_an_edit_after_the_check_stops_the_import_and_names_the_row(world):
    """Attacker pass: the dry run showed 80 → 81, a colleague then saved 85, and applying wrote
    81 over it. The import now refuses, names the row and writes nothing."""
    own, county = world["own"], world["users"]["county"]
    row = AnnualDataFactory(company=own, year=2019)
    job = checked(
        "annual_data",
        csv_bytes([HEADER, [own.credit_code, "2019", "", "950", ""]]),
        county,
    )
    assert job.errors == []
    edited = AnnualData.objects.get(pk=row.pk)
    edited.tax_paid = Decimal("85")
    record_save(instance=edited, user=world["users"]["city"])

    job = import_apply(job=job, user=county, confirm_warnings=True)

    assert job.status == ImportStatus.FAILED and "2" in job.message
    stored = AnnualData.objects.get(pk=row.pk)
    assert stored.tax_paid == Decimal("85") and stored.version == edited.version
