"""Who may have which official document, decided once for the pages (and anything else
that serves them).

- The public notice of a published run: staff (administrators, city and county staff), and a
  company user whose company has a result in that run (rated or not).
- The notice package (the notice and the result lists): staff only; county staff get their
  region's lists (the lists they post in their region), city-wide roles the whole city's.
- A company's result letter: whoever may see that score row's details
  (`rankings.models.scores.score_details_visible`): city-wide roles any, county staff their
  region's companies, a company user its own. County staff asking for another region's letter
  get the product's "other region" answer (403); anyone else 404, so a company never learns
  whether another company's letter exists.
"""

from __future__ import annotations

from django.http import Http404

from core.roles import STAFF_ROLES, Role
from core.scoping import scope_of
from core.views import RecordInOtherRegion
from rankings.choices import EvaluationScope, RunKind
from rankings.models import CompanyScore, RankingRun
from rankings.models.scores import score_details_visible


def published_run(pk: int) -> RankingRun:
    run = (
        RankingRun.objects.published().select_related("scheme", "supersedes").filter(pk=pk).first()
    )
    if run is None:
        raise Http404
    return run


def notice_run(user, pk: int) -> RankingRun:
    """The published run `pk` if `user` may read its public notice, else 404."""
    scope = scope_of(user)
    run = published_run(pk)
    if scope.role in STAFF_ROLES:
        return run
    if CompanyScore.objects.visible_to(user).filter(run=run).exists():
        return run
    raise Http404


def package_scores(user, run: RankingRun):
    """The rated score rows the notice package lists for `user`, in the order of the list."""
    scope = scope_of(user)
    if scope.role not in STAFF_ROLES:
        raise Http404
    rows = CompanyScore.objects.visible_to(user).filter(run=run, rated=True)
    if scope.role == Role.COUNTY:
        rows = rows.filter(region_id=scope.region_id)
    if run.evaluation_scope == EvaluationScope.REGION:
        # Each region was ranked on its own: its list comes in one piece.
        return rows.order_by("region__sort_order", "position", "id")
    return rows.order_by("position", "id")


def letter_score(user, run_pk: int, company_pk: int) -> CompanyScore:
    """The score row a result letter is written from, if `user` may have the letter."""
    score = (
        CompanyScore.objects.visible_to(user)
        .filter(run_id=run_pk, run__kind=RunKind.PUBLISHED, company_id=company_pk)
        .select_related("run", "run__scheme", "run__supersedes", "region", "industry")
        .first()
    )
    if score is None:
        raise Http404
    if not score_details_visible(user, score.region_id):
        if scope_of(user).role == Role.COUNTY:
            raise RecordInOtherRegion
        raise Http404
    return score
