from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.models.annual import MAX_YEAR, MIN_YEAR, PILOT_YEAR_RANGE_MESSAGE
from companies.models.bounds import (
    EARLIEST_FOUNDING,
    PROGRAMME_START,
    date_error,
    raise_for,
    today,
)
from companies.validators import validate_credit_code
from core.models import TrackedModel
from core.scoping import ScopedQuerySet
from core.sorting import SORT_KEY_LENGTH, pinyin_sort_key


class CompanyQuerySet(ScopedQuerySet):
    company_path = ""

    def with_list_relations(self):
        return self.select_related("region", "industry", "key_industry")


class Company(TrackedModel):
    """A manufacturer (企业) in the programme, identified by its unified social credit code."""

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, GB 32100-2015, with a valid check digit."),
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    # The name's pinyin reading (core.sorting): every ordering "by name" uses it.
    name_sort = models.CharField(
        _("name (pinyin sort key)"),
        max_length=SORT_KEY_LENGTH,
        blank=True,
        default="",
        editable=False,
    )
    region = models.ForeignKey(
        "companies.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="companies",
    )
    industry = models.ForeignKey(
        "companies.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="companies",
    )
    key_industry = models.ForeignKey(
        "companies.KeyIndustry",
        verbose_name=_("key subdivision industry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="companies",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    above_size = models.BooleanField(
        _("above designated size"),
        default=False,
        help_text=_("规上: main business revenue of at least 20 million RMB."),
    )
    land_area_mu = models.DecimalField(
        _("land area (mu)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Being a pilot (试点企业) is a designation with a date; when the date is known it makes
    # the company a pilot of that year (derive_fields, the one home). Records from before the
    # date was kept carry only the flag and the year.
    is_pilot = models.BooleanField(_("pilot company"), default=False)
    pilot_year = models.PositiveSmallIntegerField(_("pilot since"), null=True, blank=True)
    pilot_designated_on = models.DateField(
        _("designated pilot on"),
        null=True,
        blank=True,
        help_text=_("The date of the designation; it sets the pilot flag and the pilot year."),
    )
    rated = models.BooleanField(
        _("rated"), default=True, help_text=_("参评: takes part in the ranking.")
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "name_sort"])
    objects = CompanyQuerySet.as_manager()
    derived_fields = ("credit_code", "is_pilot", "pilot_year", "name_sort")

    class Meta:
        ordering = ["name_sort", "id"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.CheckConstraint(
                name="company_land_area_non_negative",
                condition=Q(land_area_mu__isnull=True) | Q(land_area_mu__gte=0),
                violation_error_message=_("Land area cannot be negative."),
            ),
            models.CheckConstraint(
                name="company_pilot_year_range",
                condition=Q(pilot_year__isnull=True)
                | Q(pilot_year__gte=MIN_YEAR, pilot_year__lte=MAX_YEAR),
                violation_error_message=PILOT_YEAR_RANGE_MESSAGE,
            ),
        ]
        indexes = [
            models.Index(fields=["region", "industry"]),
            # Name order (pinyin) with its tie-breakers: list pages walk it by keyset.
            models.Index(fields=["name_sort", "id"], name="company_name_sort"),
            # A county's companies in name order (its company list, its campaign page).
            models.Index(fields=["region", "name_sort", "id"], name="company_region_name_sort"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        # A founding date in the future would make the company "young" and protect its grade.
        designated = self.pilot_designated_on
        raise_for(
            {
                "founded_on": date_error(self.founded_on, EARLIEST_FOUNDING, today()),
                "pilot_designated_on": date_error(designated, PROGRAMME_START, today()),
            }
        )
        if designated and self.pilot_year is not None and self.pilot_year != designated.year:
            raise ValidationError(
                {"pilot_year": _("The pilot year is the year of the designation date.")}
            )

    def derive_fields(self) -> None:
        # The code is stored as GB 32100 writes it, however it was typed.
        self.credit_code = (self.credit_code or "").strip().upper()
        if self.pilot_designated_on:
            self.is_pilot = True
            self.pilot_year = self.pilot_designated_on.year
        # Lists sort Chinese names by their pinyin reading, not by code point.
        self.name_sort = pinyin_sort_key(self.name)


class CompanyListStamp(models.Model):
    """One row: a random stamp replaced in the same transaction as every change of what a
    company list shows (a company added, changed or deleted; a region's or an industry's
    name or code). A page kept in the cache under a key naming the stamp is never served
    stale: the change gives the next request a new key (companies.listing)."""

    stamp = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("company list stamp")
        verbose_name_plural = _("company list stamps")

    def __str__(self):
        return self.stamp
