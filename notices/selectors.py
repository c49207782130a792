"""Reads of the notice period: which run is a year's official result, whether its notice is
open, and what the portal shows of it. Pages, API and services call these."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core.scoping import scope_of
from rankings.choices import EvaluationScope, RunKind
from rankings.models import RankingRun


def official_run(year: int) -> RankingRun | None:
    """The official result of a year: its latest published run (RANKING.md part 2)."""
    return RankingRun.objects.published().filter(year=year).order_by("-started_at", "-id").first()


def notice_open(run: RankingRun, today=None) -> bool:
    """Whether objections may be filed against `run`: it is its year's official result and
    its notice period (公示) has not ended; the last day counts."""
    if run.kind != RunKind.PUBLISHED or not run.notice_is_open(today):
        return False
    latest = official_run(run.year)
    return latest is not None and latest.pk == run.pk


def objectionable_runs(company_id: int, today=None):
    """The published runs a company may object to now: official, in notice, with a result
    (a score row, rated or not) for the company."""
    today = today or timezone.localdate()
    runs = RankingRun.objects.published().filter(
        notice_ends_on__gte=today, scores__company_id=company_id
    )
    return [run for run in runs.order_by("-year") if notice_open(run, today)]


def steps_for(objection, user) -> list[str]:
    """The workflow steps (notices/workflow.py) `user` may take on `objection` now: its role
    is among the step's, the objection is in the step's source state, and it lies in the
    user's region (the scoping's own rule, `Scope.may_write_in_region`)."""
    from notices.workflow import STEPS

    scope = scope_of(user)
    if not scope.may_write_in_region(objection.company.region_id):
        return []
    return [
        name
        for name, step in STEPS.items()
        if scope.role in step.roles and objection.state in step.source
    ]


def official_runs_by_year() -> dict[int, RankingRun]:
    """Each published year's official result (its latest published run)."""
    official: dict[int, RankingRun] = {}
    for run in RankingRun.objects.published().order_by("year", "started_at", "id"):
        official[run.year] = run  # later runs of the year replace earlier ones
    return official


def notice_state_label(run: RankingRun, today=None) -> str:
    """How a published result reads to a company: on notice until <date>, or final."""
    if run.notice_is_open(today):
        return _("On public notice (公示中) until %(date)s") % {
            "date": run.notice_ends_on.isoformat()
        }
    return _("Published and final (已公示)")


@dataclass
class OfficialResult:
    """A company's official result of one year, with the rank the grading used (the city
    rank, or the region rank in region scope) and its movement since the previous published
    year (positive: moved up; None when not comparable)."""

    year: int
    run: RankingRun
    score: object
    rank: int | None
    movement: int | None
    state_label: str

    @property
    def places(self) -> int | None:
        """How many places the rank moved, either way."""
        return abs(self.movement) if self.movement is not None else None


def company_official_results(*, user, company_id: int) -> list[OfficialResult]:
    """The company's official result of every published year, newest first."""
    from rankings.models import CompanyScore

    runs = official_runs_by_year()
    scores = (
        CompanyScore.objects.visible_to(user)
        .filter(company_id=company_id, run_id__in=[run.pk for run in runs.values()])
        .select_related("run", "run__scheme", "region", "industry")
        .order_by("run__year")
    )
    results, previous = [], None
    for score in scores:
        region_scope = score.run.evaluation_scope == EvaluationScope.REGION
        rank = score.region_rank if region_scope else score.city_rank
        movement = None
        if (
            rank is not None
            and previous is not None
            and previous.rank is not None
            and previous.score.size_class == score.size_class
        ):
            movement = previous.rank - rank
        result = OfficialResult(
            year=score.run.year,
            run=score.run,
            score=score,
            rank=rank,
            movement=movement,
            state_label=notice_state_label(score.run),
        )
        results.append(result)
        previous = result
    return list(reversed(results))
