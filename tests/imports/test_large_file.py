"""A 10,000-row annual-data file through the bulk path: one bad row writes nothing, a row
that goes bad between the check and the import writes nothing, and every written row has its
history row naming the user and the reason (issue 14 item 4)."""

import datetime
import random
from decimal import Decimal

import pytest

from companies.models import AnnualData, Company
from reporting.choices import SubmissionState
from reporting.models import Campaign, Submission
from tests.factories import industry, make_credit_code
from tests.imports.conftest import checked, csv_bytes
from tracker.imports.services import ImportNotAllowed, import_apply
from tracker.models import ImportChange, ImportStatus

ROWS = 10_000
HEADER = ["统一社会信用代码", "年度", "主营业务收入(万元)", "实缴税金(万元)", "安全环保事故"]


@pytest.fixture
def companies(world, yongkang):
    rng = random.Random(14)
    codes = set()
    while len(codes) < ROWS:
        codes.add(make_credit_code(rng))
    Company.objects.bulk_create(
        [
            Company(
                credit_code=code,
                name=f"大文件企业{i}",
                region=yongkang,
                industry=industry(),
                above_size=True,
            )
            for i, code in enumerate(sorted(codes))
        ],
        batch_size=1000,
    )
    return list(Company.objects.filter(name__startswith="大文件企业").order_by("credit_code"))


def _rows(companies, year=2019):
    return [[c.credit_code, str(year), str(100 + i), "4", "否"] for i, c in enumerate(companies)]


def _nothing_written(history_before: int) -> None:
    assert not AnnualData.objects.exists()
    assert AnnualData.history.count() == history_before
    assert not ImportChange.objects.exists()


def test_one_bad_row_in_ten_thousand_is_named_and_nothing_is_written(world, companies):
    city = world["users"]["city"]
    rows = _rows(companies)
    rows[7_000][3] = "-5"  # file row 7,002 (after the header): a negative tax
    history_before = AnnualData.history.count()
    job = checked("annual_data", csv_bytes([HEADER, *rows]), city)
    assert [(e["row"], e["column"]) for e in job.errors] == [(7_002, "实缴税金(万元)")]
    assert "greater than or equal to 0" in job.errors[0]["message"]
    with pytest.raises(ImportNotAllowed):
        import_apply(job=job, user=city)
    _nothing_written(history_before)


def test_a_row_locked_after_the_check_fails_the_whole_file(world, companies):
    """Row 9,001 updates a year the city confirms after the dry run: the import re-checks
    against the data of the moment and writes none of the 10,000 rows."""
    city = world["users"]["city"]
    locked = companies[8_999]
    stored = AnnualData.objects.create(company=locked, year=2019, main_revenue=1, tax_paid=4)
    history_before = AnnualData.history.count()
    job = checked("annual_data", csv_bytes([HEADER, *_rows(companies)]), city)
    assert job.errors == []
    campaign = Campaign.objects.create(year=2019, deadline=datetime.date(2020, 3, 31))
    Submission.objects.create(campaign=campaign, company=locked, state=SubmissionState.CONFIRMED)
    job = import_apply(job=job, user=city, confirm_warnings=True)
    assert job.status == ImportStatus.FAILED
    assert "nothing was imported" in job.message
    assert [(e["row"], e["column"]) for e in job.errors] == [(9_001, "主营业务收入(万元)")]
    assert "confirmed by the city and are locked" in job.errors[0]["message"]
    assert list(AnnualData.objects.values_list("pk", "main_revenue")) == [
        (stored.pk, Decimal("1.00"))
    ]
    assert AnnualData.history.count() == history_before
    assert not ImportChange.objects.exists()


def test_every_written_row_has_a_history_row_with_the_user_and_the_reason(world, companies):
    city = world["users"]["city"]
    # A thousand rows exist already: 500 change, 500 stay as they are; 9,000 are new.
    existing = [
        AnnualData(company=c, year=2019, main_revenue=100 + i, tax_paid=4, major_incident=False)
        for i, c in enumerate(companies[:1_000])
    ]
    AnnualData.objects.bulk_create(existing)
    rows = _rows(companies)
    for row in rows[:500]:
        row[2] = str(int(row[2]) + 1)  # within the year-on-year bounds: no warning
    job = checked("annual_data", csv_bytes([HEADER, *rows]), city, name="十万.csv")
    assert job.errors == []
    assert job.preview["totals"] == {
        "create": 9_000,
        "update": 500,
        "unchanged": 500,
        "problems": 0,
        "warnings": 0,
    }
    job = import_apply(job=job, user=city)
    assert job.status == ImportStatus.DONE, job.message
    assert job.imported_rows == 9_500

    records = AnnualData.history.filter(history_date__gte=job.created_at)
    assert records.count() == 9_500
    assert set(records.values_list("history_user", flat=True)) == {city.pk}
    assert set(records.values_list("history_change_reason", flat=True)) == {"import of 十万.csv"}
    assert records.filter(history_type="+").count() == 9_000
    changed = records.filter(history_type="~")
    assert set(changed.values_list("id", flat=True)) == {d.pk for d in existing[:500]}
    # The history row holds the values written, as the record does.
    for record in changed.order_by("id")[:5]:
        data = AnnualData.objects.get(pk=record.id)
        assert (record.main_revenue, record.version) == (data.main_revenue, 2)
        assert data.updated_by == city
    created = AnnualData.objects.exclude(pk__in=[d.pk for d in existing])
    assert created.count() == 9_000
    assert set(created.values_list("created_by", "updated_by", "version").distinct()) == {
        (city.pk, city.pk, 1)
    }
    first = created.order_by("pk").first()
    record = AnnualData.history.get(id=first.pk)
    assert (record.created_at, record.main_revenue, record.company_id) == (
        first.created_at,
        first.main_revenue,
        first.company_id,
    )
    # The import's own record of what it did, for the undo: one per written row.
    assert ImportChange.objects.filter(job=job).count() == 9_500
    assert ImportChange.objects.filter(job=job, created=True).count() == 9_000
