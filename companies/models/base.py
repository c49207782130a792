from django.core.validators import MinValueValidator
from django.db import models


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
