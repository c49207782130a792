"""Celery tasks that run an import's dry run and its import for a job id.

With REDIS_URL set a worker runs them and the page polls the job's progress; without it
they run in-process (CELERY_TASK_ALWAYS_EAGER) inside the request that started them.
Whatever stops the work, the job ends failed with the reason: a page polling a job left
"checking" would wait for ever.
"""

from contextlib import contextmanager

from celery import shared_task
from django.contrib.auth import get_user_model

from tracker.imports.messages import Message, message_of
from tracker.imports.messages import Text as _
from tracker.imports.readers import ImportFileTooLarge
from tracker.imports.services import ImportNotAllowed, import_apply, import_check, import_fail
from tracker.models import ImportJob


@shared_task(ignore_result=True, acks_late=True)
def import_check_task(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    with _failing_job(job, _("The check failed unexpectedly; see the server log.")):
        import_check(job=job)


@shared_task(ignore_result=True, acks_late=True)
def import_apply_task(job_id: int, user_id: int, confirm_warnings: bool = False) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if job is None or user is None:
        return
    with _failing_job(job, _("The import failed unexpectedly; nothing was imported.")):
        try:
            import_apply(job=job, user=user, confirm_warnings=confirm_warnings)
        except ImportNotAllowed:
            return  # a repeated delivery of a job that already ran, or one with problems


@contextmanager
def _failing_job(job: ImportJob, unexpected: Message):
    """Mark the job failed if the work stops: with the file's own message when it is beyond
    the import's bounds, else with `unexpected`, re-raised so the worker logs it. Even an
    interpreter exit (a web worker killed for taking too long) marks the job first."""
    try:
        yield
    except ImportFileTooLarge as exc:
        import_fail(job=job, message=message_of(exc))
    except BaseException:
        import_fail(job=job, message=unexpected)
        raise
