"""The objection workflow (RANKING.md part 2, "Notice period and objections"), written once.

| step    | from                | to       | who                                   |
|---------|---------------------|----------|---------------------------------------|
| file    | (new)               | filed    | a user of the company, in the notice period of its published result |
| remark  | filed               | remarked | county staff of the company's region (administrators too) |
| uphold  | filed, remarked     | upheld   | city staff, administrators           |
| reject  | filed, remarked     | rejected | city staff, administrators           |

The model's django-fsm transitions take their source, target and roles from STEPS; the web
buttons, the API actions and the admin offer a step only when `may_step` says so. The city
may decide without a county remark (a county that does not answer must not hold the
decision up); the remark is shown whenever there is one. Region limits come from the
scoping (`editable_by`): county staff reach only their own region's objections.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.roles import CITY_WIDE_ROLES, Role
from core.scoping import scope_of
from notices.choices import ObjectionState as S


@dataclass(frozen=True)
class Step:
    name: str
    source: tuple[str, ...]
    target: str
    roles: tuple[str, ...]


STEPS = {
    step.name: step
    for step in (
        Step("remark", (S.FILED,), S.REMARKED, (Role.COUNTY, Role.ADMIN)),
        Step("uphold", (S.FILED, S.REMARKED), S.UPHELD, CITY_WIDE_ROLES),
        Step("reject", (S.FILED, S.REMARKED), S.REJECTED, CITY_WIDE_ROLES),
    )
}
# Filing creates the row; it is no transition of an existing one.
FILE_ROLES = (Role.COMPANY,)


def role_may(step_name: str):
    """The django-fsm permission callable of a step: the user's role is among the step's."""
    roles = STEPS[step_name].roles

    def check(instance, user) -> bool:
        return scope_of(user).role in roles

    return check
