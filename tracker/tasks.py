"""Celery tasks of the site: thin wrappers over tracker.figures."""

from celery import shared_task

from tracker import figures


@shared_task(acks_late=True, ignore_result=True)
def store_figures(run_id: int) -> None:
    """Store the dashboard's figures of a provisional run (sent when the run is committed)."""
    figures.store_run_figures(run_id=int(run_id))


@shared_task(ignore_result=True)
def sweep_figures() -> None:
    """Every minute (beat): re-send the figures tasks of runs whose figures never came."""
    figures.enqueue_missing_figures()
