"""The reporting pages by role: the campaign page and queues (scoped, set-based), the review
page's steps, the portal's self-reporting, declarations and progress reports, file serving."""

from pathlib import Path

import pytest
from django.urls import reverse

from projects.choices import ProjectStatus
from projects.models import KeyProject, ProgressReport
from reporting.choices import SubmissionState as S
from reporting.services import attachment_add, submission_step
from tests.factories import AnnualDataFactory, CompanyFactory, KeyProjectFactory
from tests.reporting.conftest import PNG, YEAR, figures, pdf

pytestmark = pytest.mark.django_db


def as_user(client, world, role):
    client.force_login(world["users"][role])
    return client


STAFF_PAGES = ["reporting:campaigns", "reporting:queue"]


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize(("role", "expected"), [("city", 200), ("county", 200), ("company", 404)])
def test_staff_pages_by_role(client, world, campaign, name, role, expected):
    assert as_user(client, world, role).get(reverse(name)).status_code == expected


def test_campaign_page_counts_per_region_in_the_users_scope(client, world, campaign, submissions):
    page = as_user(client, world, "city").get(reverse("reporting:campaign", args=[campaign.pk]))
    assert page.status_code == 200
    assert page.context["progress"][-1].total == 2
    county = as_user(client, world, "county").get(reverse("reporting:campaign", args=[campaign.pk]))
    assert county.context["progress"][-1].total == 1
    listed = {s.pk for s in county.context["page_obj"]}
    assert listed == {submissions["own"].pk}
    assert (
        as_user(client, world, "company")
        .get(reverse("reporting:campaign", args=[campaign.pk]))
        .status_code
        == 404
    )


def test_campaign_page_is_set_based(client, world, campaign, django_assert_max_num_queries):
    for _ in range(30):
        company = CompanyFactory(region=world["own"].region)
        campaign.submissions.create(company=company)
    as_user(client, world, "city")
    with django_assert_max_num_queries(16):
        client.get(reverse("reporting:campaign", args=[campaign.pk]))


def test_queue_is_set_based_and_scoped(
    client, world, campaign, submissions, django_assert_max_num_queries
):
    for _ in range(20):
        company = CompanyFactory(region=world["own"].region)
        AnnualDataFactory(company=company, year=YEAR - 1)
        campaign.submissions.create(company=company, state=S.SUBMITTED, figures=figures())
    submissions["other"].state = S.SUBMITTED
    submissions["other"].save()
    as_user(client, world, "county")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reporting:queue"))
    rows = list(page.context["page_obj"])
    assert len(rows) == 20 and all(s.company.region_id == world["own"].region_id for s in rows)


def test_the_company_drafts_attaches_and_submits_in_the_portal(client, world, submissions):
    own = submissions["own"]
    as_user(client, world, "company")
    portal = client.get(reverse("portal"))
    assert 'id="annual-report"' in portal.content.decode()
    draft = client.post(reverse("reporting:portal"), {**figures(), "save": "1"})
    assert draft.status_code == 302
    own.refresh_from_db()
    assert own.state == S.DRAFT and own.figures["tax_paid"] == "850"
    attached = client.post(reverse("reporting:portal_attach"), {"file": pdf()})
    assert attached.status_code == 302 and own.attachments.count() == 1
    refused = client.post(
        reverse("reporting:portal_attach"), {"file": pdf_named_png("x.pdf")}, follow=True
    )
    assert own.attachments.count() == 2  # a real PNG under a .pdf name is stored as a PNG
    assert own.attachments.last().kind == "png" and refused.status_code == 200
    jump = client.post(reverse("reporting:portal"), {**figures(tax_paid="85000"), "submit": "1"})
    assert jump.status_code == 200 and "tax_paid" in jump.context["form"].errors
    done = client.post(reverse("reporting:portal"), {**figures(), "submit": "1"})
    assert done.status_code == 302
    own.refresh_from_db()
    assert own.state == S.SUBMITTED


def pdf_named_png(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="application/pdf")


def test_the_county_returns_a_figure_and_the_company_sees_it(client, world, submissions):
    own = submissions["own"]
    own.figures, own.state = figures(), S.SUBMITTED
    own.save()
    as_user(client, world, "county")
    page = client.get(reverse("reporting:submission", args=[own.pk]))
    assert [s.action for s in page.context["steps"]] == ["county_accept", "county_return"]
    client.post(
        reverse("reporting:step", args=[own.pk]),
        {"action": "county_return", "comment": "税收请核实", "fields": ["tax_paid"]},
    )
    own.refresh_from_db()
    assert own.state == S.COUNTY_RETURNED and own.returned_fields == ["tax_paid"]
    as_user(client, world, "company")
    portal = client.get(reverse("reporting:portal")).content.decode()
    assert "税收请核实" in portal and 'id="returned-note"' in portal
    # The returned figure's input is marked, and the mark has a style (it had none before).
    tax_input = (
        portal.split('name="tax_paid"')[0].rsplit("<input", 1)[1]
        + portal.split('name="tax_paid"')[1].split(">")[0]
    )
    assert 'class="is-returned"' in tax_input
    assert portal.count('class="is-returned"') == 1
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert "input.is-returned, select.is-returned { border: 2px solid var(--amber)" in css
    # The county cannot confirm; the city's steps are not offered to it.
    own.state = S.COUNTY_ACCEPTED
    own.save()
    as_user(client, world, "county")
    assert client.get(reverse("reporting:submission", args=[own.pk])).context["steps"] == []
    client.post(reverse("reporting:step", args=[own.pk]), {"action": "city_confirm"})
    own.refresh_from_db()
    assert own.state == S.COUNTY_ACCEPTED


def test_another_regions_or_companys_submission_and_file(client, world, submissions):
    """The other-region rule of every detail page (core.views.ScopedQuerysetMixin), as the
    objection pages follow it: county staff of another region get the 403 page naming
    nothing of the submission; a company user gets 404; the file is 404 to both."""
    other = submissions["other"]
    other.figures = figures(tax_paid="8765")
    other.save()
    attachment = attachment_add(submission=other, user=world["users"]["admin"], upload=pdf())
    county = as_user(client, world, "county").get(reverse("reporting:submission", args=[other.pk]))
    assert county.status_code == 403
    assert other.company.name not in county.content.decode()
    assert "8765" not in county.content.decode()
    assert "other_region.html" in [t.name for t in county.templates]
    assert (
        as_user(client, world, "company")
        .get(reverse("reporting:submission", args=[other.pk]))
        .status_code
        == 404
    )
    for role in ("county", "company"):
        as_user(client, world, role)
        assert client.get(reverse("reporting:attachment", args=[attachment.pk])).status_code == 404
        client.post(reverse("reporting:step", args=[other.pk]), {"action": "county_accept"})
    as_user(client, world, "city")
    served = client.get(reverse("reporting:attachment", args=[attachment.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert "attachment" in served["Content-Disposition"]


def test_the_company_declares_a_project_and_reports_progress(client, world):
    as_user(client, world, "company")
    response = client.post(
        reverse("reporting:portal_declare"),
        {
            "name": "数字化车间改造",
            "kind": "digital_workshop",
            "level": "city",
            "planned_investment": "800",
        },
    )
    assert response.status_code == 302
    project = KeyProject.objects.get(name="数字化车间改造")
    assert project.company == world["own"] and project.status == ProjectStatus.DECLARED
    assert project.created_by == world["users"]["company"]
    assert project.status_changes.get().changed_by == world["users"]["company"]
    quarter = {"year": 2020, "quarter": 2, "invested_to_date": "100", "percent_complete": 20}
    # Declared, not approved: nothing under way to report on yet (R8).
    refused = client.post(reverse("reporting:portal_progress", args=[project.pk]), quarter)
    assert refused.status_code == 200 and not ProgressReport.objects.filter(project=project)
    assert "project" in str(refused.context["form"].errors) or refused.context["messages"]
    KeyProject.objects.filter(pk=project.pk).update(status=ProjectStatus.APPROVED)
    report = client.post(reverse("reporting:portal_progress", args=[project.pk]), quarter)
    assert report.status_code == 302
    assert ProgressReport.objects.get(project=project).created_by == world["users"]["company"]
    others = KeyProjectFactory(company=world["other"])
    assert client.get(reverse("reporting:portal_progress", args=[others.pk])).status_code == 404


def test_staff_cannot_use_the_portal_pages(client, world, submissions):
    as_user(client, world, "county")
    assert client.get(reverse("reporting:portal")).status_code == 404
    assert client.get(reverse("reporting:portal_declare")).status_code == 404


def test_publish_page_counts_unconfirmed_submissions(world, submissions):
    from rankings.selectors import unconfirmed_submissions

    assert unconfirmed_submissions(year=YEAR) == 2
    own = submissions["own"]
    own.figures, own.state = figures(), S.COUNTY_ACCEPTED
    own.save()
    submission_step(submission=own, action="city_confirm", user=world["users"]["city"])
    assert unconfirmed_submissions(year=YEAR) == 1


def test_dashboard_shows_the_campaign(client, world, campaign):
    page = as_user(client, world, "county").get(reverse("dashboard"))
    assert 'id="campaign-summary"' in page.content.decode()


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("county", {"step_county_accept"}),
        ("city", {"step_city_confirm"}),
        ("admin", {"step_start", "step_submit", "step_county_accept", "step_city_confirm"}),
    ],
)
def test_the_admin_offers_only_the_users_steps(client, world, submissions, role, offered):
    from companies.services import user_assign_role

    user = world["users"][role]
    if role != "admin":  # the role's admin permissions come with its group
        membership = user.membership
        user_assign_role(user=user, role=role, region=membership.region, company=None)
    page = as_user(client, world, role).get(reverse("admin:reporting_submission_changelist"))
    assert page.status_code == 200
    names = {name for name, _label in page.context["action_form"].fields["action"].choices if name}
    assert {name for name in names if name.startswith("step_")} == offered
    listed = {row.pk for row in page.context["cl"].result_list}
    assert (submissions["other"].pk in listed) is (role != "county")


def test_steps_and_campaigns_without_a_user_still_show(client, world, campaign, submissions):
    """The demo loader's and a deleted user's steps have nobody attached: the pages say
    "system" (or a dash for the campaign's opener) instead of failing."""
    own = submissions["own"]
    own.steps.create(action="submit", from_state=S.DRAFT, to_state=S.SUBMITTED, taken_by=None)
    type(campaign).objects.filter(pk=campaign.pk).update(opened_by=None)
    review = as_user(client, world, "county").get(reverse("reporting:submission", args=[own.pk]))
    assert review.status_code == 200
    assert "系统" in review.content.decode()
    portal = as_user(client, world, "company").get(reverse("reporting:portal"))
    assert portal.status_code == 200
    city = as_user(client, world, "city")
    assert city.get(reverse("reporting:campaigns")).status_code == 200
    assert city.get(reverse("reporting:campaign", args=[campaign.pk])).status_code == 200


def test_history_names_the_figures_by_their_labels(client, world, campaign, submissions):
    own = submissions["own"]
    own.steps.create(
        action="county_return",
        from_state=S.SUBMITTED,
        to_state=S.COUNTY_RETURNED,
        taken_by=world["users"]["county"],
        fields=["tax_paid", "electricity"],
    )
    page = as_user(client, world, "company").get(reverse("reporting:portal"))
    history = page.content.decode().split('id="submission-history"')[1].split("</ol>")[0]
    assert "实缴税金（万元）, 用电量" in history
    assert "tax_paid" not in history


def test_a_step_already_taken_in_another_tab_says_so(client, world, submissions):
    """Two tabs (or two colleagues) accept the same submission: the second hears that someone
    dealt with it, not "cannot take 'Accept'. Allowed: none"."""
    own = submissions["own"]
    own.figures, own.state = figures(), S.SUBMITTED
    own.save()
    as_user(client, world, "county")
    url = reverse("reporting:step", args=[own.pk])
    client.post(url, {"action": "county_accept"})
    second = client.post(url, {"action": "county_accept"}, follow=True).content.decode()
    assert "可能已有人办理过" in second
    own.refresh_from_db()
    assert own.state == S.COUNTY_ACCEPTED
    assert own.steps.filter(action="county_accept").count() == 1


def test_the_review_page_has_one_comment_box_for_every_step(client, world, submissions):
    own = submissions["own"]
    own.figures, own.state = figures(), S.SUBMITTED
    own.save()
    page = as_user(client, world, "county").get(reverse("reporting:submission", args=[own.pk]))
    html = page.content.decode()
    review = html[html.index('id="review"') :]
    assert review.count('name="comment"') == 1
    assert review.count("<form") == 1
    assert 'value="county_accept"' in review and 'value="county_return"' in review
    # Accepting with figure boxes ticked records no figures concerned; a return does.
    client.post(
        reverse("reporting:step", args=[own.pk]),
        {"action": "county_accept", "comment": "", "fields": ["tax_paid"]},
    )
    own.refresh_from_db()
    assert own.state == S.COUNTY_ACCEPTED and own.steps.last().fields == []
