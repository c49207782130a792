"""`/api/v1/objections/` in the role matrix: who lists, reads, files, takes which step and
downloads which attachment (a company never another's; county staff only their region's)."""

import pytest

from notices.choices import ObjectionState
from notices.models import Objection
from tests.factories import make_user
from tests.notices.conftest import PDF, published, upload  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

URL = "/api/v1/objections/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def filed(api, world, published):  # noqa: F811 - the fixture imported above
    """Objections of the own company (by the API, with a PDF) and of the other company."""
    other_user = make_user("company", company=world["other"], username="t-other-co")
    from tests.api.conftest import client_for

    made = {}
    for side, client in (("own", api("company")), ("other", client_for(other_user))):
        response = client.post(
            URL,
            {
                "run": published.pk,
                "subject": "tax_paid",
                "claimed_value": "350",
                "explanation": "完税证明",
                "files": [upload()],
            },
            format="multipart",
        )
        assert response.status_code == 201, response.content
        made[side] = response.json()
    return made


@pytest.mark.parametrize(
    ("role", "sees_other"),
    [("admin", True), ("city", True), ("county", False), ("company", False)],
)
def test_each_role_lists_and_reads_only_what_it_may(api, filed, role, sees_other):
    client = api(role)
    ids = {row["id"] for row in client.get(URL).json()["results"]}
    assert filed["own"]["id"] in ids
    assert (filed["other"]["id"] in ids) is sees_other
    other = filed["other"]
    assert client.get(f"{URL}{other['id']}/").status_code == (200 if sees_other else 404)
    attachment = other["attachments"][0]["download"]
    assert client.get(attachment).status_code == (200 if sees_other else 404)


def test_anonymous_and_roleless_callers_are_refused(api, filed):
    assert api(None).get(URL).status_code == 401
    assert api("norole").get(URL).status_code == 403
    assert api("norole").post(URL, {}, format="multipart").status_code == 403


def test_the_attachment_downloads_as_its_checked_type(api, filed):
    own = filed["own"]
    [attachment] = own["attachments"]
    assert attachment["original_name"] == "证明.pdf" and attachment["kind"] == "pdf"
    response = api("county").get(attachment["download"])
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_filing_refuses_a_disguised_file_and_staff(api, world, published):  # noqa: F811
    response = api("company").post(
        URL,
        {
            "run": published.pk,
            "subject": "tax_paid",
            "claimed_value": "1",
            "explanation": "x",
            "files": [upload("a.pdf", b"MZ" + b"\x00" * 30)],
        },
        format="multipart",
    )
    assert response.status_code == 400 and "files" in response.json()
    response = api("city").post(
        URL,
        {"run": published.pk, "subject": "tax_paid", "claimed_value": "1", "explanation": "x"},
        format="multipart",
    )
    assert response.status_code == 403
    assert not Objection.objects.exists()


def test_the_steps_through_the_api_by_role(api, filed):
    own = filed["own"]["id"]
    remark = {"opinion": "supported", "remark": "属实"}
    assert api("company").post(f"{URL}{own}/remark/", remark).status_code == 403
    assert api("city").post(f"{URL}{own}/remark/", remark).status_code == 403
    response = api("county").post(f"{URL}{own}/remark/", remark)
    assert response.status_code == 200 and response.json()["state"] == ObjectionState.REMARKED
    assert response.json()["remarked_by"] == "t-county"
    # A second remark: the step is no longer open (400 naming the state).
    response = api("county").post(f"{URL}{own}/remark/", remark)
    assert response.status_code == 400 and "state" in response.json()
    # County staff cannot reach the other region's objection at all.
    other = filed["other"]["id"]
    assert api("county").post(f"{URL}{other}/remark/", remark).status_code == 404
    assert api("county").post(f"{URL}{own}/reject/", {"reason": "x"}).status_code == 403
    assert api("city").post(f"{URL}{own}/reject/", {}).status_code == 400
    response = api("city").post(f"{URL}{own}/reject/", {"reason": "口径不符"})
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["decision_reason"], body["decided_by"]) == (
        "rejected",
        "口径不符",
        "t-city",
    )
    # The company sees every step.
    seen = api("company").get(f"{URL}{own}/").json()
    assert seen["county_remark"] == "属实" and seen["decision_reason"] == "口径不符"


def test_the_schema_describes_the_objections(api):
    schema = api("city").get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/objections/" in paths
    for step in ("remark", "uphold", "reject"):
        assert f"/api/v1/objections/{{id}}/{step}/" in paths
    assert "/api/v1/objections/{id}/attachments/{attachment_id}/" in paths
