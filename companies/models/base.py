from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)


def money_field(verbose_name, *, null=True, non_negative=True, **kwargs):
    """An amount in 万元 (10,000 RMB), to the hundredth, as the bureau's spreadsheets keep it."""
    validators = [MinValueValidator(0)] if non_negative else []
    return models.DecimalField(
        verbose_name,
        max_digits=16,
        decimal_places=2,
        null=null,
        blank=null,
        validators=validators,
        **kwargs,
    )


def quantity_field(verbose_name, **kwargs):
    """A non-negative measured quantity (tce, kWh, emission equivalents), to the hundredth."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **kwargs,
    )
