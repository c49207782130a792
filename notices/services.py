"""Writes of the objection workflow (notices/workflow.py names the steps and their roles).

Each service checks the role, the scope (`editable_by`: county staff only in their region)
and the step's source state, writes in one transaction, and sends the in-app notifications
of RANKING.md part 2's events. Bad input raises a ValidationError naming the field and
changes nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import can_proceed, has_transition_perm

from companies.models import AnnualData
from companies.recipients import company_users, staff_of_region
from core.notifications import notify, page_link
from core.roles import CITY_WIDE_ROLES
from core.scoping import scope_of
from core.uploads import display_name, stored_name, upload_kind
from notices.choices import OTHER_SUBJECT, CountyOpinion, ObjectionState, subject_choices
from notices.models import Objection, ObjectionAttachment
from notices.selectors import notice_open
from notices.workflow import FILE_ROLES, STEPS
from rankings.models import CompanyScore, RankingRun
from rankings.selectors import run_current
from rankings.services import rankings_publish

MAX_ATTACHMENTS = 10


def _required(value, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("This field is required.")})
    return text


def _objection_url(objection) -> str:
    return page_link("notices:detail", objection.pk)


def objection_file(
    *,
    user,
    run: RankingRun,
    subject: str,
    claimed_value: str,
    explanation: str,
    record: AnnualData | None = None,
    files=(),
) -> Objection:
    """A company user files an objection to its company's result in `run`, while the run's
    notice period is open. County staff of the company's region and city staff are told."""
    scope = scope_of(user)
    if scope.role not in FILE_ROLES or scope.company_id is None:
        raise PermissionDenied(_("Only a company's own users may file an objection."))
    if not notice_open(run):
        raise ValidationError(
            {"run": _("The public notice of this result has ended; no objections are taken.")}
        )
    if not CompanyScore.objects.filter(run=run, company_id=scope.company_id).exists():
        raise ValidationError({"run": _("This published ranking holds no result of yours.")})
    if subject not in {str(value) for value, _label in subject_choices()}:
        raise ValidationError({"subject": _("Choose the record or figure concerned.")})
    claimed_value = _required(claimed_value, "claimed_value")
    explanation = _required(explanation, "explanation")
    if record is not None and (record.company_id != scope.company_id or record.year != run.year):
        raise ValidationError({"record": _("Choose your own annual data of the ranked year.")})
    if record is None and subject != OTHER_SUBJECT:
        record = AnnualData.objects.filter(
            company_id=scope.company_id, year=run.year, voided_at__isnull=True
        ).first()
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"files": _("At most %(n)s files per objection.") % {"n": MAX_ATTACHMENTS}}
        )
    kinds = [upload_kind(f, field="files") for f in files]  # every file checked before a write
    with transaction.atomic():
        objection = Objection.objects.create(
            company_id=scope.company_id,
            run=run,
            subject=subject,
            record=record,
            claimed_value=claimed_value[:200],
            explanation=explanation,
            filed_by=user,
        )
        for uploaded, kind in zip(files, kinds, strict=True):
            _attach(objection, uploaded, kind, user)
        staff = staff_of_region(objection.company.region_id)
        notify(
            user_ids=staff.values_list("pk", flat=True),
            message=gettext_noop(
                "%(company)s filed objection no. %(number)s to the %(year)s result."
            ),
            params={"company": objection.company.name, "number": objection.pk, "year": run.year},
            url=_objection_url(objection),
            key=f"objection-filed:{objection.pk}",
        )
    return objection


def _attach(objection, uploaded, kind, user) -> ObjectionAttachment:
    attachment = ObjectionAttachment(
        objection=objection,
        original_name=display_name(uploaded.name),
        kind=kind,
        size=uploaded.size,
        uploaded_by=user,
    )
    # The stored name is made up; the uploader's name is only shown (see core.uploads).
    attachment.file.save(stored_name(f"objections/{objection.pk}", kind), uploaded, save=False)
    attachment.save()
    return attachment


def _editable(objection: Objection, user) -> Objection:
    """The objection re-read with a row lock, if `user` may work on it (their region)."""
    row = Objection.objects.editable_by(user).select_for_update().filter(pk=objection.pk).first()
    if row is None:
        raise PermissionDenied(_("You may not work on this objection."))
    return row


def _check_step(objection: Objection, name: str, user) -> None:
    """A wrong role is refused (403) whatever the state; a right role at the wrong state
    gets a message naming the state (400). django-fsm then checks both again."""
    if scope_of(user).role not in STEPS[name].roles:
        raise PermissionDenied(_("Your role may not take this step."))
    method = getattr(objection, name)
    if not can_proceed(method):
        raise ValidationError(
            {
                "state": _("This objection is %(state)s; that step is no longer open.")
                % {"state": objection.get_state_display()}
            }
        )
    if not has_transition_perm(method, user):
        raise PermissionDenied(_("Your role may not take this step."))


def objection_remark(*, objection: Objection, user, opinion: str, text: str) -> Objection:
    """County staff of the company's region add their review remark (supported or not)."""
    if opinion not in CountyOpinion.values:
        raise ValidationError({"opinion": _("Choose whether the county supports it.")})
    text = _required(text, "remark")
    with transaction.atomic():
        row = _editable(objection, user)
        _check_step(row, "remark", user)
        row.remark(user=user, opinion=opinion, text=text)
        row.save()
    return row


def objection_reject(*, objection: Objection, user, reason: str) -> Objection:
    """City staff reject an objection with a reason; the company's users are told."""
    reason = _required(reason, "reason")
    with transaction.atomic():
        row = _editable(objection, user)
        _check_step(row, "reject", user)
        row.reject(user=user, reason=reason)
        row.save()
        _tell_company(row)
    return row


def objections_uphold(*, objections, user, reason: str) -> RankingRun:
    """City staff uphold objections of one year: the records were corrected through their
    normal edit pages first; this publishes the correction run (rankings_publish), whose
    reason names the objections, and marks them upheld. Nothing is written if the correction
    cannot be published (e.g. the year is still being recomputed)."""
    if scope_of(user).role not in CITY_WIDE_ROLES:
        raise PermissionDenied(_("Your role may not take this step."))
    reason = _required(reason, "reason")
    objections = list(objections)
    if not objections:
        raise ValidationError({"objections": _("Choose the objections to uphold.")})
    years = {o.run.year for o in objections}
    if len(years) != 1:
        raise ValidationError({"objections": _("Uphold objections of one year at a time.")})
    with transaction.atomic():
        rows = [_editable(o, user) for o in objections]
        for row in rows:
            _check_step(row, "uphold", user)
            _check_corrected(row)
        numbers = "、".join(str(row.pk) for row in sorted(rows, key=lambda r: r.pk))
        run_reason = _("Correction after upheld objections no. %(numbers)s: %(reason)s") % {
            "numbers": numbers,
            "reason": reason,
        }
        correction = rankings_publish(year=years.pop(), user=user, reason=run_reason)
        for row in rows:
            row.uphold(user=user, reason=reason, correction_run=correction)
            row.save()
            _tell_company(row)
    return correction


# What of a company's result an upheld objection to "another record" must have moved.
RESULT_SIGNATURE = ("rated", "not_rated_reason", "size_class", "total", "grade")


def _check_corrected(objection: Objection) -> None:
    """Upholding publishes a correction run that tells the company its result is corrected:
    refused while nothing was corrected. An objection to a figure needs the company's annual
    data of the year changed since the objected run was computed (edited, or voided and
    entered again). One to another record (a certificate, a project…) or to the rank itself
    names no row to look at: it needs the company's result in the year's current run to
    differ from the objected one."""
    run = objection.run
    if objection.subject != OTHER_SUBJECT:
        since = run.started_at
        corrected = (
            AnnualData.objects.filter(company_id=objection.company_id, year=run.year)
            .filter(Q(created_at__gt=since) | Q(updated_at__gt=since) | Q(voided_at__gt=since))
            .exists()
        )
    else:
        current = run_current(year=run.year)
        before, after = (
            CompanyScore.objects.filter(run=r, company_id=objection.company_id)
            .values(*RESULT_SIGNATURE)
            .first()
            for r in (run, current)
        )
        corrected = current is not None and current.pk != run.pk and before != after
    if not corrected:
        raise ValidationError(
            {
                "objections": _(
                    "Objection no. %(number)s: nothing of %(company)s's %(year)s record or "
                    "result has changed since the published ranking. Correct the record "
                    "first (the objection's page links to it), then uphold."
                )
                % {"number": objection.pk, "company": objection.company, "year": run.year}
            }
        )


def _tell_company(objection: Objection) -> None:
    users = company_users([objection.company_id])
    message = (
        gettext_noop("The city upheld your objection no. %(number)s; the result is corrected.")
        if objection.state == ObjectionState.UPHELD
        else gettext_noop("The city rejected your objection no. %(number)s; see the reason.")
    )
    notify(
        user_ids=users.values_list("pk", flat=True),
        message=message,
        params={"number": objection.pk},
        url=_objection_url(objection),
        key=f"objection-decided:{objection.pk}",
    )
