"""Writes of the rankings app: recompute a year, mark years dirty, process a dirty year,
publish a year, revise the scoring scheme.

How a change reaches the rankings:

1. A change to an input (signals in `rankings.signals`, or an explicit
   `rankings_mark_dirty(years=…)` from bulk paths) upserts a `DirtyYear` row in the same
   transaction, bumping its generation.
2. On commit, `_enqueue_years` sends `rankings.tasks.recompute_year` — unless a task for the
   year already waits in the queue or is running (a running task notices the new generation
   and runs again). A dead broker never fails the save: the error is logged, the marker
   stays, and the beat sweep re-sends it within a minute.
3. The task calls `rankings_process_dirty`, which recomputes until the generation it started
   from is still the current one, then removes the marker.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterable
from weakref import WeakKeyDictionary

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models.annual import MAX_YEAR, MIN_YEAR
from core.scoping import can_publish_rankings
from rankings.choices import RunKind, RunStatus, SizeClass
from rankings.events import run_written
from rankings.models import (
    LEAGUE_MODELS,
    CompanyScore,
    DirtyYear,
    RankingRun,
    RunBaseline,
    ScoringScheme,
)
from rankings.sql import compute, storage
from reporting.selectors import campaign_coverage

logger = logging.getLogger(__name__)

# Advisory-lock namespace (PostgreSQL): (namespace, year) serialises recomputes of a year.
LOCK_NAMESPACE = 7_301_914
# A task that has waited this long in the queue, or has been "running" this long, is assumed
# lost (broker flushed, worker killed) and the sweep sends another.
QUEUED_STALE_AFTER = datetime.timedelta(minutes=2)
RUNNING_STALE_AFTER = datetime.timedelta(minutes=15)
MAX_ROUNDS_PER_TASK = 5
# The public notice (公示) period a publisher may choose, in days.
NOTICE_DAYS_MIN, NOTICE_DAYS_MAX = 1, 60
# A worker waits until a year has been quiet this long before computing it, so a burst of
# edits (an import, a user saving row after row) is computed once, not once per edit.
QUIET_PERIOD = datetime.timedelta(milliseconds=300)


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {
                "year": _("The year must be a whole number between %(min)s and %(max)s.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            }
        )
    return year


def active_scheme() -> ScoringScheme:
    """The active scheme. With no scheme at all (a database flushed after its migrations ran),
    RANKING.md's defaults are recreated as version 1, as the data migration does."""
    scheme = ScoringScheme.objects.filter(active=True).first()
    if scheme is None and not ScoringScheme.objects.exists():
        scheme = ScoringScheme.objects.create(
            active=True, name="RANKING.md defaults (亩均论英雄 + smart manufacturing)"
        )
    if scheme is None:
        raise ValidationError(
            {"scheme": _("There is no active scoring scheme; activate one in the admin.")}
        )
    return scheme


def _lock_year(year: int) -> None:
    """Serialise work on one year. PostgreSQL: a transaction-scoped advisory lock. SQLite has a
    single writer, and the first write below takes it, so nothing more is needed there."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, year])


def _delete_run_rows(run_id: int) -> None:
    """Raw deletes: the ORM's cascade would load every score row into memory first. The score
    rows go with their run's own table (rankings.sql.storage)."""
    storage.drop(run_id)
    _delete_run_records(run_id)


def _delete_run_records(run_id: int) -> None:
    """The run, its league lines and baselines (not its score rows)."""
    with connection.cursor() as cursor:
        for model in (*LEAGUE_MODELS, RunBaseline):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE run_id = %s", [run_id])
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(RankingRun._meta.db_table)} WHERE id = %s",
            [run_id],
        )


def rankings_recompute(*, year: int) -> RankingRun:
    """Compute the provisional ranking of `year` (RANKING.md) and make it the current one.

    One transaction: the new run's rows are built with INSERT … SELECT (see
    `rankings.sql.compute`), the previous provisional run of the year is dropped, and the
    switch becomes visible at commit — until then readers see the previous result."""
    year = _check_year(year)
    with transaction.atomic(), compute.tuned():
        _lock_year(year)
        started = timezone.now()
        scheme = active_scheme()
        params = compute.YearParameters.from_scheme(scheme, year)
        with compute.rated_set(params):
            run = _write_run(year=year, scheme=scheme, params=params, started=started)
    # Right after the run's own transaction, so the ranks are visible without waiting for
    # the figures computed from them.
    run_written.send(sender=RankingRun, run=run)
    return run


def _write_run(*, year: int, scheme: ScoringScheme, params, started) -> RankingRun:
    """The new provisional run of `year` and its rows, replacing the previous one; inside
    `rankings_recompute`'s transaction and its `compute.rated_set`."""
    populations = compute.baselines_for(params)
    old_ids = list(RankingRun.objects.provisional().filter(year=year).values_list("id", flat=True))
    for old_id in old_ids:  # a year has one provisional run: the old one goes first
        _delete_run_records(old_id)
    # The run's own baseline fields are the 规上 class over the city (part 1's); in
    # region scope there is no city population and they stay empty.
    city_above = next(
        (p for p in populations if p.size_class == SizeClass.ABOVE and p.region_id is None),
        None,
    )
    run = RankingRun.objects.create(
        year=year,
        kind=RunKind.PROVISIONAL,
        status=RunStatus.RUNNING,
        scheme=scheme,
        scheme_version=scheme.version,
        evaluation_scope=scheme.evaluation_scope,
        started_at=started,
        rated_count=sum(p.rated_count for p in populations if p.size_class == SizeClass.ABOVE),
        rated_count_below=sum(
            p.rated_count for p in populations if p.size_class == SizeClass.BELOW
        ),
        **{
            f"baseline_{key}": city_above.values[key] if city_above else None
            for key in RUN_BASELINE_KEYS
        },
    )
    RunBaseline.objects.bulk_create(
        [_baseline_row(run, population, params) for population in populations]
    )
    storage.create(run.pk)
    compute.insert_rated(run_id=run.pk, params=params)
    compute.insert_not_rated(run_id=run.pk, params=params)
    compute.insert_league(run_id=run.pk, year=year)
    storage.seal(run.pk)
    # The previous run's score rows go once the new run's are in place.
    for old_id in old_ids:
        storage.drop(old_id)
    run.status = RunStatus.COMPLETE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


# The baselines a run records on itself (part 1's: block E's six and the robot density).
RUN_BASELINE_KEYS = tuple(
    field.name.removeprefix("baseline_")
    for field in RankingRun._meta.concrete_fields
    if field.name.startswith("baseline_")
)


def _baseline_row(run, population, params) -> RunBaseline:
    cut_a, cut_b, cut_c = params.cutoffs(population.rated_count, population.size_class)
    return RunBaseline(
        run=run,
        size_class=population.size_class,
        region_id=population.region_id,
        rated_count=population.rated_count,
        cutoff_a=cut_a,
        cutoff_b=cut_b,
        cutoff_c=cut_c,
        **{f"baseline_{key}": value for key, value in population.values.items()},
    )


# --- dirty years -------------------------------------------------------------------------


def _upsert_dirty(years: list[int], reason: str) -> None:
    table = connection.ops.quote_name(DirtyYear._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        for year in years:  # sorted: concurrent markers lock rows in the same order
            cursor.execute(
                f"""INSERT INTO {table} (year, generation, requested_at, reason, last_error)
                VALUES (%s, 1, %s, %s, '')
                ON CONFLICT (year) DO UPDATE SET generation = {table}.generation + 1,
                  requested_at = excluded.requested_at, reason = excluded.reason""",
                [year, now, reason[:200]],
            )


def rankings_mark_dirty(*, years: Iterable[int], reason: str = "") -> list[int]:
    """Mark `years` as needing a recompute, durably and in the caller's transaction, and ask
    for the recompute when that transaction commits. Call it after bulk writes that skip
    signals (bulk_create, queryset.update, imports). Returns the years marked."""
    cleaned = sorted({_check_year(int(y)) for y in years if y is not None})
    if not cleaned:
        return []
    with transaction.atomic():
        _upsert_dirty(cleaned, reason)
        _schedule_enqueue(cleaned)
    return cleaned


def _schedule_enqueue(years: list[int]) -> None:
    """Ask for the recompute of `years` when the current transaction commits — once per
    transaction, however many rows it marks: the years gather in one `_PendingYears` per
    connection, every mark registers its `send` with on_commit, and the first to run sends
    them all and ends that set (the others do nothing); the next mark starts a new set.

    A rollback drops the callbacks without running them, so its years stay in the set and go
    with the next commit's. That sends nothing wrong: `_enqueue_years` sends only a year whose
    marker is still there (a rolled-back marker is gone) and has no task waiting — a year the
    sweep would send anyway."""
    current = connections[DEFAULT_DB_ALIAS]
    pending = _pending_by_connection.get(current)
    if pending is None or pending.done:
        pending = _pending_by_connection[current] = _PendingYears()
    pending.years.update(years)
    transaction.on_commit(pending.send)


class _PendingYears:
    """The years marked in a connection's open transaction, sent once on commit."""

    def __init__(self):
        self.years: set[int] = set()
        self.done = False

    def send(self):
        if self.done:
            return
        self.done = True
        _enqueue_years(sorted(self.years))


# Each connection's gathering set (see _schedule_enqueue); Django keeps one connection per
# thread, so threads never share a set. Weak, so an entry goes with its connection.
_pending_by_connection: WeakKeyDictionary = WeakKeyDictionary()


def _enqueue_years(years: Iterable[int], *, sweeping: bool = False) -> list[int]:
    """Send a recompute task for each dirty year that has none waiting or running.

    The right to send is claimed with a conditional UPDATE, so two committing edits never
    both send. A failure to send (broker down) is logged and kept on the marker; never raised."""
    from rankings.tasks import recompute_year

    sent = []
    for year in years:
        now = timezone.now()
        idle = Q(enqueued_at__isnull=True) & (
            Q(started_at__isnull=True) | Q(started_at__lt=now - RUNNING_STALE_AFTER)
        )
        if sweeping:
            idle |= Q(enqueued_at__lt=now - QUEUED_STALE_AFTER) & (
                Q(started_at__isnull=True) | Q(started_at__lt=now - RUNNING_STALE_AFTER)
            )
        claimed = DirtyYear.objects.filter(idle, year=year).update(enqueued_at=now)
        if not claimed:
            continue
        try:
            recompute_year.delay(year)
        except Exception as exc:  # noqa: BLE001 - any broker failure must not fail the save
            logger.warning("rankings: could not enqueue the recompute of %s: %s", year, exc)
            DirtyYear.objects.filter(year=year, enqueued_at=now).update(
                enqueued_at=None, last_error=f"{now:%Y-%m-%d %H:%M:%S} {exc}"[:1000]
            )
            continue
        sent.append(year)
    return sent


def rankings_sweep() -> list[int]:
    """Re-send recomputes of every dirty year whose task is missing: never sent (broker was
    down), lost from the queue, or stuck on a worker that died. Run by beat every minute."""
    years = list(DirtyYear.objects.values_list("year", flat=True))
    return _enqueue_years(years, sweeping=True)


def rankings_process_dirty(
    *, year: int, quiet_period: datetime.timedelta = QUIET_PERIOD
) -> RankingRun | None:
    """The work of one recompute task: recompute `year` until no change arrived meanwhile,
    then remove its dirty marker. Returns the last run made, or None when the year was clean.

    The first round starts at once: a lone edit is ranked without waiting. Changes that
    arrive while a round computes are a burst in progress, so each later round first waits
    for the year's last change to be `quiet_period` old (see `_wait_for_quiet`), and edits
    arriving in quick succession share one computation."""
    year = _check_year(year)
    run = None
    for round_number in range(MAX_ROUNDS_PER_TASK):
        if round_number:
            _wait_for_quiet(year, quiet_period)
        with transaction.atomic():
            marker = DirtyYear.objects.select_for_update().filter(year=year).first()
            if marker is None:
                return run
            generation = marker.generation
            # The queued message is consumed: later edits need not send another one, the
            # generation check below picks them up.
            DirtyYear.objects.filter(pk=marker.pk).update(
                started_at=timezone.now(), enqueued_at=None
            )
        try:
            run = rankings_recompute(year=year)
        except Exception:
            DirtyYear.objects.filter(year=year).update(started_at=None)
            raise
        with transaction.atomic():
            done = DirtyYear.objects.filter(year=year, generation=generation).delete()[0]
        if done:
            return run
    # Still changing after several rounds: hand over to a fresh task rather than hog a worker.
    DirtyYear.objects.filter(year=year).update(started_at=None)
    _enqueue_years([year])
    return run


def _wait_for_quiet(year: int, quiet_period: datetime.timedelta) -> None:
    """Wait until the year's last change is `quiet_period` old — but while changes keep
    coming (a burst), no longer than the year's last recompute took, so a burst costs about
    one recompute per two recompute-durations and a lone edit waits `quiet_period` at most."""
    if not quiet_period:
        return
    last = (
        RankingRun.objects.provisional()
        .filter(year=year, finished_at__isnull=False)
        .values_list("started_at", "finished_at")
        .first()
    )
    patience = max(quiet_period, (last[1] - last[0]) if last else quiet_period)
    give_up = timezone.now() + patience
    while True:
        requested_at = (
            DirtyYear.objects.filter(year=year).values_list("requested_at", flat=True).first()
        )
        now = timezone.now()
        if requested_at is None or requested_at + quiet_period <= now or now >= give_up:
            return
        time.sleep(min(requested_at + quiet_period, give_up).timestamp() - now.timestamp())


def years_with_data() -> list[int]:
    from companies.models import AnnualData

    return sorted(AnnualData.objects.live().values_list("year", flat=True).distinct())


def rankings_recompute_all() -> list[RankingRun]:
    """Nightly: recompute every year that has annual data, and drop provisional runs of years
    that no longer have any."""
    years = years_with_data()
    runs = [rankings_recompute(year=year) for year in years]
    for run_id in (
        RankingRun.objects.provisional().exclude(year__in=years).values_list("id", flat=True)
    ):
        with transaction.atomic():
            _delete_run_rows(run_id)
    return runs


def rankings_discard_run(*, year: int, user) -> None:
    """Discard the provisional run of a year that no longer has annual data (its rows were
    voided or a mistyped year was corrected), so no page or list offers that year. City staff
    and administrators only; refused while the year has data (the run is current, not
    stray) or once it has been published (a published run is the record)."""
    if not can_publish_rankings(user):
        raise PermissionDenied(_("Only city staff and administrators may discard a ranking."))
    year = _check_year(year)
    with transaction.atomic():
        _lock_year(year)
        if year in years_with_data():
            raise ValidationError(
                {
                    "year": _("%(year)s still has annual data; its ranking cannot be discarded.")
                    % {"year": year}
                }
            )
        if RankingRun.objects.published().filter(year=year).exists():
            raise ValidationError(
                {
                    "year": _("The %(year)s ranking has been published and cannot be discarded.")
                    % {"year": year}
                }
            )
        run_ids = list(
            RankingRun.objects.provisional().filter(year=year).values_list("id", flat=True)
        )
        if not run_ids:
            raise ValidationError(
                {"year": _("There is no computed ranking for %(year)s yet.") % {"year": year}}
            )
        for run_id in run_ids:
            _delete_run_rows(run_id)
        # A pending recompute would bring the run back.
        DirtyYear.objects.filter(year=year).delete()
    logger.info("provisional ranking of %s discarded by %s", year, user)


# --- publishing --------------------------------------------------------------------------


def rankings_publish(
    *,
    year: int,
    user,
    reason: str = "",
    notice_days: int | None = None,
    unconfirmed_acknowledged: int | None = None,
) -> RankingRun:
    """Freeze the provisional result of `year` as a published run and open the public
    notice (公示) for `notice_days` (NOTICE_DAYS_MIN to NOTICE_DAYS_MAX; by default the
    scheme's period). City staff and administrators only. A year that already has a
    published run needs a reason: the new run is a correction that supersedes the previous one.

    The first publication of a campaign year whose submissions are largely unconfirmed
    (reporting.selectors.CampaignCoverage.needs_acknowledgement) needs
    `unconfirmed_acknowledged`: the number of unconfirmed submissions the publisher saw on
    the confirmation page; if it has changed since, they are asked again."""
    if not can_publish_rankings(user):
        raise PermissionDenied(_("Only city staff and administrators may publish rankings."))
    year = _check_year(year)
    if notice_days is not None and not NOTICE_DAYS_MIN <= notice_days <= NOTICE_DAYS_MAX:
        raise ValidationError(
            {
                "notice_days": _("The public notice lasts %(min)s to %(max)s days.")
                % {"min": NOTICE_DAYS_MIN, "max": NOTICE_DAYS_MAX}
            }
        )
    reason = (reason or "").strip()
    with transaction.atomic():
        _lock_year(year)
        source = RankingRun.objects.provisional().filter(year=year).select_related("scheme").first()
        if source is None:
            raise ValidationError(
                {"year": _("There is no computed ranking for %(year)s yet.") % {"year": year}}
            )
        if DirtyYear.objects.filter(year=year).exists():
            raise ValidationError(
                {
                    "year": _(
                        "The ranking of %(year)s is being recomputed after recent changes; "
                        "publish again in a moment."
                    )
                    % {"year": year}
                }
            )
        previous = (
            RankingRun.objects.published().filter(year=year).order_by("-started_at", "-id").first()
        )
        if previous is not None and not reason:
            raise ValidationError(
                {
                    "reason": _(
                        "%(year)s has already been published; give the reason for the correction."
                    )
                    % {"year": year}
                }
            )
        if previous is None:
            _check_campaign_coverage(year, unconfirmed_acknowledged)
        now = timezone.now()
        run = RankingRun.objects.create(
            year=year,
            kind=RunKind.PUBLISHED,
            status=RunStatus.RUNNING,
            scheme=source.scheme,
            scheme_version=source.scheme_version,
            started_at=now,
            published_by=user,
            reason=reason,
            notice_ends_on=timezone.localdate()
            + datetime.timedelta(days=notice_days or source.scheme.notice_days),
            supersedes=previous,
            evaluation_scope=source.evaluation_scope,
            rated_count=source.rated_count,
            rated_count_below=source.rated_count_below,
            **{
                field.name: getattr(source, field.name)
                for field in RankingRun._meta.concrete_fields
                if field.name.startswith("baseline_")
            },
        )
        _copy_rows(source_id=source.pk, target_id=run.pk)
        run.status = RunStatus.COMPLETE
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
    return run


def _check_campaign_coverage(year: int, acknowledged: int | None) -> None:
    coverage = campaign_coverage(year=year)
    if coverage is None or not coverage.needs_acknowledgement:
        return
    if acknowledged == coverage.unconfirmed:
        return
    raise ValidationError(
        {
            "unconfirmed_acknowledged": _(
                "%(unconfirmed)s of the %(total)s submissions of the %(year)s campaign are not "
                "confirmed yet: the ranking rests on %(confirmed)s confirmed reports. Confirm "
                "more first, or acknowledge the number on the confirmation page to publish now."
            )
            % {
                "unconfirmed": coverage.unconfirmed,
                "total": coverage.total,
                "year": year,
                "confirmed": coverage.confirmed,
            }
        }
    )


def _copy_rows(*, source_id: int, target_id: int) -> None:
    """The source run's rows as the target run's; score rows into the target's own table."""
    storage.create(target_id)
    with connection.cursor() as cursor:
        for model in (CompanyScore, *LEAGUE_MODELS, RunBaseline):
            columns = [
                field.column
                for field in model._meta.concrete_fields
                if not field.primary_key and field.column != "run_id"
            ]
            cols = ", ".join(connection.ops.quote_name(c) for c in columns)
            source = connection.ops.quote_name(model._meta.db_table)
            target, id_column, id_value = source, "", ""
            if model is CompanyScore:
                target = storage.score_table(target_id)
                id_column, id_value = storage.id_column()
            cursor.execute(
                f"INSERT INTO {target} ({id_column}run_id, {cols}) "
                f"SELECT {id_value}%s, {cols} FROM {source} WHERE run_id = %s",
                [target_id, source_id],
            )
    storage.seal(target_id)


# --- scoring schemes ---------------------------------------------------------------------


def scheme_revise(*, scheme: ScoringScheme, user=None) -> ScoringScheme:
    """Save changes to a scheme. A scheme no run has used yet is saved in place; one that a
    run has used is left untouched and the changes become a new version (taking over the
    active flag), so every run stays explained by the version it records."""
    with transaction.atomic():
        if scheme.pk is None or not RankingRun.objects.filter(scheme_id=scheme.pk).exists():
            if scheme.pk is None and user is not None and getattr(user, "pk", None):
                scheme.created_by = user
            if scheme.active:
                ScoringScheme.objects.filter(active=True).exclude(pk=scheme.pk).update(active=False)
            scheme.full_clean(exclude=["version"])
            scheme.save()
            return scheme
        was_active = ScoringScheme.objects.filter(pk=scheme.pk, active=True).exists()
        make_active = scheme.active or was_active
        if make_active:
            ScoringScheme.objects.filter(active=True).update(active=False)
        scheme.pk = None
        scheme.id = None
        scheme._state.adding = True
        scheme.version = None
        scheme.active = make_active
        scheme.created_by = user if getattr(user, "pk", None) else None
        scheme.save()
        return scheme
