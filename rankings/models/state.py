from django.db import models
from django.utils.translation import gettext_lazy as _


class DirtyYear(models.Model):
    """A year whose provisional ranking is out of date: a durable marker written in the same
    transaction as the change, so no failure of Redis or a worker can lose an edit.

    `generation` grows with each change; a recompute remembers the generation it started
    from and removes the marker only if no change arrived meanwhile, otherwise it runs
    again. `enqueued_at` is set while a task for the year waits in the queue (so a burst of
    edits sends one), `started_at` while a worker is computing it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    generation = models.PositiveIntegerField(_("generation"), default=1)
    requested_at = models.DateTimeField(_("requested at"))
    enqueued_at = models.DateTimeField(_("enqueued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("year awaiting recompute")
        verbose_name_plural = _("years awaiting recompute")

    def __str__(self):
        return str(self.year)
