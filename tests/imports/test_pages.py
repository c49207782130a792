"""The import pages: upload, dry-run findings, confirm, progress JSON, template download."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from companies.models import AnnualData
from tests.imports.conftest import csv_bytes
from tracker.imports.columns import COLUMNS
from tracker.models import ImportJob, ImportStatus

HEADER = ["统一社会信用代码", "年度", "主营业务收入(万元)"]


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Post a file as the upload form does; the check task runs once the upload commits."""

    def post(kind, data, name="data.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("imports:start"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        return client.get(response["Location"])

    return post


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    def post(job):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("imports:apply", args=[job.pk]))
        assert response.status_code == 302
        return client.get(response["Location"])

    return post


def test_upload_dry_run_lists_problems_then_fixed_file_imports(client, world, upload, confirm):
    client.force_login(world["users"]["city"])
    code = world["own"].credit_code
    response = upload(
        "annual_data", csv_bytes([HEADER, [code, "2019", "abc"], [code, "2020", "5"]])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-problems"' in page
    assert "主营业务收入(万元)" in page and "Enter a number" in page
    assert "confirm-import" not in page  # a file with problems cannot be imported
    assert AnnualData.objects.count() == 0

    response = upload("annual_data", csv_bytes([HEADER, [code, "2019", "7"], [code, "2020", "5"]]))
    page = response.content.decode()
    assert "confirm-import" in page
    assert AnnualData.objects.count() == 0  # the dry run saved nothing
    job = ImportJob.objects.latest("created_at")
    response = confirm(job)
    assert "Imported 2 rows" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert sorted(AnnualData.objects.values_list("year", flat=True)) == [2019, 2020]


def test_status_json_reports_progress(client, world):
    user = world["users"]["city"]
    client.force_login(user)
    job = ImportJob.objects.create(
        kind="annual_data",
        original_name="x.csv",
        created_by=user,
        status=ImportStatus.CHECKING,
        total_rows=10_000,
        processed_rows=2_500,
    )
    data = client.get(reverse("imports:status", args=[job.pk])).json()
    assert data["processed_rows"] == 2500 and data["total_rows"] == 10000
    assert data["percent"] == 25 and data["running"] is True
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "<progress" in page and 'value="2500"' in page


def test_jobs_are_private_to_their_uploader(client, world):
    job = ImportJob.objects.create(
        kind="annual_data", original_name="x.csv", created_by=world["users"]["city"]
    )
    client.force_login(world["users"]["county"])
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:status", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:apply", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("role", ["company", "norole"])
def test_company_users_cannot_reach_the_import(client, world, role):
    client.force_login(world["users"][role])
    assert client.get(reverse("imports:start")).status_code == 404
    assert client.get(reverse("imports:template", args=["companies"])).status_code == 404


def test_upload_form_refuses_empty_and_foreign_files(client, world):
    client.force_login(world["users"]["county"])
    response = client.post(
        reverse("imports:start"),
        {"kind": "companies", "file": SimpleUploadedFile("a.pdf", b"%PDF")},
    )
    assert response.status_code == 200
    assert ".xlsx or .csv" in response.content.decode()
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("kind", ["companies", "annual_data", "projects"])
@pytest.mark.parametrize(("language", "attr"), [("zh-hans", "zh"), ("en", "en")])
def test_template_download_opens_with_the_right_headers(client, world, kind, language, attr):
    client.force_login(world["users"]["city"])
    with translation.override(language):
        url = reverse("imports:template", args=[kind])
    response = client.get(url)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    headers = [c.value for c in next(workbook.worksheets[0].iter_rows(max_row=1))]
    assert headers == [getattr(column, attr) for column in COLUMNS[kind]]


def test_the_filled_in_template_imports(client, world, upload, confirm):
    client.force_login(world["users"]["city"])
    response = client.get(reverse("imports:template", args=["annual_data"]))
    workbook = load_workbook(io.BytesIO(response.content))
    workbook.worksheets[0].append([world["own"].credit_code, 2019, 1234.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload("annual_data", buffer.getvalue(), name="filled.xlsx")
    job = ImportJob.objects.latest("created_at")
    assert job.errors == []
    confirm(job)
    assert AnnualData.objects.get().main_revenue == 1234.5
