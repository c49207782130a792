"""Platform records and bases that belong to no domain app: the tracked-record base and the
export log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet


class TrackedModel(models.Model):
    """Who created and last changed a record, when, and its version.

    `version` grows by one on every save; edit forms and API writes send back the version
    they were based on so that a write based on a stale copy is refused, not applied.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The fields `derive_fields` sets, which a bulk update writes with the ones it was given.
    derived_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.prepare_for_write()
        super().save(*args, **kwargs)

    def prepare_for_write(self) -> None:
        """What every write stores besides the values entered: the fields derived from them
        and, for a stored row, the next version and the time of the change.

        `save()` calls it, and so do the bulk writes of `core.services`, which skip `save()`:
        the rules live here once, and no write path copies them."""
        self.derive_fields()
        if self.pk is not None and not self._state.adding:
            self.version = (self.version or 0) + 1
            # auto_now sets it on save(); bulk_update leaves it as it was.
            self.updated_at = timezone.now()

    def derive_fields(self) -> None:
        """Set the fields a model computes from its other fields (none here); idempotent."""


class VoidableQuerySet(ScopedQuerySet):
    """Rows of a voidable model. The default manager keeps voided rows, because the pages
    that list a company's records and its history show them struck through; everything
    that counts or scores (the rankings, the dashboard) reads `live()`."""

    def live(self):
        return self.filter(voided_at__isnull=True)

    def voided(self):
        return self.filter(voided_at__isnull=False)


class VoidableModel(models.Model):
    """A record that can be withdrawn with a reason instead of deleted, and put back.

    Voiding keeps the row and its history (a correction without loss); a voided row counts
    for nothing: the rankings and the dashboard treat it as absent. `core.services.
    record_void` / `record_restore` are the only writers of these fields."""

    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    void_reason = models.CharField(
        _("reason for voiding"), max_length=255, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class ExportLog(models.Model):
    """Who exported which rows, in which format, with which filter, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resource = models.CharField(_("resource"), max_length=60)
    format = models.CharField(_("format"), max_length=10)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)

    class Meta:
        # The table predates the platform app (it was tracker's); its name stays.
        db_table = "tracker_exportlog"
        ordering = ["-created_at"]
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")

    def __str__(self):
        return f"{self.user} {self.resource} {self.format} {self.created_at:%Y-%m-%d %H:%M}"


class NotificationQuerySet(models.QuerySet):
    """A notification is its recipient's alone: every role sees only its own."""

    def visible_to(self, user):
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in a user's in-app inbox, linking to the page to act on.

    The text is kept as a message id and its parameters, so each reader sees it in the
    language of the page. `dedupe_key` names the event (e.g. "objection-filed:12"): unique per
    user, so sending the same event twice stores it once (`core.notifications.notify`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.CharField(_("message"), max_length=300)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(_("event key"), max_length=120)
    # When the e-mail copy was claimed for sending (core.notifications.notifications_email):
    # a row is mailed at most once, so a retried task or a second pass sends no second mail.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], name="notification_once_per_user_and_event"
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            # The e-mail pass reads the recent rows not mailed yet (a small part of the table).
            models.Index(
                fields=["created_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_not_emailed",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        from django.utils.translation import gettext

        try:
            return gettext(self.message) % self.params if self.params else gettext(self.message)
        except (KeyError, TypeError, ValueError):
            return gettext(self.message)


class NotificationPreference(models.Model):
    """How a user wants to be told: whether notifications also come by e-mail (on unless
    turned off on the account page), and in which language e-mails are written (blank: the
    site's default). A user without a row has the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(
        _("send my notifications by e-mail too"),
        default=True,
        help_text=_("They always appear in your inbox on this site."),
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Blank: the site's default language."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)
