"""Token sign-in and the 401 / session paths."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_token_flow_signs_in_and_reads(world):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "t-city", "password": "pass-Word-123"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    companies = client.get("/api/v1/companies/")
    assert companies.status_code == 200
    assert companies.json()["count"] == 2
    # The same user gets the same token again.
    again = APIClient().post(
        "/api/v1/auth/token/", {"username": "t-city", "password": "pass-Word-123"}, format="json"
    )
    assert again.json()["token"] == token


def test_a_wrong_password_gets_no_token(world):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "t-city", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()
    assert "non_field_errors" in response.json()


def test_a_missing_password_names_the_field(world):
    response = APIClient().post("/api/v1/auth/token/", {"username": "t-city"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_an_invalid_token_is_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/companies/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_a_session_works_too(world):
    client = APIClient()
    client.force_login(world["users"]["county"])
    response = client.get("/api/v1/companies/")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["永康自有企业"]


def test_ping_needs_nothing():
    response = APIClient().get("/api/v1/ping/")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
