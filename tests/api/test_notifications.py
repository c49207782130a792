"""`/api/v1/notifications/`: the caller's inbox, the unread filter, marking one or all read,
the text in the caller's language, and the schema."""

import pytest

from core.models import Notification

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"
MESSAGE = "%(company)s filed objection no. %(number)s to the %(year)s result."


@pytest.fixture
def inbox(world):
    user = world["users"]["county"]
    return [
        Notification.objects.create(
            user=user,
            message=MESSAGE,
            params={"company": "永康自有企业", "number": n, "year": 2019},
            url=f"/objections/{n}/",
            dedupe_key=f"objection-filed:{n}",
        )
        for n in (1, 2, 3)
    ]


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_unread_filter_and_marking_one_read(api, inbox):
    client = api("county")
    assert ids(client.get(URL)) == [n.pk for n in reversed(inbox)]  # newest first
    response = client.post(f"{URL}{inbox[0].pk}/read/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["unread"] is False and body["read_at"]
    assert body["text"] == "永康自有企业 filed objection no. 1 to the 2019 result."
    assert body["url"] == "/objections/1/"
    assert ids(client.get(URL, {"unread": "true"})) == [inbox[2].pk, inbox[1].pk]
    assert ids(client.get(URL, {"unread": "false"})) == [inbox[0].pk]
    # Marking it again changes nothing.
    first_read = Notification.objects.get(pk=inbox[0].pk).read_at
    client.post(f"{URL}{inbox[0].pk}/read/")
    assert Notification.objects.get(pk=inbox[0].pk).read_at == first_read


def test_mark_all_read(api, inbox):
    client = api("county")
    assert client.post(f"{URL}read-all/").json() == {"marked": 3}
    assert ids(client.get(URL, {"unread": "true"})) == []
    assert client.post(f"{URL}read-all/").json() == {"marked": 0}


def test_the_text_is_in_the_callers_language(api, inbox):
    chinese = api("county").get(URL).json()["results"][0]["text"]
    english = api("county").get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["text"]
    assert english == "永康自有企业 filed objection no. 3 to the 2019 result."
    assert chinese != english and "永康自有企业" in chinese


def test_the_schema_describes_the_notifications(api):
    schema = api("city").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert {"/api/v1/notifications/", "/api/v1/notifications/{id}/"} <= set(paths)
    assert "post" in paths["/api/v1/notifications/{id}/read/"]
    assert "post" in paths["/api/v1/notifications/read-all/"]
    parameters = {p["name"] for p in paths["/api/v1/notifications/"]["get"]["parameters"]}
    assert "unread" in parameters
