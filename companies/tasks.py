"""Celery tasks of the companies app: thin wrappers over companies.services."""

from celery import shared_task

from companies import reminders, services


@shared_task(ignore_result=True)
def suspend_missed_audits() -> None:
    """Nightly (beat): suspend certificates whose surveillance audit was missed."""
    services.certifications_suspend_missed_audits()


@shared_task(ignore_result=True)
def send_certificate_expiry_reminders() -> None:
    """Daily (beat): certificates expiring within 90 days, to the company and its county."""
    reminders.certificate_expiry_reminders_send()
