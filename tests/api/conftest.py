"""Fixtures of the API tests: a client per role, signed in with a token, and one record of
every kind for the company in the county user's region ("own") and for one elsewhere ("other")."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reporting.models import Campaign, Submission
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    DesignationFactory,
    KeyProjectFactory,
    MaturityFactory,
    ProgressReportFactory,
    SurveillanceAuditFactory,
)

ROLES = ("admin", "city", "county", "company", "norole")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Autouse fixtures run before `world` creates its users: PBKDF2 would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api(world):
    """`api("county")` is a client signed in as that role; `api(None)` is anonymous."""

    def make(role):
        return client_for(world["users"][role] if role else None)

    return make


def objection_for(company):
    """An objection of `company` to a published 2019 run (made directly: the workflow's own
    tests are in tests/notices)."""
    from django.utils import timezone

    from notices.models import Objection
    from rankings.models import RankingRun
    from rankings.services import active_scheme

    run = RankingRun.objects.published().filter(year=2019).first()
    if run is None:
        scheme = active_scheme()
        run = RankingRun.objects.create(
            year=2019,
            kind="published",
            status="complete",
            scheme=scheme,
            scheme_version=scheme.version,
            started_at=timezone.now(),
            notice_ends_on=timezone.localdate(),
        )
    return Objection.objects.create(
        company=company, run=run, subject="tax_paid", claimed_value="350", explanation="完税证明"
    )


@pytest.fixture
def records(world):
    """One record of each company-bound kind for the own and the other company."""
    batch = BatchFactory(number=1)
    made = {}
    for side in ("own", "other"):
        company = world[side]
        project = KeyProjectFactory(company=company)
        made[side] = {
            "company": company,
            "designation": DesignationFactory(company=company, batch=batch),
            "certification": (certificate := CertificationFactory(company=company)),
            "audit": SurveillanceAuditFactory(certification=certificate),
            "maturity": MaturityFactory(company=company),
            "annual": AnnualDataFactory(company=company),
            "project": project,
            "report": ProgressReportFactory(project=project),
            "objection": objection_for(company),
        }
    # A reporting campaign asking both companies (reporting: submissions are company-bound).
    campaign = Campaign.objects.create(year=2019, deadline=datetime.date(2020, 3, 31))
    for side in ("own", "other"):
        made[side]["submission"] = Submission.objects.create(campaign=campaign, company=world[side])
    made["batch"] = batch
    made["campaign"] = campaign
    return made
