"""Bad-input campaign: malformed values sent to every form, API endpoint, import and
management command — wrong types, huge and negative numbers, reversed dates, invalid credit
codes, over-long strings, unknown choices, NUL characters, broken encodings, oversized files,
formula cells. Each gets a clear error that names the field, and the database is unchanged
(every table of the domain apps and their history, compared row by row before and after).

The import job that records an upload's problems and the export log are the only rows an
attempt may add: they are the record of the attempt, not data.
"""

import contextlib
import hashlib
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from rest_framework.test import APIClient

from companies.services import user_assign_role
from core.roles import Role
from projects.choices import ProjectStatus
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    KeyProjectFactory,
    UserFactory,
    make_credit_code,
)
from tests.production.forms import form_values
from tracker.imports.readers import MAX_FILE_BYTES
from tracker.models import ImportJob

pytestmark = pytest.mark.django_db

RECORDS_OF_ATTEMPTS = {"tracker.importjob", "core.exportlog"}


def _tables():
    models = [
        model
        for label in ("core", "companies", "projects", "rankings", "tracker")
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in RECORDS_OF_ATTEMPTS
    ]
    return [*models, get_user_model(), apps.get_model("auth", "Group")]


def snapshot() -> dict:
    """Row count and a digest of every row of every data table."""
    state = {}
    for model in _tables():
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = list(model._default_manager.order_by("pk").values_list(*fields))
        state[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


@contextlib.contextmanager
def unchanged():
    before = snapshot()
    yield
    after = snapshot()
    changed = sorted(label for label in before if before[label] != after[label])
    assert changed == [], f"the bad input changed {changed}"


def _english_url(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def _names_field(errors: dict, field: str, label: str) -> bool:
    """The error is on the field itself, or a form-wide error that names it."""
    if field in errors:
        return True
    general = errors.get("__all__", []) + errors.get("non_field_errors", [])
    return any(label.lower() in str(message).lower() for message in general)


@pytest.fixture
def city(db):
    user = UserFactory(username="bad-input-city")
    user_assign_role(user=user, role=Role.CITY)
    return user


@pytest.fixture
def records(world):
    company = world["own"]
    return {
        "company": company,
        "other": world["other"],
        "annual": AnnualDataFactory(company=company, year=2019),
        # Under way, so it takes progress reports (projects.workflow.takes_progress_reports).
        "project": KeyProjectFactory(company=company, status=ProjectStatus.IN_PROGRESS),
        "certification": CertificationFactory(company=company),
        "batch": BatchFactory(),
    }


@pytest.fixture
def web(client, city):
    client.force_login(city)
    return client


@pytest.fixture
def api(city):
    client = APIClient()
    client.force_authenticate(city)
    return client


def _bad_credit_code(code: str) -> str:
    """The same code with a wrong check character."""
    return code[:-1] + ("0" if code[-1] != "0" else "1")


# --- forms ---------------------------------------------------------------------------------

HUGE = "1" + "0" * 30
FORM_CASES = [
    # (page, field, bad value, words of the label a form-wide message would use)
    ("company", "credit_code", "BAD-CHECK-DIGIT", "credit code"),
    ("company", "credit_code", "123", "credit code"),
    ("company", "credit_code", "9" * 40, "credit code"),
    ("company", "credit_code", "DUPLICATE", "credit code"),
    ("company", "name", "", "name"),
    ("company", "name", "企" * 5000, "name"),
    ("company", "name", "bad\x00name", "name"),
    ("company", "region", "999999", "region"),
    ("company", "region", "abc", "region"),
    ("company", "industry", "-1", "industry"),
    ("company", "key_industry", "9999", "key"),
    ("company", "founded_on", "2019-02-30", "founded"),
    ("company", "founded_on", "yesterday", "founded"),
    ("company", "land_area_mu", "-5", "land"),
    ("company", "land_area_mu", HUGE, "land"),
    ("company", "land_area_mu", "abc", "land"),
    ("company", "land_area_mu", "NaN", "land"),
    ("company", "land_area_mu", "Infinity", "land"),
    ("company", "pilot_year", "1800", "pilot"),
    ("company", "pilot_year", "99999999999999999999", "pilot"),
    ("company", "contact_phone", "1" * 500, "phone"),
    ("annual_new", "year", "1899", "year"),
    ("annual_new", "year", "2019.5", "year"),
    ("annual_new", "year", "2019", "year"),  # the company has 2019 already
    ("annual_new", "tax_paid", "-5", "tax"),
    ("annual", "tax_paid", "-5", "tax"),
    ("annual", "tax_paid", "abc", "tax"),
    ("annual", "tax_paid", HUGE, "tax"),
    ("annual", "total_profit", "-" + HUGE, "profit"),
    ("annual", "avg_employees", "-3", "employees"),
    ("annual", "avg_employees", "3.5", "employees"),
    ("annual", "avg_employees", "99999999999999999999", "employees"),
    ("annual", "robots_added", "-1", "robots"),
    ("annual", "energy_use_tce", "1e400", "energy"),
    ("project", "name", "", "name"),
    ("project", "name", "项" * 1000, "name"),
    ("project", "kind", "spaceship", "kind"),
    ("project", "level", "galaxy", "level"),
    ("project", "batch", "999999", "batch"),
    ("project", "planned_investment", "-1", "planned investment"),
    ("project", "planned_investment", HUGE, "planned investment"),
    ("project", "planned_completion", "2018-01-01", "planned completion"),  # before the start
    ("project", "robots_planned", "-2", "robots"),
    ("report", "quarter", "5", "quarter"),
    ("report", "percent_complete", "150", "percent"),
    ("report", "percent_complete", "-1", "percent"),
    ("report", "invested_to_date", "-1", "invested"),
    ("report", "year", "abc", "year"),
]


def _form_url(page, records):
    if page == "company":
        return _english_url("companies:update", records["company"].pk)
    if page == "annual":
        return _english_url("companies:annual_update", records["annual"].pk)
    if page == "project":
        return _english_url("projects:update", records["project"].pk)
    if page == "annual_new":
        return _english_url("companies:annual_create_for", records["company"].pk)
    if page == "report":
        return _english_url("projects:report_create", records["project"].pk)
    raise AssertionError(page)


@pytest.mark.parametrize(("page", "field", "value", "label"), FORM_CASES)
def test_a_form_names_the_bad_field_and_saves_nothing(web, records, page, field, value, label):
    url = _form_url(page, records)
    data = form_values(web.get(url).content.decode())
    if page == "report":
        data.update(year="2019", quarter="2", invested_to_date="100", percent_complete="50")
    if page == "annual_new":
        data.update(year="2020", main_revenue="100", tax_paid="10")
    if value == "BAD-CHECK-DIGIT":
        value = _bad_credit_code(records["company"].credit_code)
    elif value == "DUPLICATE":
        value = records["other"].credit_code
    data[field] = value
    with unchanged():
        response = web.post(url, data)
    assert response.status_code == 200, "the form must come back, not be saved"
    errors = response.context["form"].errors
    assert _names_field(errors, field, label), dict(errors)


def test_an_unknown_status_move_is_refused_naming_the_allowed_ones(web, records):
    url = _english_url("projects:transition", records["project"].pk)
    with unchanged():
        response = web.post(url, {"to_status": "launched-into-space", "comment": "x"}, follow=True)
    page = response.content.decode()
    assert "launched-into-space" in page or "Unknown status" in page
    assert records["project"].status_changes.count() == 0


def test_the_publish_form_names_a_bad_year(web):
    url = _english_url("rankings:publish")
    for year in ("abc", "1800", "99999999999"):
        with unchanged():
            response = web.post(url, {"year": year, "reason": "x"})
        assert response.status_code in (200, 400)
        errors = response.context["form"].errors
        assert "year" in errors, dict(errors)


def test_the_admin_names_the_bad_field_and_saves_nothing(web, records):
    url = f"/en/admin/companies/annualdata/{records['annual'].pk}/change/"
    data = form_values(web.get(url).content.decode())
    for field, value in (("tax_paid", "-5"), ("avg_employees", "abc"), ("year", "1800")):
        bad = {**data, field: value}
        with unchanged():
            response = web.post(url, bad)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert _names_field(errors, field, field.split("_")[0]), dict(errors)


# --- API -----------------------------------------------------------------------------------

API_CASES = [
    # (resource, field, bad value)
    ("companies", "credit_code", "BAD-CHECK-DIGIT"),
    ("companies", "credit_code", "ABC"),
    ("companies", "credit_code", "DUPLICATE"),
    ("companies", "name", ""),
    ("companies", "name", "名" * 5000),
    ("companies", "name", "nul\x00byte"),
    ("companies", "name", ["a", "list"]),
    ("companies", "name", {"an": "object"}),
    ("companies", "region", 999999),
    ("companies", "region", "abc"),
    ("companies", "industry", None),
    ("companies", "land_area_mu", -1),
    ("companies", "land_area_mu", "abc"),
    ("companies", "land_area_mu", HUGE),
    ("companies", "land_area_mu", "NaN"),
    ("companies", "founded_on", "2019-02-30"),
    ("companies", "founded_on", 20190101),
    ("companies", "pilot_year", 1800),
    ("companies", "pilot_year", 10**30),
    ("companies", "above_size", "perhaps"),
    ("annual-data", "tax_paid", -5),
    ("annual-data", "tax_paid", "abc"),
    ("annual-data", "tax_paid", 1e30),
    ("annual-data", "tax_paid", True),
    ("annual-data", "avg_employees", 3.5),
    ("annual-data", "avg_employees", -1),
    ("annual-data", "avg_employees", 10**20),
    ("annual-data", "year", 1800),
    ("annual-data", "year", "twenty"),
    ("annual-data", "company", 999999),
    ("annual-data", "major_incident", "sometimes"),
    ("projects", "kind", "spaceship"),
    ("projects", "level", "galaxy"),
    ("projects", "planned_investment", -1),
    ("projects", "planned_completion", "2018-01-01"),  # before the planned start
    ("projects", "robots_planned", -2),
    ("projects", "company", "abc"),
    ("certifications", "level", "AAAA"),
    ("certifications", "status", "sort-of"),
    ("certifications", "issued_on", "not-a-date"),
    ("certifications", "expires_on", "2000-01-01"),  # before it was issued
    ("certifications", "certificate_no", "N" * 500),
]

API_RECORD = {
    "companies": "company",
    "annual-data": "annual",
    "projects": "project",
    "certifications": "certification",
}


@pytest.mark.parametrize(("resource", "field", "value"), API_CASES)
def test_an_api_write_names_the_bad_field_and_changes_nothing(api, records, resource, field, value):
    record = records[API_RECORD[resource]]
    path = f"/api/v1/{resource}/{record.pk}/"
    current = api.get(path).json()
    if value == "BAD-CHECK-DIGIT":
        value = _bad_credit_code(records["company"].credit_code)
    elif value == "DUPLICATE":
        value = records["other"].credit_code
    body = {field: value, "version": current["version"]}
    with unchanged():
        response = api.patch(path, body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors or "non_field_errors" in errors, errors


CREATE_CASES = [
    ("progress-reports", {"percent_complete": 150}, "percent_complete"),
    ("progress-reports", {"quarter": 0}, "quarter"),
    ("maturity-assessments", {"level": 9}, "level"),
    ("maturity-assessments", {"assessed_on": "31/12/2019"}, "assessed_on"),
    ("designations", {"batch": 999999}, "batch"),
    ("batches", {"number": -1}, "number"),
    ("batches", {"title": "批" * 1000}, "title"),
]


def _create_payload(resource, records):
    company = records["company"].pk
    return {
        "progress-reports": {
            "project": records["project"].pk,
            "year": 2019,
            "quarter": 2,
            "invested_to_date": "10",
            "percent_complete": 10,
        },
        "maturity-assessments": {"company": company, "level": 2, "assessed_on": "2019-06-01"},
        "designations": {"company": company, "batch": records["batch"].pk},
        "batches": {"number": 77, "year": 2030, "title": "第77批"},
    }[resource]


@pytest.mark.parametrize(("resource", "bad", "field"), CREATE_CASES)
def test_an_api_create_names_the_bad_field_and_creates_nothing(api, records, resource, bad, field):
    body = {**_create_payload(resource, records), **bad}
    with unchanged():
        response = api.post(f"/api/v1/{resource}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


def test_a_good_create_payload_is_accepted_so_the_bad_cases_mean_something(api, records):
    for resource in ("progress-reports", "maturity-assessments", "designations", "batches"):
        response = api.post(
            f"/api/v1/{resource}/", _create_payload(resource, records), format="json"
        )
        assert response.status_code == 201, (resource, response.content)


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "\xff\xfe broken utf-8"}',
        b'{"name": ',
        b"\x00\x01\x02",
        '{"name": "GBK 金华"}'.encode("gbk"),
    ],
)
def test_an_api_body_that_is_not_json_in_utf8_is_refused_clearly(api, records, body):
    path = f"/api/v1/companies/{records['company'].pk}/"
    with unchanged():
        response = api.generic("PATCH", path, body, content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_an_oversized_api_body_is_refused(api, records):
    path = f"/api/v1/companies/{records['company'].pk}/"
    body = json.dumps({"address": "x" * (3 * 1024 * 1024)}).encode()
    with unchanged():
        response = api.generic("PATCH", path, body, content_type="application/json")
    assert response.status_code in (400, 413)


def test_an_unknown_status_move_over_the_api_names_to_status(api, records):
    path = f"/api/v1/projects/{records['project'].pk}/transition/"
    with unchanged():
        response = api.post(path, {"to_status": "orbit"}, format="json")
    assert response.status_code == 400
    assert "to_status" in response.json()


@pytest.mark.parametrize(
    ("query", "status", "key"),
    [
        ("?region=abc", 400, "region"),
        ("?year=abc", 400, "year"),
        ("?company=-1x", 400, "company"),
        ("?page=abc", 404, "detail"),
        ("?page=999999", 404, "detail"),
    ],
)
def test_bad_query_parameters_get_a_clear_answer(api, records, query, status, key):
    with unchanged():
        response = api.get("/api/v1/annual-data/" + query)
    assert response.status_code == status, response.content
    assert key in response.json()


def test_an_api_write_with_a_bad_version_names_version(api, records):
    path = f"/api/v1/annual-data/{records['annual'].pk}/"
    for version in ("abc", -1, 0, 1.5):
        with unchanged():
            response = api.patch(path, {"tax_paid": "1", "version": version}, format="json")
        assert response.status_code == 400, (version, response.content)
        assert "version" in response.json()


# --- imports -------------------------------------------------------------------------------


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def upload(web, django_capture_on_commit_callbacks):
    """Post a file to the import page; the dry run it starts on commit runs at once (no
    broker in tests: in-process)."""

    def post(kind, name, data):
        with django_capture_on_commit_callbacks(execute=True):
            return web.post(
                _english_url("imports:start"),
                {"kind": kind, "file": SimpleUploadedFile(name, data)},
            )

    return post


def _latest_job():
    return ImportJob.objects.order_by("-pk").first()


def test_an_oversized_import_file_is_refused_naming_the_file(upload, _media):
    data = b"a" * (MAX_FILE_BYTES + 1)
    with unchanged():
        response = upload("companies", "big.csv", data)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert ImportJob.objects.count() == 0


def test_an_empty_file_and_an_unknown_kind_are_refused_by_field(upload, _media):
    with unchanged():
        response = upload("companies", "empty.csv", b"")
    assert "file" in response.context["form"].errors
    with unchanged():
        response = upload("spaceships", "x.csv", b"a,b\n1,2\n")
    assert "kind" in response.context["form"].errors


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ANNUAL_HEADER = ["统一社会信用代码", "年度", "主营业务收入(万元)", "实缴税金(万元)"]


def _import_cases(code):
    other = make_credit_code()
    return [
        # (name, bytes, kind, the column the problem must name, or None for the whole file)
        ("garbage.csv", bytes(range(256)) * 10, "companies", None),
        ("not-a-workbook.xlsx", b"PK\x03\x04 this is not a zip", "companies", None),
        ("utf16.csv", "统一社会信用代码,企业名称\n".encode("utf-16"), "companies", None),
        (
            "formula.xlsx",
            _xlsx([ANNUAL_HEADER, [code, 2019, 1000, "=B2*1000"]]),
            "annual_data",
            "实缴税金(万元)",
        ),
        (
            "formula.csv",
            (",".join(ANNUAL_HEADER) + f"\n{code},2019,=1+1,10\n").encode(),
            "annual_data",
            "主营业务收入(万元)",
        ),
        (
            "bad-values.csv",
            (",".join(ANNUAL_HEADER) + f"\n{code},1800,-5,abc\n").encode("gbk"),
            "annual_data",
            "年度",
        ),
        (
            "bad-code.csv",
            (",".join(ANNUAL_HEADER) + f"\n{_bad_credit_code(code)},2019,1,1\n").encode(),
            "annual_data",
            "统一社会信用代码",
        ),
        (
            "unknown-company.csv",
            (",".join(ANNUAL_HEADER) + f"\n{other},2019,1,1\n").encode(),
            "annual_data",
            "统一社会信用代码",
        ),
        (
            "huge.csv",
            (",".join(ANNUAL_HEADER) + f"\n{code},2019,{HUGE},1\n").encode(),
            "annual_data",
            "主营业务收入(万元)",
        ),
        (
            "companies.csv",
            (
                "统一社会信用代码,企业名称,行政区,行业,用地面积(亩)\n"
                f"{other},{'名' * 500},火星区,99,-3\n"
            ).encode(),
            "companies",
            "行政区",
        ),
    ]


@pytest.mark.parametrize("case", range(10))
def test_a_bad_import_file_lists_its_problems_and_imports_nothing(
    web, upload, records, _media, case, django_capture_on_commit_callbacks
):
    name, data, kind, column = _import_cases(records["company"].credit_code)[case]
    with unchanged():
        response = upload(kind, name, data)
        assert response.status_code in (200, 302)
        job = _latest_job()
        assert job is not None, "the upload must be recorded with its problems"
        job.refresh_from_db()
        assert job.errors, f"{name}: no problem reported"
        if column is not None:
            columns = {str(error.get("column")) for error in job.errors}
            assert any(column in c for c in columns), (name, job.errors)
        # Importing a file with problems is refused.
        with django_capture_on_commit_callbacks(execute=True):
            web.post(_english_url("imports:apply", job.pk))
    job.refresh_from_db()
    assert job.imported_rows == 0


# --- management commands -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "args", "names"),
    [
        ("export_scores", ["--year", "abc"], "--year"),
        ("export_scores", ["--year", "1800"], "--year"),
        ("export_scores", [], "--year"),
        ("recompute_rankings", ["--year", "99999"], "year"),
        ("recompute_rankings", ["--year", "twenty"], "--year"),
        ("seed_figures", ["--year", "abc"], "--year"),
        ("load_demo", ["--companies", "-5"], "--companies"),
        ("load_demo", ["--companies", "many"], "--companies"),
        ("load_demo", ["--as-of", "2019-02-30"], "--as-of"),
    ],
)
def test_a_command_names_the_bad_option_and_changes_nothing(records, command, args, names):
    with unchanged(), pytest.raises(CommandError) as error:
        call_command(command, *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert names in str(error.value), str(error.value)


def test_every_snapshotted_table_is_really_compared():
    """The snapshot sees a change to any table: the campaign's 'unchanged' means something."""
    company = CompanyFactory()
    before = snapshot()
    company.name = "改名"
    company.save()
    after = snapshot()
    assert before["companies.Company"] != after["companies.Company"]
    assert before["companies.HistoricalCompany"] != after["companies.HistoricalCompany"]


def test_a_client_without_a_session_changes_nothing(records):
    anonymous = Client()
    with unchanged():
        response = anonymous.post(_english_url("companies:update", records["company"].pk), {})
    assert response.status_code in (302, 403)
    with unchanged():
        response = APIClient().patch(
            f"/api/v1/companies/{records['company'].pk}/", {"name": "x"}, format="json"
        )
    assert response.status_code == 401


# --- implausible values: each rule of the models' clean(), on every path --------------------

IMPLAUSIBLE = [
    # (form page, API resource, changes, the field the error must name); an empty value is
    # null in the API
    (
        "annual",
        "annual-data",
        {"avg_employees": "120", "unskilled_workers": "300"},
        "unskilled_workers",
    ),
    ("annual", "annual-data", {"main_revenue": ""}, "main_revenue"),  # the company is 规上
    ("annual", "annual-data", {"robots_in_service": "2", "robots_added": "5"}, "robots_added"),
    ("annual", "annual-data", {"industrial_output": "100", "added_value": "500"}, "added_value"),
    ("company", "companies", {"founded_on": "2999-12-31"}, "founded_on"),
    ("company", "companies", {"founded_on": "0001-01-01"}, "founded_on"),
    (
        "project",
        "projects",
        {"planned_start": "9999-01-01", "planned_completion": "9999-12-31"},
        "planned_start",
    ),
    ("project", "projects", {"planned_completion": "9999-12-31"}, "planned_completion"),
    ("project", "projects", {"accepted_on": "9999-01-01"}, "accepted_on"),
    ("project", "projects", {"accepted_on": "2018-06-01"}, "accepted_on"),  # before the start
    ("certification", "certifications", {"issued_on": "9998-01-01", "expires_on": ""}, "issued_on"),
    ("certification", "certifications", {"issued_on": "9999-12-31", "expires_on": ""}, "issued_on"),
    ("certification", "certifications", {"expires_on": "9999-12-31"}, "expires_on"),
]
# New records, through the form that adds them (the API: PLAUSIBLE_CREATE_CASES).
IMPLAUSIBLE_NEW = [
    ("annual_new", {"year": "2035"}, "year"),
    ("report", {"year": "2099"}, "year"),
    ("maturity", {"assessed_on": "9999-12-31"}, "assessed_on"),
]


def _plausible_form_url(page, records):
    company = records["company"].pk
    if page == "maturity":
        return _english_url("companies:maturity_create", company)
    if page == "certification":
        return _english_url("companies:certification_update", records["certification"].pk)
    return _form_url(page, records)


@pytest.mark.parametrize(
    ("page", "changes", "field"),
    [(page, changes, field) for page, _resource, changes, field in IMPLAUSIBLE] + IMPLAUSIBLE_NEW,
)
def test_a_form_refuses_an_implausible_value_naming_the_field(web, records, page, changes, field):
    url = _plausible_form_url(page, records)
    data = form_values(web.get(url).content.decode())
    if page == "report":
        data.update(quarter="2", invested_to_date="100", percent_complete="50")
    if page == "annual_new":
        data.update(main_revenue="100", tax_paid="10")
    if page == "maturity":
        data.update(level="2")
    data.update(changes)
    with unchanged():
        response = web.post(url, data)
    assert response.status_code == 200, "the form must come back, not be saved"
    errors = response.context["form"].errors
    assert field in errors, dict(errors)


@pytest.mark.parametrize(
    ("resource", "changes", "field"),
    [(resource, changes, field) for _page, resource, changes, field in IMPLAUSIBLE],
)
def test_an_api_write_refuses_an_implausible_value_naming_the_field(
    api, records, resource, changes, field
):
    record = records[API_RECORD[resource]]
    path = f"/api/v1/{resource}/{record.pk}/"
    current = api.get(path).json()
    body = {name: value or None for name, value in changes.items()}
    with unchanged():
        response = api.patch(path, {**body, "version": current["version"]}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


PLAUSIBLE_CREATE_CASES = [
    ("annual-data", {"year": 2035, "main_revenue": "100"}, "year"),
    ("maturity-assessments", {"level": 2, "assessed_on": "9999-12-31"}, "assessed_on"),
    ("certifications", {"issued_on": "9998-01-01", "status": "certified"}, "issued_on"),
    ("projects", {"name": "远期", "kind": "other", "planned_start": "9999-01-01"}, "planned_start"),
    ("progress-reports", {"year": 2099}, "year"),
]


@pytest.mark.parametrize(("resource", "body", "field"), PLAUSIBLE_CREATE_CASES)
def test_an_api_create_refuses_an_implausible_value_naming_the_field(
    api, records, resource, body, field
):
    base = {"company": records["company"].pk}
    if resource == "progress-reports":
        base = _create_payload(resource, records)
    with unchanged():
        response = api.post(f"/api/v1/{resource}/", {**base, **body}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


HUGE_ID = "99999999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/companies/{HUGE_ID}/scores/",
        f"/api/v1/runs/{HUGE_ID}/scores/",
        f"/api/v1/rankings/{HUGE_ID}/scores/",
        f"/api/v1/companies/{HUGE_ID}/",
        f"/en/companies/{HUGE_ID}/",
        f"/en/projects/{HUGE_ID}/",
        f"/en/annual-data/{HUGE_ID}/edit/",
        f"/api/v1/companies/{2**63}/scores/",  # one past the largest id
    ],
)
def test_an_id_beyond_the_database_range_is_not_found(web, api, records, path):
    client = web if path.startswith("/en/") else api
    assert client.get(path).status_code == 404


def test_the_largest_id_still_reaches_the_view(api, records):
    # The converter's bound is the id range, not less: the view answers (its own 404).
    response = api.get(f"/api/v1/companies/{2**63 - 1}/scores/")
    assert response.status_code == 404
    assert response.json() == api.get("/api/v1/companies/999999/scores/").json()


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ("2035,100,10,,", "年度"),
        ("2019,100,10,120,300", "普工人数"),
    ],
)
def test_an_import_dry_run_refuses_an_implausible_row(
    upload, records, _media, cells, column, django_capture_on_commit_callbacks
):
    header = ",".join([*ANNUAL_HEADER, "年平均职工人数", "普工人数"])
    data = f"{header}\n{records['company'].credit_code},{cells}\n".encode()
    with unchanged():
        upload("annual_data", "implausible.csv", data)
    job = _latest_job()
    assert any(column in str(error.get("column")) for error in job.errors), job.errors
    assert job.imported_rows == 0
