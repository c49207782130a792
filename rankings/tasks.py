"""Celery tasks: thin wrappers over rankings.services. Enqueued on commit by the services."""

import datetime

from celery import shared_task

from rankings import services


@shared_task(acks_late=True, ignore_result=True)
def recompute_year(year: int) -> None:
    """Bring the provisional ranking of `year` up to date (coalesced; see services). In
    process (no broker) the task runs inside the request that saved, so it does not wait
    for a quiet period there."""
    eager = recompute_year.app.conf.task_always_eager
    quiet = datetime.timedelta(0) if eager else services.QUIET_PERIOD
    services.rankings_process_dirty(year=int(year), quiet_period=quiet)


@shared_task(ignore_result=True)
def sweep_dirty_years() -> None:
    """Every minute (beat): re-send recomputes that never reached, or fell out of, the queue."""
    services.rankings_sweep()


@shared_task(ignore_result=True)
def recompute_all_years() -> None:
    """Nightly (beat): recompute every year, whatever the markers say."""
    services.rankings_recompute_all()
