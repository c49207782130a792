"""Small includes other pages carry (the dashboard, the portal) without their views knowing
the reporting app: each tag reads through reporting.selectors for the signed-in user."""

from django import template

from core.roles import Role
from core.scoping import scope_of
from projects.workflow import takes_progress_reports
from reporting import selectors
from reporting.views.portal import own_submission

register = template.Library()


@register.inclusion_tag("reporting/_dashboard_campaign.html", takes_context=True)
def dashboard_campaign(context):
    """The latest campaign's progress for staff: states, overdue, waiting for review."""
    user = context["request"].user
    if scope_of(user).role in (None, Role.COMPANY):
        return {"summary": None}
    return {"summary": selectors.dashboard_summary(user)}


@register.inclusion_tag("reporting/_portal_cycle.html", takes_context=True)
def portal_cycle(context):
    """The company's annual report for the campaign year, and its project links."""
    user = context["request"].user
    # Progress is reported on projects whose work is under way.
    building = [p for p in context.get("projects", []) if takes_progress_reports(p.status)]
    return {"submission": own_submission(user), "projects": building}
