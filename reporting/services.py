"""Writes of the reporting cycle. Pages, the API and the admin call these; the rules of who
may take which step live in reporting.workflow, the checks of the figures in the staff
annual-data form's rules (reporting.forms.SubmissionFiguresForm)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import AnnualData, Company
from companies.models.annual import FIGURE_FIELDS
from core.history import SUBMISSION_REASON
from core.roles import CITY_WIDE_ROLES, Role
from core.scoping import scope_of
from core.services import BULK_BATCH_SIZE, record_save, records_bulk_write, stamp_author
from core.workflow import steps_for
from projects.choices import ProjectStatus
from projects.models import KeyProject, ProgressReport, ProjectStatusChange
from reporting import workflow
from reporting.attachments import attachment_kind, check_room_for_another, safe_display_name
from reporting.choices import SizeClass, SubmissionState
from reporting.forms import SubmissionFiguresForm, annual_row, figures_form_data
from reporting.models import Attachment, Campaign, Submission, SubmissionStep
from reporting.tally import tally_changed


def _require_city(user) -> None:
    if user is not None and scope_of(user).role not in CITY_WIDE_ROLES:
        raise PermissionDenied(_("Only city staff open and manage reporting campaigns."))


def campaign_targets(*, regions=(), size_class: str = "", batch=None):
    """The companies a campaign asks: every rated company, narrowed to `regions`, one size
    class (规上 / 规下) and the companies designated in `batch` when given."""
    companies = Company.objects.filter(rated=True)
    if regions:
        companies = companies.filter(region__in=regions)
    if size_class:
        companies = companies.filter(above_size=size_class == SizeClass.ABOVE)
    if batch is not None:
        companies = companies.filter(
            designations__batch=batch, designations__voided_at__isnull=True
        ).distinct()
    return companies


# How far ahead a deadline may be set: a reporting round runs for weeks or months; a date
# years away (9999-12-31) is a typo that would silence every reminder and overdue flag.
DEADLINE_REACH = datetime.timedelta(days=366)


def _check_deadline_reach(deadline: datetime.date, today: datetime.date) -> None:
    if deadline > today + DEADLINE_REACH:
        raise ValidationError(
            {
                "deadline": _("A deadline may lie at most a year ahead, until %(day)s.")
                % {"day": today + DEADLINE_REACH}
            }
        )


@transaction.atomic
def campaign_open(
    *,
    year: int,
    deadline: datetime.date,
    user,
    regions=(),
    size_class: str = "",
    batch=None,
    note: str = "",
) -> Campaign:
    """Open the campaign for `year` and give each target company a submission ("not
    started"), in bulk. City staff only; one campaign per year."""
    _require_city(user)
    today = timezone.localdate()
    # A year that has not begun has no figures to report: 2035 for 2025 is a typo that would
    # otherwise open a campaign for every company at once.
    if year > today.year:
        raise ValidationError(
            {
                "year": _(
                    "The year %(year)s has not begun: a campaign collects the figures "
                    "of a past year or of the current one."
                )
                % {"year": year}
            }
        )
    if deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot lie in the past.")})
    _check_deadline_reach(deadline, today)
    campaign = Campaign(
        year=year,
        deadline=deadline,
        opened_by=user if getattr(user, "pk", None) else None,
        note=note,
        target_filter={
            "regions": sorted(r.pk for r in regions),
            "size_class": size_class or "",
            "batch": batch.pk if batch is not None else None,
        },
    )
    campaign.full_clean()
    campaign.save()
    ids = campaign_targets(regions=regions, size_class=size_class, batch=batch).values_list(
        "pk", flat=True
    )
    _add_submissions(campaign, ids)
    return campaign


def _add_submissions(campaign: Campaign, company_ids) -> int:
    regions = Company.objects.filter(pk__in=company_ids).values_list("pk", "region_id")
    rows = [
        Submission(campaign=campaign, company_id=pk, region_id=region) for pk, region in regions
    ]
    Submission.objects.bulk_create(rows, batch_size=BULK_BATCH_SIZE, ignore_conflicts=True)
    tally_changed([campaign.pk])
    return len(rows)


@transaction.atomic
def campaign_extend(*, campaign: Campaign, deadline: datetime.date, user) -> Campaign:
    """Move the deadline later (never earlier: companies planned for the one announced)."""
    _require_city(user)
    if deadline <= campaign.deadline:
        raise ValidationError(
            {
                "deadline": _("The new deadline must come after %(day)s.")
                % {"day": campaign.deadline}
            }
        )
    _check_deadline_reach(deadline, timezone.localdate())
    campaign.deadline = deadline
    campaign.save(update_fields=["deadline"])
    return campaign


@transaction.atomic
def campaign_add_companies(*, campaign: Campaign, credit_codes, user) -> int:
    """Add the companies with these credit codes; returns how many were new to it. A code
    that names no company is refused (nothing is added)."""
    _require_city(user)
    codes = set(credit_codes)
    found = dict(Company.objects.filter(credit_code__in=codes).values_list("credit_code", "pk"))
    missing = sorted(codes - set(found))
    if missing:
        raise ValidationError(
            {
                "credit_codes": _("No company with the code %(codes)s.")
                % {"codes": ", ".join(missing)}
            }
        )
    present = set(
        campaign.submissions.filter(company_id__in=found.values()).values_list(
            "company_id", flat=True
        )
    )
    return _add_submissions(campaign, [pk for pk in found.values() if pk not in present])


def _check_sees(submission: Submission, user) -> None:
    if (
        user is not None
        and not Submission.objects.visible_to(user).filter(pk=submission.pk).exists()
    ):
        raise PermissionDenied(_("You may not act on this submission."))


def _check_company_writes(submission: Submission, user) -> None:
    """The figures and evidence are the company's (an administrator may stand in)."""
    scope = scope_of(user)
    own = scope.role == Role.COMPANY and scope.company_id == submission.company_id
    if user is not None and not own and scope.role != Role.ADMIN:
        raise PermissionDenied(_("Only the company itself reports its figures."))
    if not submission.is_editable:
        raise ValidationError(
            _("This submission is “%(state)s”: it can no longer be changed.")
            % {"state": SubmissionState(submission.state).label}
        )


def _locked(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update()
        .select_related("campaign", "company")
        .get(pk=submission.pk)
    )


@transaction.atomic
def submission_save(
    *, submission: Submission, user, figures: dict, warnings_confirmed: str = ""
) -> Submission:
    """Store the company's figures (checked by SubmissionFiguresForm) as a draft; the first
    save takes the "start" step (not started → draft). Nothing reaches AnnualData."""
    locked = _locked(submission)
    _check_company_writes(locked, user)
    unknown = set(figures) - set(FIGURE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown figures: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    locked.figures = {name: figures.get(name) for name in FIGURE_FIELDS}
    locked.warnings_confirmed = warnings_confirmed
    locked.version += 1
    if locked.state == SubmissionState.NOT_STARTED:
        _take(locked, workflow.START, user, comment="")
    locked.save()
    submission.refresh_from_db()
    return submission


def steps_of(submission: Submission, user) -> list:
    """The steps `user` may take on `submission` now (buttons, API, admin)."""
    return steps_for(submission, user, field_name="state")


@transaction.atomic
def submission_step(
    *, submission: Submission, action: str, user, comment: str = "", fields=()
) -> Submission:
    """Take the step `action` of reporting.workflow on `submission` for `user`: the role must
    be one the table names and the state one it leaves from. A return needs a comment and
    names the figures concerned; submitting checks the figures as the staff form would;
    the city's confirmation writes them to the company's annual data."""
    step = workflow.STEPS_BY_ACTION.get(action)
    if step is None:
        raise ValidationError({"action": _("Unknown step “%(action)s”.") % {"action": action}})
    _check_sees(submission, user)
    locked = _locked(submission)
    if step not in steps_of(locked, user):
        if step in steps_of(locked, None) and user is not None:
            raise PermissionDenied(
                _("“%(step)s” is a step for: %(roles)s.")
                % {
                    "step": step.label,
                    "roles": ", ".join(str(Role(r).label) for r in step.roles if r != Role.ADMIN),
                }
            )
        allowed = ", ".join(str(s.label) for s in steps_of(locked, user))
        if not allowed:
            # Typically a second tab or a colleague took the step first: say so plainly.
            raise ValidationError(
                {
                    "action": _(
                        "This submission is now “%(state)s”: someone may have dealt with it "
                        "already. Nothing is left for you to do on it."
                    )
                    % {"state": SubmissionState(locked.state).label}
                }
            )
        raise ValidationError(
            {
                "action": _(
                    "A submission that is “%(state)s” cannot take “%(step)s”. Allowed: %(allowed)s."
                )
                % {
                    "state": SubmissionState(locked.state).label,
                    "step": step.label,
                    "allowed": allowed,
                }
            }
        )
    if step is workflow.SUBMIT and scope_of(user).role == Role.COMPANY:
        _check_company_writes(locked, user)
    comment = (comment or "").strip()
    if step.needs_comment and not comment:
        raise ValidationError({"comment": _("Say why, and which figures to correct.")})
    fields = [name for name in fields or () if name]
    unknown = set(fields) - set(FIGURE_FIELDS)
    if unknown:
        raise ValidationError(
            {"fields": _("Unknown figures: %(names)s.") % {"names": ", ".join(sorted(unknown))}}
        )
    if step is workflow.SUBMIT:
        _check_complete(locked)
        locked.submitted_at = timezone.now()
        locked.returned_fields = []
    if step.needs_comment:
        locked.returned_fields = fields
    else:
        # Only a return names figures; boxes left ticked on the review page mean nothing to
        # an acceptance.
        fields = []
    if step is workflow.CITY_CONFIRM:
        _figures_apply(locked, user)
    _take(locked, step, user, comment=comment, fields=fields)
    locked.version += 1
    locked.save()
    submission.refresh_from_db()
    return submission


def _take(submission: Submission, step, user, *, comment: str, fields=()) -> None:
    from_state = submission.state
    getattr(submission, step.action)()
    # Every path that moves a submission comes here (a step, a company's first draft).
    tally_changed([submission.campaign_id])
    SubmissionStep.objects.create(
        submission=submission,
        action=step.action,
        from_state=from_state,
        to_state=submission.state,
        taken_by=user if getattr(user, "pk", None) else None,
        comment=comment,
        fields=list(fields),
    )


def _check_complete(submission: Submission) -> None:
    """The stored figures pass every check of the staff form (warnings confirmed)."""
    form = SubmissionFiguresForm(data=figures_form_data(submission), submission=submission)
    if not form.is_valid():
        raise ValidationError(
            {field: list(errors) for field, errors in form.errors.items()}
            or _("Check the figures before submitting.")
        )


def _figures_apply(submission: Submission, user) -> AnnualData:
    """Write the confirmed figures to the company's AnnualData of the year through the one
    bulk write path (scope, validation, author, history with the reason, staleness signals
    so the provisional ranking follows): the year's live row is updated, or one is made."""
    row = (
        AnnualData.objects.live()
        .select_related("company")
        .filter(company_id=submission.company_id, year=submission.campaign.year)
        .first()
    )
    confirmed = annual_row(submission)
    # The year's class and land, when left empty, are the company's current ones
    # (RANKING.md part 2): confirming writes them down, so that a later change of the
    # company's record does not move the confirmed year's result past the lock.
    for name in ("above_size", "land_area_mu"):
        if getattr(confirmed, name) is None:
            setattr(confirmed, name, getattr(submission.company, name))
    reason = submission.warnings_confirmed or SUBMISSION_REASON.format(number=submission.pk)
    if row is None:
        records_bulk_write(model=AnnualData, creates=[confirmed], user=user, reason=reason)
        return confirmed
    for name in FIGURE_FIELDS:
        setattr(row, name, getattr(confirmed, name))
    records_bulk_write(
        model=AnnualData, updates=[row], fields=FIGURE_FIELDS, user=user, reason=reason
    )
    return row


@transaction.atomic
def attachment_add(*, submission: Submission, user, upload) -> Attachment:
    """Attach an evidence file (reporting.attachments decides what may be attached)."""
    locked = _locked(submission)
    _check_company_writes(locked, user)
    # Counted under the submission's row lock: two uploads at once cannot both pass.
    check_room_for_another(locked.attachments.count())
    kind = attachment_kind(upload)
    attachment = Attachment(
        submission=locked,
        kind=kind,
        original_name=safe_display_name(upload.name, kind),
        size=upload.size,
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, user) -> None:
    _check_company_writes(_locked(attachment.submission), user)
    attachment.file.delete(save=False)
    attachment.delete()


def _check_own_company(company_id: int, user) -> None:
    scope = scope_of(user)
    if scope.role == Role.COMPANY and scope.company_id == company_id:
        return
    if scope.role in (Role.ADMIN,):
        return
    raise PermissionDenied(_("A company declares and reports on its own projects only."))


@transaction.atomic
def project_declare(*, project: KeyProject, user) -> KeyProject:
    """A company's declaration (申报) of a new key project: saved "declared", attributed to
    the company user, and recorded as the first step of its lifecycle; it waits for the
    county's preliminary review."""
    _check_own_company(project.company_id, user)
    project.status = ProjectStatus.DECLARED
    stamp_author(project, user)
    # The company may not write records (core.scoping); its declaration is the one write it
    # may make, checked above, so it is saved as a system write already attributed to it.
    record_save(instance=project, user=None)
    ProjectStatusChange.objects.create(
        project=project,
        from_status="",
        to_status=ProjectStatus.DECLARED,
        changed_by=user if getattr(user, "pk", None) else None,
        comment=_("Declared by the company."),
    )
    return project


@transaction.atomic
def progress_report_file(*, report: ProgressReport, user) -> ProgressReport:
    """A company's quarterly progress report on its own project, attributed to it."""
    _check_own_company(report.project.company_id, user)
    report.check_write_by(user)
    stamp_author(report, user)
    return record_save(instance=report, user=None)
