"""Helpers for import tests: files built in memory, jobs run through the services."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from tracker.imports.services import import_apply, import_check, import_job_create


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English msgids; users see them in the active language.
    with translation.override("en"):
        yield


def csv_bytes(rows, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def checked(kind, data, user, name="data.csv"):
    job = import_job_create(kind=kind, upload=SimpleUploadedFile(name, data), user=user)
    return import_check(job=job)


def imported(kind, data, user, name="data.csv", confirm_warnings=False):
    job = checked(kind, data, user, name)
    assert job.errors == [], job.errors
    return import_apply(job=job, user=user, confirm_warnings=confirm_warnings)


def problems(job):
    return {(e["row"], e["column"]) for e in job.errors}
