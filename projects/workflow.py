"""The key-project lifecycle (SPEC.md) as one role-bound transition table.

The company declares a project (申报: creating it in status "declared"); the county does the
preliminary review (县级初审); the city approves it into the pool (入库), accepts it (验收)
or sends it to rectification, and alone reopens an accepted project. Starting, requesting
acceptance and cancelling an open project are the record keepers' (county or city). The
administrator may take every step. `KeyProject` declares one django-fsm method per step
(core.workflow.fsm_step); pages, the API and the admin offer `steps_for(project, user)`.
"""

from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.workflow import Step
from projects.choices import UNDER_CONSTRUCTION
from projects.choices import ProjectStatus as S

ADMIN, CITY, COUNTY = Role.ADMIN, Role.CITY, Role.COUNTY
_OPEN = (
    S.DECLARED,
    S.COUNTY_REVIEWED,
    S.APPROVED,
    S.IN_PROGRESS,
    S.ACCEPTANCE_REQUESTED,
    S.RECTIFICATION,
)

REVIEW = Step("review", (S.DECLARED,), S.COUNTY_REVIEWED, (ADMIN, COUNTY), _("Preliminary review"))
APPROVE = Step(
    "approve", (S.COUNTY_REVIEWED,), S.APPROVED, (ADMIN, CITY), _("Approve into the pool")
)
START = Step("start", (S.APPROVED,), S.IN_PROGRESS, (ADMIN, CITY, COUNTY), _("Start construction"))
REQUEST_ACCEPTANCE = Step(
    "request_acceptance",
    (S.IN_PROGRESS, S.RECTIFICATION),
    S.ACCEPTANCE_REQUESTED,
    (ADMIN, CITY, COUNTY),
    _("Request acceptance"),
)
ACCEPT = Step("accept", (S.ACCEPTANCE_REQUESTED,), S.ACCEPTED, (ADMIN, CITY), _("Accept"))
RECTIFY = Step(
    "rectify", (S.ACCEPTANCE_REQUESTED,), S.RECTIFICATION, (ADMIN, CITY), _("Order rectification")
)
CANCEL = Step("cancel", _OPEN, S.CANCELLED, (ADMIN, CITY, COUNTY), _("Cancel"))
# Undoes an acceptance, which counts in the city's ranking: city only, with a reason; the
# project returns to the status it was accepted from (projects.services.reopen_target).
REOPEN = Step(
    "reopen",
    (S.ACCEPTED,),
    S.ACCEPTANCE_REQUESTED,
    (ADMIN, CITY),
    _("Reopen"),
    needs_comment=True,
    other_targets=tuple(s for s in _OPEN if s != S.ACCEPTANCE_REQUESTED),
)

# What the city's acceptance decides and the ranking counts (RANKING.md, block S): on an
# accepted project only the roles that may accept it change these.
ACCEPTANCE_FIELDS = ("accepted_on", "kind", "level")

PROJECT_STEPS = (REVIEW, APPROVE, START, REQUEST_ACCEPTANCE, ACCEPT, RECTIFY, CANCEL, REOPEN)
# Who may declare a new project (create it in status "declared").
DECLARING_ROLES = (ADMIN, CITY, COUNTY, Role.COMPANY)

# SPEC.md's lifecycle: the only moves a project's status may make (reopening aside), whoever
# makes them; derived from the table.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    status: tuple(
        step.target for step in PROJECT_STEPS if step is not REOPEN and status in step.sources
    )
    for status in S.values
}


def takes_progress_reports(status: str) -> bool:
    """Whether a project in `status` takes a new progress report: only while its work is
    under way (projects.choices.UNDER_CONSTRUCTION)."""
    return status in UNDER_CONSTRUCTION
