"""Celery tasks of the platform: thin wrappers over core services."""

from celery import shared_task

from core import notifications


@shared_task(ignore_result=True)
def email_notifications() -> None:
    """After new notifications are committed, and every few minutes (beat) as a sweep: mail
    the ones not mailed yet (core.notifications.notifications_email)."""
    notifications.notifications_email()
