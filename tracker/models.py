"""Site-wide records that belong to no one domain app: import jobs (the export log is the
platform's, core.models.ExportLog)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracker.imports.messages import shown


class ImportKind(models.TextChoices):
    COMPANIES = "companies", _("Companies")
    ANNUAL_DATA = "annual_data", _("Annual data")
    PROJECTS = "projects", _("Key projects")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    UNDONE = "undone", _("Undone")


class ImportJob(models.Model):
    """One uploaded spreadsheet: its dry-run findings, then its all-or-nothing import.

    Progress counters are written as the rows are processed so the page can show them while
    a worker (or the request itself, with no broker) does the work.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    imported_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    # What the dry run found the file would do: totals and, for the first rows, each
    # row's action and its fields old -> new (tracker/imports/preview.py).
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    # The message in every language of the site, so each reader sees it in theirs
    # (tracker/imports/messages.py); `message` is it in the language of the moment it was set.
    message_texts = models.JSONField(_("message in each language"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"{self.get_kind_display()} – {self.original_name}"

    @property
    def message_shown(self) -> str:
        """The job's message in the reader's language."""
        return shown(self.message_texts, self.message)


class ImportChange(models.Model):
    """What an import did to one record, kept so the import can be undone as a whole:
    the record it created, or the stored values of the fields it changed, and the version
    the record had after the import (a record changed since has another)."""

    job = models.ForeignKey(
        ImportJob, verbose_name=_("import job"), on_delete=models.CASCADE, related_name="changes"
    )
    row = models.PositiveIntegerField(_("row"))
    model = models.CharField(_("model"), max_length=100)  # "app_label.ModelName"
    object_id = models.PositiveBigIntegerField(_("record"))
    created = models.BooleanField(_("created"), default=False)
    # {attname: stored value before the import} of the changed fields; empty when created.
    old_values = models.JSONField(
        _("old values"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    version = models.PositiveIntegerField(_("version after the import"), null=True)

    class Meta:
        ordering = ["job", "row"]
        verbose_name = _("import change")
        verbose_name_plural = _("import changes")

    def __str__(self):
        return f"#{self.job_id} row {self.row}: {self.model} {self.object_id}"
