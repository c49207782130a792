"""Year-on-year jumps in an import: the dry run lists them as warnings (not problems) with
their messages; the import goes ahead only once the user ticks "I have checked the flagged
figures", and each flagged row's history records the confirmation."""

import pytest
from django.urls import reverse

from companies.models import AnnualData
from tests.imports.conftest import checked, csv_bytes
from tracker.imports.services import ImportNotAllowed, import_apply
from tracker.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "年度", "实缴税金(万元)"]


def _file(world):
    """Row 2 changes 2019's tax to ×12.7 of 2018's as the file leaves it (710, row 3; a
    warning), row 3 changes 2018's tax a little."""
    code = world["own"].credit_code
    return csv_bytes([HEADER, [code, "2019", "9000"], [code, "2018", "710"]])


def test_the_dry_run_lists_the_jump_as_a_warning_not_a_problem(world, tax_years):
    job = checked("annual_data", _file(world), world["users"]["city"])
    assert job.status == ImportStatus.CHECKED and job.errors == []
    assert job.preview["totals"]["warnings"] == 1
    [warning] = job.preview["warnings"]
    assert (warning["row"], warning["column"]) == (2, "实缴税金(万元)")
    assert "2018" in warning["message"] and "12.7" in warning["message"]


def test_the_import_waits_for_the_confirmation_then_records_it(world, tax_years):
    city = world["users"]["city"]
    job = checked("annual_data", _file(world), city)
    with pytest.raises(ImportNotAllowed):
        import_apply(job=job, user=city)
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.CHECKED
    assert AnnualData.objects.get(pk=tax_years[2019].pk).tax_paid == 800

    job = import_apply(job=job, user=city, confirm_warnings=True)
    assert job.status == ImportStatus.DONE, job.message
    flagged = AnnualData.objects.get(pk=tax_years[2019].pk)
    assert flagged.tax_paid == 9000
    assert flagged.history.first().history_change_reason == (
        f"import #{job.pk}, confirmed: tax_paid ×12.7 vs 2018"
    )
    plain = AnnualData.objects.get(pk=tax_years[2018].pk)
    assert plain.tax_paid == 710
    assert plain.history.first().history_change_reason == "import of data.csv"


def test_the_job_page_asks_for_the_checkbox_before_importing(
    client, world, tax_years, django_capture_on_commit_callbacks
):
    client.force_login(world["users"]["city"])
    job = checked("annual_data", _file(world), world["users"]["city"])
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'id="import-warnings"' in page and "12.7" in page
    assert 'name="confirm_warnings"' in page

    apply = reverse("imports:apply", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply, follow=True)
    assert "I have checked the flagged figures" in response.content.decode()
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.CHECKED
    assert AnnualData.objects.get(pk=tax_years[2019].pk).tax_paid == 800

    with django_capture_on_commit_callbacks(execute=True):
        client.post(apply, {"confirm_warnings": "1"})
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE
    flagged = AnnualData.objects.get(pk=tax_years[2019].pk)
    assert flagged.tax_paid == 9000
    assert "confirmed: tax_paid ×12.7 vs 2018" in flagged.history.first().history_change_reason


def test_a_file_without_jumps_imports_without_the_checkbox(world, tax_years):
    city = world["users"]["city"]
    code = world["own"].credit_code
    job = checked("annual_data", csv_bytes([HEADER, [code, "2019", "900"]]), city)
    assert job.preview["totals"]["warnings"] == 0 and job.preview["warnings"] == []
    assert import_apply(job=job, user=city).status == ImportStatus.DONE
