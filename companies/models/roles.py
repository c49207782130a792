from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.roles import Role


class Membership(models.Model):
    """A user's role in the programme, and what it is bound to: county staff to one
    region, a company user to one company. Superusers are administrators without one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    region = models.ForeignKey(
        "companies.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    company = models.ForeignKey(
        "companies.Company",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_binding_matches_role",
                condition=(
                    Q(role="county", region__isnull=False, company__isnull=True)
                    | Q(role="company", company__isnull=False, region__isnull=True)
                    | Q(role__in=["admin", "city"], region__isnull=True, company__isnull=True)
                ),
                violation_error_message=_(
                    "County staff need a region, company users a company, and other roles neither."
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"
