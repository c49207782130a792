"""Celery tasks of the reporting cycle: thin wrappers over reporting.reminders (beat)."""

from celery import shared_task

from reporting import reminders


@shared_task(ignore_result=True)
def send_deadline_reminders() -> None:
    """Daily: remind the companies that have not submitted, 7 days and 1 day before."""
    reminders.deadline_reminders_send()


@shared_task(ignore_result=True)
def send_county_digest() -> None:
    """Daily: each county's staff hear how many submissions wait for their review."""
    reminders.county_digest_send()
