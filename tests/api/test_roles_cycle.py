"""The role matrix of the yearly cycle's endpoints (issue 11): campaigns (every role reads,
the progress counts only the caller's scope), the evidence files of submissions and
objections (a company never another's, county staff only their region's) and notifications
(every user only their own, whatever the role)."""

import pytest
from django.core.files.base import ContentFile

from core.models import Notification
from notices.models import ObjectionAttachment
from reporting.services import attachment_add
from tests.reporting.conftest import PDF, pdf

pytestmark = pytest.mark.django_db

ROLES_SEEING_OTHER = [("admin", True), ("city", True), ("county", False), ("company", False)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def files(world, records):
    admin = world["users"]["admin"]
    made = {}
    for side in ("own", "other"):
        objection = records[side]["objection"]
        attachment = ObjectionAttachment(
            objection=objection, original_name="证明.pdf", kind="pdf", size=len(PDF)
        )
        attachment.file.save(f"objections/{objection.pk}/x.pdf", ContentFile(PDF), save=False)
        attachment.save()
        made[side] = {
            "submission": attachment_add(
                submission=records[side]["submission"], user=admin, upload=pdf()
            ),
            "objection": attachment,
        }
    return made


def download_urls(records, files, side):
    submission, objection = records[side]["submission"], records[side]["objection"]
    return [
        f"/api/v1/submissions/{submission.pk}/attachments/{files[side]['submission'].pk}/",
        f"/api/v1/objections/{objection.pk}/attachments/{files[side]['objection'].pk}/",
    ]


@pytest.mark.parametrize(("role", "sees_other"), ROLES_SEEING_OTHER)
def test_attachments_download_only_within_the_scope(api, records, files, role, sees_other):
    client = api(role)
    for url in download_urls(records, files, "own"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content) == PDF
    for url in download_urls(records, files, "other"):
        assert client.get(url).status_code == (200 if sees_other else 404), url


@pytest.mark.parametrize(("role", "expected"), [("norole", 403), (None, 401)])
def test_strangers_download_nothing(api, records, files, role, expected):
    for url in download_urls(records, files, "own"):
        assert api(role).get(url).status_code == expected


@pytest.mark.parametrize("role", ["admin", "city", "county", "company"])
def test_every_role_reads_the_campaigns(api, records, role):
    campaign = records["campaign"]
    client = api(role)
    assert campaign.pk in {row["id"] for row in client.get("/api/v1/campaigns/").json()["results"]}
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 200
    progress = client.get(f"/api/v1/campaigns/{campaign.pk}/progress/").json()
    # The total line counts only the submissions the role may see.
    assert progress[-1]["total"] == (2 if role in ("admin", "city") else 1)


@pytest.mark.parametrize(("role", "expected"), [("norole", 403), (None, 401)])
def test_strangers_read_no_campaign(api, records, role, expected):
    assert api(role).get("/api/v1/campaigns/").status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"), [("admin", 400), ("city", 400), ("county", 403), ("company", 403)]
)
def test_only_city_staff_open_campaigns(api, records, role, expected):
    # An empty payload: the city's call is refused for its content (400), the others' for
    # their role (403), before anything is read.
    assert api(role).post("/api/v1/campaigns/", {}, format="json").status_code == expected


@pytest.fixture
def inboxes(world):
    """One notification for every user of the world (read for nobody)."""
    return {
        role: Notification.objects.create(
            user=user, message="Message %(n)s", params={"n": role}, url="/", dedupe_key=role
        )
        for role, user in world["users"].items()
    }


@pytest.mark.parametrize("role", ["admin", "city", "county", "company"])
def test_notifications_are_the_callers_own_whatever_the_role(api, inboxes, role):
    client = api(role)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [row["id"] for row in rows] == [inboxes[role].pk]
    for other_role, notification in inboxes.items():
        if other_role == role:
            continue
        assert client.get(f"/api/v1/notifications/{notification.pk}/").status_code == 404
        assert client.post(f"/api/v1/notifications/{notification.pk}/read/").status_code == 404
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert Notification.objects.filter(read_at__isnull=False).count() == 1
    assert Notification.objects.get(read_at__isnull=False) == inboxes[role]


@pytest.mark.parametrize(("role", "expected"), [("norole", 403), (None, 401)])
def test_strangers_have_no_notifications_endpoint(api, inboxes, role, expected):
    client = api(role)
    assert client.get("/api/v1/notifications/").status_code == expected
    assert client.post("/api/v1/notifications/read-all/").status_code == expected
    assert not Notification.objects.filter(read_at__isnull=False).exists()
