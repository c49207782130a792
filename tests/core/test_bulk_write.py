"""The write path's bulk service: the rules of a single save, for many rows at once.

Scope, validation, the model's derived fields, version, author and history are the
service's; which years turn stale is the rankings' receiver's, observed here through the
real marker (DirtyYear rows), never a stand-in."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from companies.choices import CertificationStatus
from companies.models import AnnualData, Certification, Company
from core.services import records_bulk_write
from projects.choices import ProjectStatus
from projects.models import KeyProject, ProgressReport
from rankings.models import DirtyYear
from rankings.services import rankings_recompute
from tests.factories import (
    AnnualDataFactory,
    CompanyFactory,
    KeyProjectFactory,
    make_credit_code,
    region,
)
from tests.rankings.helpers import dirty

pytestmark = pytest.mark.django_db


def forget_marks() -> None:
    """Drop what the set-up's own saves marked, so a test sees only its bulk write's marks."""
    DirtyYear.objects.all().delete()


def test_creates_and_updates_get_author_version_and_a_history_row(world):
    city, own = world["users"]["city"], world["own"]
    stored = AnnualDataFactory(company=own, year=2019, tax_paid=1)
    stored.tax_paid = Decimal("5.00")
    new = AnnualData(company=own, year=2018, main_revenue=100, tax_paid=Decimal("2.00"))
    written = records_bulk_write(
        model=AnnualData,
        creates=[new],
        updates=[stored],
        fields=["tax_paid"],
        user=city,
        reason="batch of 2 rows",
    )
    assert written == 2
    stored.refresh_from_db()
    assert (stored.tax_paid, stored.version, stored.updated_by) == (Decimal("5.00"), 2, city)
    created = AnnualData.objects.get(company=own, year=2018)
    assert (created.version, created.created_by, created.updated_by) == (1, city, city)
    for row, kind in ((stored, "~"), (created, "+")):
        record = row.history.first()
        assert (record.history_type, record.history_user) == (kind, city)
        assert record.history_change_reason == "batch of 2 rows"


def test_the_models_own_rules_apply_as_on_a_single_save(world):
    own = world["own"]
    # The project runs through 2019; by the end of Q2 the plan expects about half done.
    project = KeyProjectFactory(company=own)
    report = ProgressReport(project=project, year=2019, quarter=2, percent_complete=20)
    certificate = Certification(
        company=own, status=CertificationStatus.CERTIFIED, issued_on=datetime.date(2018, 5, 2)
    )
    company = Company(
        credit_code=make_credit_code().lower(),
        name="小写代码企业",
        region=own.region,
        industry=own.industry,
    )
    records_bulk_write(model=ProgressReport, creates=[report], user=None)
    records_bulk_write(model=Certification, creates=[certificate], user=None)
    records_bulk_write(model=Company, creates=[company], user=None)
    stored = ProgressReport.objects.get(pk=report.pk)
    assert stored.expected_percent == 49 and stored.behind_schedule
    assert Certification.objects.get(pk=certificate.pk).expires_on == datetime.date(2021, 5, 2)
    assert Company.objects.get(pk=company.pk).credit_code == company.credit_code.upper()
    # An update rewrites the derived fields too, although only percent_complete was given.
    stored.percent_complete = 60
    records_bulk_write(model=ProgressReport, updates=[stored], fields=["percent_complete"])
    stored.refresh_from_db()
    assert not stored.behind_schedule and stored.version == 2


def test_an_invalid_row_writes_nothing(world):
    own = world["own"]
    rows = [
        AnnualData(company=own, year=2017, main_revenue=100, tax_paid=1),
        AnnualData(company=own, year=2018, main_revenue=100, tax_paid=-1),
    ]
    with pytest.raises(ValidationError) as raised:
        records_bulk_write(model=AnnualData, creates=rows, user=world["users"]["city"])
    assert "tax_paid" in raised.value.message_dict
    assert not AnnualData.objects.exists() and not AnnualData.history.exists()


def test_a_county_write_with_a_row_of_another_region_writes_nothing_and_names_it(world):
    county, own, other = world["users"]["county"], world["own"], world["other"]
    forget_marks()
    rows = [
        AnnualData(company=own, year=2018, main_revenue=100, tax_paid=1),
        AnnualData(company=other, year=2018, main_revenue=100, tax_paid=1),
    ]
    with pytest.raises(PermissionDenied) as raised:
        records_bulk_write(model=AnnualData, creates=rows, user=county)
    assert f"{other.name} 2018" in str(raised.value)
    assert not AnnualData.objects.exists() and not AnnualData.history.exists()
    assert dirty() == []


def test_a_county_user_can_neither_move_a_record_in_nor_move_one_out(world):
    county, own, other = world["users"]["county"], world["own"], world["other"]
    theirs = AnnualDataFactory(company=other, year=2019)
    theirs.company = own  # moved into the county's region: refused as stored
    with pytest.raises(PermissionDenied):
        records_bulk_write(model=AnnualData, updates=[theirs], fields=["company"], user=county)
    own.region = region("330782")  # the county's own company moved out: refused as written
    with pytest.raises(PermissionDenied):
        records_bulk_write(model=Company, updates=[own], fields=["region"], user=county)
    assert AnnualData.objects.get(pk=theirs.pk).company_id == other.pk
    assert Company.objects.get(pk=own.pk).region.code == "330784"
    # Its own rows, as stored and as written, the county writes.
    mine = AnnualDataFactory(company=own, year=2019, tax_paid=1)
    mine.tax_paid = 2
    records_bulk_write(model=AnnualData, updates=[mine], fields=["tax_paid"], user=county)
    assert AnnualData.objects.get(pk=mine.pk).tax_paid == 2


def test_annual_data_marks_the_years_written(world):
    own = world["own"]
    stored = AnnualDataFactory(company=own, year=2016)
    forget_marks()
    stored.tax_paid = 3
    records_bulk_write(
        model=AnnualData,
        creates=[AnnualData(company=own, year=2018, main_revenue=100)],
        updates=[stored],
        fields=["tax_paid"],
    )
    assert dirty() == [2016, 2018]


def test_dated_records_mark_the_years_from_the_earliest_one_they_count_in(world):
    own = world["own"]
    for year in (2016, 2017, 2018, 2019):
        AnnualDataFactory(company=own, year=year)
    project = KeyProjectFactory(
        company=own,
        status=ProjectStatus.ACCEPTED,
        planned_start=datetime.date(2016, 1, 1),
        accepted_on=datetime.date(2019, 3, 1),
    )
    forget_marks()
    certificate = Certification(
        company=own, status=CertificationStatus.CERTIFIED, issued_on=datetime.date(2018, 5, 2)
    )
    records_bulk_write(model=Certification, creates=[certificate])
    assert dirty() == [2018, 2019]
    forget_marks()
    # Moved later: the project counted from 2019 before, from 2020 now; 2019 on turns stale.
    project.accepted_on = datetime.date(2020, 1, 15)
    records_bulk_write(model=KeyProject, updates=[project], fields=["accepted_on"])
    assert dirty() == [2019]
    forget_marks()
    project.accepted_on = datetime.date(2017, 1, 15)
    records_bulk_write(model=KeyProject, updates=[project], fields=["accepted_on"])
    assert dirty() == [2017, 2018, 2019]


def test_companies_mark_what_a_single_save_would(world):
    own = world["own"]
    AnnualDataFactory(company=own, year=2018)
    AnnualDataFactory(company=own, year=2019)
    rankings_recompute(year=2017)  # a ranking whose "not rated" list a new company joins
    forget_marks()
    new = CompanyFactory.build(region=own.region, industry=own.industry)
    records_bulk_write(model=Company, creates=[new])
    assert dirty() == [2017]
    forget_marks()
    own.contact_person = "张三"  # read by no ranking
    records_bulk_write(model=Company, updates=[own], fields=["contact_person"])
    assert dirty() == []
    own.name = "永康改名企业"
    records_bulk_write(model=Company, updates=[own], fields=["name"])
    assert dirty() == [2018, 2019]
