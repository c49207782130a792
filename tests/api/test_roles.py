"""The role matrix: every resource against every role (allowed, denied, 404)."""

import pytest

from companies.models import AnnualData, Company, Region
from tests.factories import make_credit_code

pytestmark = pytest.mark.django_db

# URL name of the resource -> key of its record in the `records` fixture, and a harmless change.
COMPANY_BOUND = {
    "companies": ("company", {"address": "金华市永康经济开发区"}),
    "designations": ("designation", {"revoked_reason": "复核"}),
    "certifications": ("certification", {"issuing_body": "浙江省两化融合评定中心"}),
    "maturity-assessments": ("maturity", {"assessor": "浙江省经信厅"}),
    "annual-data": ("annual", {"robots_added": 3}),
    "projects": ("project", {"name": "改名后的项目"}),
    "progress-reports": ("report", {"note": "按计划推进"}),
    "submissions": ("submission", None),  # written only through its actions
    "objections": ("objection", None),  # written only through its workflow's steps
}
REFERENCE = ["regions", "industries", "key-industries", "batches"]


def url(resource, pk=None):
    return f"/api/v1/{resource}/" + (f"{pk}/" if pk is not None else "")


@pytest.mark.parametrize("resource", [*COMPANY_BOUND, *REFERENCE])
def test_anonymous_gets_401_with_a_token_challenge(api, records, resource):
    response = api(None).get(url(resource))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("resource", [*COMPANY_BOUND, *REFERENCE])
def test_a_user_without_a_role_gets_403(api, records, resource):
    response = api("norole").get(url(resource), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "role" in response.json()["detail"]


@pytest.mark.parametrize("resource", COMPANY_BOUND)
@pytest.mark.parametrize(
    ("role", "sees_other"),
    [("admin", True), ("city", True), ("county", False), ("company", False)],
)
def test_lists_hold_only_what_the_role_may_see(api, records, resource, role, sees_other):
    key = COMPANY_BOUND[resource][0]
    response = api(role).get(url(resource), {"page_size": 500})
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert records["own"][key].pk in ids
    assert (records["other"][key].pk in ids) is sees_other


@pytest.mark.parametrize("resource", COMPANY_BOUND)
@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        ("admin", 200, 200),
        ("city", 200, 200),
        ("county", 200, 404),
        ("company", 200, 404),
        ("norole", 403, 403),
        (None, 401, 401),
    ],
)
def test_detail_is_404_outside_the_scope(api, records, resource, role, own, other):
    key = COMPANY_BOUND[resource][0]
    client = api(role)
    assert client.get(url(resource, records["own"][key].pk)).status_code == own
    assert client.get(url(resource, records["other"][key].pk)).status_code == other


@pytest.mark.parametrize(
    "resource", [name for name, (_key, change) in COMPANY_BOUND.items() if change]
)
@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        ("admin", 200, 200),
        ("city", 200, 200),
        ("county", 200, 404),
        ("company", 403, 403),
        ("norole", 403, 403),
        (None, 401, 401),
    ],
)
def test_updates_follow_the_scope(api, records, resource, role, own, other):
    key, change = COMPANY_BOUND[resource]
    client = api(role)
    for side, expected in (("own", own), ("other", other)):
        record = records[side][key]
        response = client.patch(url(resource, record.pk), change, format="json")
        assert response.status_code == expected, (side, response.content)
        record.refresh_from_db()
        field, value = next(iter(change.items()))
        assert (getattr(record, field) == value) is (expected == 200)


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [("admin", 204, 204), ("city", 204, 204), ("county", 204, 404), ("company", 403, 403)],
)
def test_deletes_follow_the_scope(api, records, role, own, other):
    client = api(role)
    for side, expected in (("own", own), ("other", other)):
        annual = records[side]["annual"]
        assert client.delete(url("annual-data", annual.pk)).status_code == expected
        assert AnnualData.objects.filter(pk=annual.pk).exists() is (expected != 204)


def company_payload(region):
    return {
        "credit_code": make_credit_code(),
        "name": "新建测试企业有限公司",
        "region": region.pk,
        "industry": Company.objects.first().industry_id,
        "land_area_mu": "12.50",
    }


@pytest.mark.parametrize(
    ("role", "in_own_region", "in_other_region"),
    [
        ("admin", 201, 201),
        ("city", 201, 201),
        ("county", 201, 403),
        ("company", 403, 403),
        ("norole", 403, 403),
    ],
)
def test_company_creation_follows_the_scope(
    api, records, yongkang, yiwu, role, in_own_region, in_other_region
):
    client = api(role)
    for region, expected in ((yongkang, in_own_region), (yiwu, in_other_region)):
        payload = company_payload(region)
        response = client.post(url("companies"), payload, format="json")
        assert response.status_code == expected, response.content
        created = Company.objects.filter(credit_code=payload["credit_code"])
        assert created.exists() is (expected == 201)
        if expected == 201:
            assert created.get().created_by.username == f"t-{role}"
            assert response.json()["version"] == 1


def test_county_cannot_file_records_for_a_company_it_cannot_see(api, records):
    response = api("county").post(
        url("annual-data"), {"company": records["other"]["company"].pk, "year": 2020}, format="json"
    )
    assert response.status_code == 400
    assert "company" in response.json()


def test_county_cannot_move_its_company_to_another_region(api, records, yiwu):
    own = records["own"]["company"]
    response = api("county").patch(url("companies", own.pk), {"region": yiwu.pk}, format="json")
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.region.code == "330784"


@pytest.mark.parametrize("resource", REFERENCE)
@pytest.mark.parametrize("role", ["admin", "city", "county", "company"])
def test_reference_data_is_readable_by_every_role(api, records, resource, role):
    response = api(role).get(url(resource))
    assert response.status_code == 200
    assert response.json()["count"] >= 1


@pytest.mark.parametrize(
    ("role", "expected"), [("admin", 201), ("city", 403), ("county", 403), ("company", 403)]
)
def test_only_administrators_write_regions(api, records, role, expected):
    payload = {"code": "330799", "name_zh": "测试区", "kind": "district"}
    response = api(role).post(url("regions"), payload, format="json")
    assert response.status_code == expected
    assert Region.objects.filter(code="330799").exists() is (expected == 201)


@pytest.mark.parametrize(
    ("role", "expected"), [("admin", 201), ("city", 201), ("county", 403), ("company", 403)]
)
def test_batches_are_written_by_city_staff_and_administrators(api, records, role, expected):
    payload = {"number": 9, "year": 2020, "title": "第九批智能制造示范企业"}
    response = api(role).post(url("batches"), payload, format="json")
    assert response.status_code == expected
