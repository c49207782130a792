"""Celery tasks that run an import's dry run and its import for a job id.

With REDIS_URL set a worker runs them and the page polls the job's progress; without it
they run in-process (CELERY_TASK_ALWAYS_EAGER) inside the request that started them.
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from tracker.imports.services import ImportNotAllowed, import_apply, import_check, import_fail
from tracker.models import ImportJob


@shared_task(ignore_result=True, acks_late=True)
def import_check_task(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    try:
        import_check(job=job)
    except Exception:
        import_fail(job=job, message=_("The check failed unexpectedly; see the server log."))
        raise


@shared_task(ignore_result=True, acks_late=True)
def import_apply_task(job_id: int, user_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if job is None or user is None:
        return
    try:
        import_apply(job=job, user=user)
    except ImportNotAllowed:
        return  # a repeated delivery of a job that already ran, or one with problems
    except Exception:
        import_fail(job=job, message=_("The import failed unexpectedly; nothing was imported."))
        raise
