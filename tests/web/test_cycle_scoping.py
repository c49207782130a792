"""The role matrix of the yearly cycle's pages (issue 11, item 11): every page of the cycle,
opened by each role, answers the status code of one table. Company X and county A are
Yongkang's, company Y and county B Yiwu's; each company has a submission with evidence and an
objection with an attachment, and county A a notification of X's objection.

A company user never reaches another company's submission, evidence or objection (404: the
page does not say whether it exists); county staff only their region's (another region's
objection or submission: 403 with a sentence and nothing of the record, as every scoped
detail page; a file: 404); staff pages answer 404 to company users; anonymous users are sent
to the login page. The queues' and lists' rows are checked in a second table."""

import datetime

import pytest
from django.utils import timezone

from core.models import Notification
from core.roles import Role
from notices.services import objection_file
from rankings.models import DirtyYear
from rankings.services import rankings_publish, rankings_recompute
from reporting.forms import SubmissionFiguresForm
from reporting.models import Submission
from reporting.services import attachment_add, campaign_open, submission_save, submission_step
from tests.factories import AnnualDataFactory, make_user
from tests.notices.conftest import upload
from tests.reporting.conftest import figures, pdf

pytestmark = pytest.mark.django_db

YEAR = 2020  # the campaign's year; the published run is the year before
ROLES = ("city", "county_a", "county_b", "company_x", "company_y", "anonymous")

LOGIN = "login"  # a redirect to the login page

# (page, method, url pattern over the cycle's ids) → expected answer per role, in ROLES order.
MATRIX = [
    # The campaigns and the review queues are staff pages.
    ("campaign list", "get", "/reporting/campaigns/", (200, 200, 200, 404, 404, LOGIN)),
    ("campaign detail", "get", "/reporting/campaigns/{campaign}/", (200, 200, 200, 404, 404, LOGIN)),
    ("review queue", "get", "/reporting/queue/", (200, 200, 200, 404, 404, LOGIN)),
    # A submission's review page: staff of its region and the city.
    ("submission X review", "get", "/reporting/submissions/{sub_x}/", (200, 200, 403, 404, 404, LOGIN)),
    ("submission Y review", "get", "/reporting/submissions/{sub_y}/", (200, 403, 200, 404, 404, LOGIN)),
    # The company's own submission form (the portal's annual report): company users only.
    ("submission form", "get", "/reporting/portal/", (404, 404, 404, 200, 200, LOGIN)),
    ("declare a project", "get", "/reporting/portal/declare/", (404, 404, 404, 200, 200, LOGIN)),
    # Evidence files: whoever sees the submission.
    ("evidence of X", "get", "/reporting/attachments/{evidence_x}/", (200, 200, 404, 200, 404, LOGIN)),
    ("evidence of Y", "get", "/reporting/attachments/{evidence_y}/", (200, 404, 200, 404, 200, LOGIN)),
    # Objections: every role has a list (scoped); a detail to its company and region.
    ("objection list", "get", "/objections/", (200, 200, 200, 200, 200, LOGIN)),
    ("objection X", "get", "/objections/{objection_x}/", (200, 200, 403, 200, 404, LOGIN)),
    ("objection Y", "get", "/objections/{objection_y}/", (200, 403, 200, 404, 200, LOGIN)),
    ("objection attachment X", "get", "/objections/attachments/{file_x}/", (200, 200, 404, 200, 404, LOGIN)),
    ("objection attachment Y", "get", "/objections/attachments/{file_y}/", (200, 404, 200, 404, 200, LOGIN)),
    ("file an objection", "get", "/objections/new/", (404, 404, 404, 200, 200, LOGIN)),
    # The inbox: everyone's own; opening a notification is its addressee's alone.
    ("inbox", "get", "/inbox/", (200, 200, 200, 200, 200, LOGIN)),
    ("open county A's notification", "post", "/inbox/{note_a}/", (404, 302, 404, 404, 404, LOGIN)),
]  # fmt: skip


@pytest.fixture
def cycle(world, yongkang, yiwu):
    """A published run of YEAR - 1 with an objection of each company, and the YEAR campaign
    with each company's submitted figures and evidence."""
    x, y = world["own"], world["other"]
    users = {
        "city": world["users"]["city"],
        "county_a": world["users"]["county"],
        "county_b": make_user(Role.COUNTY, region=yiwu, username="m-county-b"),
        "company_x": world["users"]["company"],
        "company_y": make_user(Role.COMPANY, company=y, username="m-company-y"),
        "anonymous": None,
    }
    for company in (x, y):
        AnnualDataFactory(company=company, year=YEAR - 1)
    DirtyYear.objects.all().delete()  # computed right here, not left to the task
    rankings_recompute(year=YEAR - 1)
    run = rankings_publish(year=YEAR - 1, user=users["city"])
    campaign = campaign_open(
        year=YEAR, deadline=timezone.localdate() + datetime.timedelta(days=30), user=users["city"]
    )
    ids = {"campaign": campaign.pk}
    for suffix, company, user in (("x", x, users["company_x"]), ("y", y, users["company_y"])):
        submission = Submission.objects.get(campaign=campaign, company=company)
        form = SubmissionFiguresForm(figures(), submission=submission, final=True)
        assert form.is_valid(), form.errors
        submission_save(
            submission=submission,
            user=user,
            figures=form.figures,
            warnings_confirmed=form.warnings_note,
        )
        ids[f"evidence_{suffix}"] = attachment_add(
            submission=submission, user=user, upload=pdf()
        ).pk
        submission_step(submission=submission, action="submit", user=user)
        ids[f"sub_{suffix}"] = submission.pk
        objection = objection_file(
            user=user,
            run=run,
            subject="tax_paid",
            claimed_value="350",
            explanation="完税证明",
            files=[upload()],
        )
        ids[f"objection_{suffix}"] = objection.pk
        ids[f"file_{suffix}"] = objection.attachments.get().pk
    # County A was told of X's objection: that notification is county A's alone.
    ids["note_a"] = Notification.objects.get(
        user=users["county_a"], dedupe_key=f"objection-filed:{ids['objection_x']}"
    ).pk
    return {"users": users, "ids": ids, "names": {"x": x.name, "y": y.name}}


@pytest.mark.parametrize(
    ("page", "method", "pattern", "role", "expected"),
    [
        pytest.param(page, method, pattern, role, answers[index], id=f"{page}-{role}")
        for page, method, pattern, answers in MATRIX
        for index, role in enumerate(ROLES)
    ],
)
def test_each_role_gets_the_page_s_answer(client, cycle, page, method, pattern, role, expected):
    user = cycle["users"][role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(pattern.format(**cycle["ids"]))
    if expected == LOGIN:
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == expected
    if expected == 403:
        # Another region's record: a sentence, nothing of the record itself.
        assert "完税证明" not in response.content.decode()


# Whose rows a list page shows to each role (X, Y: the two companies' names).
ROWS = [
    ("/reporting/queue/", {"city": set(), "county_a": {"x"}, "county_b": {"y"}}),
    ("/objections/", {
        "city": {"x", "y"}, "county_a": {"x"}, "county_b": {"y"},
        "company_x": {"x"}, "company_y": {"y"},
    }),
    ("/reporting/campaigns/{campaign}/?state=submitted", {
        "city": {"x", "y"}, "county_a": {"x"}, "county_b": {"y"},
    }),
]  # fmt: skip


@pytest.mark.parametrize(("pattern", "shown"), ROWS, ids=[row[0] for row in ROWS])
def test_each_role_s_list_shows_only_its_rows(client, cycle, pattern, shown):
    """The city's queue holds the county-accepted submissions only: none yet."""
    for role, companies in shown.items():
        client.force_login(cycle["users"][role])
        body = client.get(pattern.format(**cycle["ids"])).content.decode()
        listed = {key for key, name in cycle["names"].items() if name in body}
        assert listed == companies, role
