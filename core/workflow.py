"""Role-bound workflows: one transition table per workflow, carried out by django-fsm-2.

A workflow (a key project's lifecycle, a reporting submission, later an objection) is a
table of `Step`s: the action's name, the states it leaves from, the state it reaches, and
the roles that may take it. The model declares one method per step with `fsm_step(step)`
(django-fsm's `@transition`, its permission being the step's roles), so:

- `steps_for(instance, user)` — what the page buttons, the API's `allowed_*` field and the
  admin offer — is django-fsm's "available transitions for this user";
- the service that performs a step asks `may_take(instance, step, user)` and then calls the
  model method, which refuses a move from any other state (TransitionNotAllowed).

The table lives once (projects/workflow.py, reporting/workflow.py); every surface asks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django_fsm import (
    RETURN_VALUE,
    get_available_FIELD_transitions,
    get_available_user_FIELD_transitions,
    transition,
)

from core.scoping import scope_of


@dataclass(frozen=True)
class Step:
    """One move of a workflow: `action` from any of `sources` to `target`, by `roles`."""

    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str = ""
    # A step that must say why (a return, a reopening) refuses an empty comment.
    needs_comment: bool = False
    # Further states the step may reach, chosen by the service (reopening returns a project
    # to the state it was accepted from).
    other_targets: tuple[str, ...] = field(default=())

    def allows_role(self, user) -> bool:
        return scope_of(user).role in self.roles


def _permission(step: Step):
    return lambda instance, user: step.allows_role(user)


def fsm_step(step: Step, *, field_name: str = "status"):
    """The django-fsm `@transition` of `step`: its sources, target and roles. The decorated
    method may return the target when the step has `other_targets`."""
    target = RETURN_VALUE(step.target, *step.other_targets) if step.other_targets else step.target
    return transition(
        field=field_name,
        source=list(step.sources),
        target=target,
        permission=_permission(step),
        custom={"step": step},
    )


def steps_for(instance, user, *, field_name: str = "status") -> list[Step]:
    """The steps `user` may take on `instance` now: the state allows them and the role is
    named for them in the table. `None` is the system (commands, the demo loader): every
    step the state allows."""
    model_field = type(instance)._meta.get_field(field_name)
    if user is None:
        available = get_available_FIELD_transitions(instance, model_field)
    else:
        available = get_available_user_FIELD_transitions(instance, user, model_field)
    return [t.custom["step"] for t in available if "step" in t.custom]


def step_named(steps: Iterable[Step], action: str) -> Step | None:
    return next((s for s in steps if s.action == action), None)
