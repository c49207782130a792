"""Celery tasks of the companies app: thin wrappers over companies.services."""

from celery import shared_task

from companies import services


@shared_task(ignore_result=True)
def suspend_missed_audits() -> None:
    """Nightly (beat): suspend certificates whose surveillance audit was missed."""
    services.certifications_suspend_missed_audits()
