"""Celery tasks of the projects app: thin wrappers over projects' services (beat)."""

from celery import shared_task

from projects import reminders


@shared_task(ignore_result=True)
def send_lagging_project_reminders() -> None:
    """Weekly: county staff hear how many key projects of their region are lagging."""
    reminders.lagging_project_reminders_send()
