"""The reporting cycle through its services: open → draft → submit → county return / accept →
city confirm → annual data, with the roles the table names and the lock that follows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from companies.models import AnnualData
from core.services import record_save, record_void
from reporting.choices import SubmissionState as S
from reporting.forms import SubmissionFiguresForm
from reporting.models import Campaign, Submission
from reporting.services import (
    campaign_add_companies,
    campaign_extend,
    campaign_open,
    steps_of,
    submission_save,
    submission_step,
)
from reporting.workflow import SUBMISSION_STEPS
from tests.factories import CompanyFactory
from tests.reporting.conftest import YEAR, figures

pytestmark = pytest.mark.django_db


def save(submission, user, final=False, **overrides):
    form = SubmissionFiguresForm(figures(**overrides), submission=submission, final=final)
    assert form.is_valid(), form.errors
    return submission_save(
        submission=submission,
        user=user,
        figures=form.figures,
        warnings_confirmed=form.warnings_note,
    )


def test_opening_asks_every_rated_company_once(world, campaign):
    unrated = CompanyFactory(rated=False)
    assert set(campaign.submissions.values_list("company_id", flat=True)) == {
        world["own"].pk,
        world["other"].pk,
    }
    assert not Submission.objects.filter(company=unrated).exists()
    assert set(campaign.submissions.values_list("state", flat=True)) == {S.NOT_STARTED}
    with pytest.raises(ValidationError):
        campaign_open(year=YEAR, deadline=campaign.deadline, user=world["users"]["city"])


def test_a_campaign_can_target_one_region(world, yongkang):
    campaign = campaign_open(
        year=2019,
        deadline=timezone.localdate(),
        user=world["users"]["city"],
        regions=[yongkang],
    )
    assert list(campaign.submissions.values_list("company_id", flat=True)) == [world["own"].pk]
    assert campaign.target_filter["regions"] == [yongkang.pk]


@pytest.mark.parametrize("role", ["county", "company"])
def test_only_city_staff_open_extend_and_add(world, campaign, role):
    user = world["users"][role]
    with pytest.raises(PermissionDenied):
        campaign_open(year=2019, deadline=timezone.localdate(), user=user)
    with pytest.raises(PermissionDenied):
        campaign_extend(campaign=campaign, deadline=campaign.deadline, user=user)
    assert Campaign.objects.count() == 1


def test_extend_later_only_and_add_companies(world, campaign):
    city = world["users"]["city"]
    with pytest.raises(ValidationError):
        campaign_extend(campaign=campaign, deadline=campaign.deadline, user=city)
    later = campaign.deadline + datetime.timedelta(days=7)
    assert campaign_extend(campaign=campaign, deadline=later, user=city).deadline == later
    newcomer = CompanyFactory(rated=False)
    assert (
        campaign_add_companies(campaign=campaign, credit_codes=[newcomer.credit_code], user=city)
        == 1
    )
    assert (
        campaign_add_companies(campaign=campaign, credit_codes=[newcomer.credit_code], user=city)
        == 0
    )
    with pytest.raises(ValidationError) as error:
        campaign_add_companies(campaign=campaign, credit_codes=["X" * 18], user=city)
    assert "credit_codes" in error.value.message_dict


def test_the_whole_cycle_reaches_annual_data_only_on_confirmation(world, submissions):
    own, users = submissions["own"], world["users"]
    save(own, users["company"])
    assert own.state == S.DRAFT
    submission_step(submission=own, action="submit", user=users["company"])
    assert own.state == S.SUBMITTED
    assert not AnnualData.objects.filter(company=world["own"], year=YEAR).exists()

    with pytest.raises(ValidationError) as error:
        submission_step(submission=own, action="county_return", user=users["county"])
    assert "comment" in error.value.message_dict
    submission_step(
        submission=own,
        action="county_return",
        user=users["county"],
        comment="税收与去年不符",
        fields=["tax_paid"],
    )
    assert own.state == S.COUNTY_RETURNED and own.returned_fields == ["tax_paid"]
    save(own, users["company"], tax_paid="820")
    assert own.state == S.COUNTY_RETURNED  # saving keeps the return visible until resubmitted
    submission_step(submission=own, action="submit", user=users["company"])
    submission_step(submission=own, action="county_accept", user=users["county"])
    assert not AnnualData.objects.filter(company=world["own"], year=YEAR).exists()
    submission_step(submission=own, action="city_confirm", user=users["city"], comment="ok")
    assert own.state == S.CONFIRMED
    row = AnnualData.objects.get(company=world["own"], year=YEAR)
    assert row.tax_paid == 820 and row.main_revenue == 11000
    assert row.updated_by == users["city"]
    assert row.history.latest().history_change_reason == f"submission #{own.pk} confirmed"
    steps = list(own.steps.values_list("action", "taken_by__username"))
    assert steps == [
        ("start", "t-company"),
        ("submit", "t-company"),
        ("county_return", "t-county"),
        ("submit", "t-company"),
        ("county_accept", "t-county"),
        ("city_confirm", "t-city"),
    ]


def test_confirmation_updates_a_staff_entered_row(world, submissions):
    own, users = submissions["own"], world["users"]
    AnnualData.objects.create(company=world["own"], year=YEAR, tax_paid=1, main_revenue=10500)
    save(own, users["company"])
    for action, role in (
        ("submit", "company"),
        ("county_accept", "county"),
        ("city_confirm", "city"),
    ):
        submission_step(submission=own, action=action, user=users[role])
    assert AnnualData.objects.get(company=world["own"], year=YEAR).tax_paid == 850


STEP_ROLES = [
    (step.action, role) for step in SUBMISSION_STEPS for role in ("city", "county", "company")
]


@pytest.mark.parametrize(("action", "role"), STEP_ROLES)
def test_each_step_is_offered_only_to_its_roles(world, submissions, action, role):
    step = next(s for s in SUBMISSION_STEPS if s.action == action)
    own = submissions["own"]
    own.state = step.sources[0]
    own.figures = {k: v for k, v in figures().items()}
    own.save()
    user = world["users"][role]
    assert (step in steps_of(own, user)) is (role in step.roles)
    if role not in step.roles:
        with pytest.raises(PermissionDenied):
            submission_step(submission=own, action=action, user=user, comment="x")


def test_county_of_another_region_cannot_act(world, submissions):
    other = submissions["other"]
    other.state = S.SUBMITTED
    other.save()
    with pytest.raises(PermissionDenied):
        submission_step(submission=other, action="county_accept", user=world["users"]["county"])
    with pytest.raises(PermissionDenied):
        save(other, world["users"]["company"])


def test_submitting_asks_to_confirm_a_year_on_year_jump(world, submissions):
    own, company = submissions["own"], world["users"]["company"]
    form = SubmissionFiguresForm(figures(tax_paid="85000"), submission=own)
    assert not form.is_valid() and "tax_paid" in form.errors
    confirmed = SubmissionFiguresForm(
        {**figures(tax_paid="85000"), "confirm_warnings": "on"}, submission=own
    )
    assert confirmed.is_valid(), confirmed.errors
    assert confirmed.warnings_note.startswith("confirmed: tax_paid")
    # A draft keeps the jump without asking; submitting it unconfirmed is refused.
    draft = SubmissionFiguresForm(figures(tax_paid="85000"), submission=own, final=False)
    assert draft.is_valid()
    submission_save(submission=own, user=company, figures=draft.figures)
    with pytest.raises(ValidationError) as error:
        submission_step(submission=own, action="submit", user=company)
    assert "tax_paid" in error.value.message_dict
    submission_save(
        submission=own,
        user=company,
        figures=draft.figures,
        warnings_confirmed=confirmed.warnings_note,
    )
    submission_step(submission=own, action="submit", user=company)
    assert own.state == S.SUBMITTED


def test_the_staff_form_rules_apply(world, submissions):
    own = submissions["own"]
    form = SubmissionFiguresForm(figures(unskilled_workers="500"), submission=own)
    assert not form.is_valid() and "unskilled_workers" in form.errors
    negative = SubmissionFiguresForm(figures(tax_paid="-1"), submission=own, final=False)
    assert not negative.is_valid() and "tax_paid" in negative.errors


def test_a_confirmed_year_is_locked_and_corrected_by_voiding(world, submissions):
    own, users = submissions["own"], world["users"]
    save(own, users["company"])
    for action, role in (
        ("submit", "company"),
        ("county_accept", "county"),
        ("city_confirm", "city"),
    ):
        submission_step(submission=own, action=action, user=users[role])
    row = AnnualData.objects.get(company=world["own"], year=YEAR)
    row.tax_paid = 999
    with translation.override("en"), pytest.raises(ValidationError) as error:
        record_save(instance=row, user=users["city"])
    assert "void the row" in str(error.value)
    row.refresh_from_db()
    record_void(instance=row, user=users["city"], reason="更正税收")
    corrected = AnnualData(company=world["own"], year=YEAR, tax_paid=999, main_revenue=11000)
    record_save(instance=corrected, user=users["city"])
    assert AnnualData.objects.live().get(company=world["own"], year=YEAR).tax_paid == 999


def test_nothing_changes_once_submitted(world, submissions):
    own, company = submissions["own"], world["users"]["company"]
    save(own, company)
    submission_step(submission=own, action="submit", user=company)
    with pytest.raises(ValidationError):
        save(own, company, tax_paid="1")


def test_a_campaign_for_a_year_not_begun_is_refused(world, client):
    """A typo such as 2035 for 2025 must not open a campaign for every company."""
    from django.urls import reverse

    user = world["users"]["city"]
    next_year = timezone.localdate().year + 1
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as refused:
        campaign_open(year=next_year, deadline=deadline, user=user)
    assert "year" in refused.value.message_dict
    client.force_login(user)
    page = client.post(
        reverse("reporting:campaign_open"),
        {"year": next_year, "deadline": deadline.isoformat()},
        follow=True,
    )
    assert f"{next_year} 年尚未开始" in page.content.decode()
    assert not Campaign.objects.filter(year=next_year).exists()
