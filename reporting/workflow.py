"""A submission's lifecycle as one role-bound transition table (core.workflow, django-fsm-2).

not started → draft → submitted → returned by the county / accepted by the county →
returned by the city / confirmed by the city. The company writes and submits (again after a
return); the county accepts or returns with a comment naming the figures concerned; the
city confirms (the figures then go to the company's annual data and are locked) or returns.
The administrator may take every step. Pages, the API and the admin offer
`steps_for(submission, user)`; `reporting.services.submission_step` takes them.
"""

from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.workflow import Step
from reporting.choices import SubmissionState as S

ADMIN, CITY, COUNTY, COMPANY = Role.ADMIN, Role.CITY, Role.COUNTY, Role.COMPANY

# States in which the company may still change its figures and evidence.
EDITABLE = (S.NOT_STARTED, S.DRAFT, S.COUNTY_RETURNED, S.CITY_RETURNED)
# States that still wait for the company (overdue once the deadline has passed).
WAITING_FOR_COMPANY = EDITABLE

START = Step("start", (S.NOT_STARTED,), S.DRAFT, (ADMIN, COMPANY), _("Save a draft"))
SUBMIT = Step("submit", EDITABLE, S.SUBMITTED, (ADMIN, COMPANY), _("Submit"))
COUNTY_ACCEPT = Step(
    "county_accept", (S.SUBMITTED,), S.COUNTY_ACCEPTED, (ADMIN, COUNTY), _("Accept")
)
COUNTY_RETURN = Step(
    "county_return",
    (S.SUBMITTED,),
    S.COUNTY_RETURNED,
    (ADMIN, COUNTY),
    _("Return to the company"),
    needs_comment=True,
)
CITY_CONFIRM = Step("city_confirm", (S.COUNTY_ACCEPTED,), S.CONFIRMED, (ADMIN, CITY), _("Confirm"))
CITY_RETURN = Step(
    "city_return",
    (S.COUNTY_ACCEPTED,),
    S.CITY_RETURNED,
    (ADMIN, CITY),
    _("Return to the company"),
    needs_comment=True,
)

SUBMISSION_STEPS = (START, SUBMIT, COUNTY_ACCEPT, COUNTY_RETURN, CITY_CONFIRM, CITY_RETURN)
STEPS_BY_ACTION = {step.action: step for step in SUBMISSION_STEPS}
# The step names as API choices (one enum in the OpenAPI schema).
STEP_CHOICES = [(step.action, step.label) for step in SUBMISSION_STEPS]
