from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rankings.choices import EvaluationScope


def _param(verbose_name, default, *, digits=8, places=3, help_text=""):
    """A non-negative scheme parameter, kept as a decimal so the admin edits it exactly."""
    return models.DecimalField(
        verbose_name,
        max_digits=digits,
        decimal_places=places,
        default=Decimal(str(default)),
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


def _fixed_baseline(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=24,
        decimal_places=8,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_("Leave empty to use the ratio of sums over the rated companies of the year."),
    )


class ScoringScheme(models.Model):
    """A version of the ranking method's parameters (RANKING.md): weights, caps, baselines,
    smart-manufacturing points, grade cut-offs, veto, protection and the public-notice period.

    Exactly one scheme is active; every run records the version it used. A version that a run
    has used is never edited in place: saving a change makes a new version (see
    `rankings.services.scheme_revise`), so old runs stay explainable."""

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    active = models.BooleanField(_("active"), default=False)
    name = models.CharField(_("name"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    weight_tax_per_mu = _param(_("weight: tax per mu"), 24)
    weight_added_value_per_mu = _param(_("weight: added value per mu"), 16)
    weight_labour_productivity = _param(_("weight: labour productivity"), 12)
    weight_added_value_per_energy = _param(_("weight: added value per unit energy"), 12)
    weight_added_value_per_emission = _param(_("weight: added value per unit emission"), 8)
    weight_rd_intensity = _param(_("weight: R&D intensity"), 8)
    points_cap = _param(_("cap on value / baseline"), 2)

    baseline_tax_per_mu = _fixed_baseline(_("fixed baseline: tax per mu"))
    baseline_added_value_per_mu = _fixed_baseline(_("fixed baseline: added value per mu"))
    baseline_labour_productivity = _fixed_baseline(_("fixed baseline: labour productivity"))
    baseline_added_value_per_energy = _fixed_baseline(
        _("fixed baseline: added value per unit energy")
    )
    baseline_added_value_per_emission = _fixed_baseline(
        _("fixed baseline: added value per unit emission")
    )
    baseline_rd_intensity = _fixed_baseline(_("fixed baseline: R&D intensity"))
    baseline_robot_density = _fixed_baseline(_("fixed baseline: robot density"))

    ims_points_aaa = _param(_("IMS certificate AAA points"), 8)
    ims_points_aa = _param(_("IMS certificate AA points"), 6)
    ims_points_a = _param(_("IMS certificate A points"), 4)
    ims_points_no_level = _param(_("IMS certificate without level points"), 4)
    maturity_points_per_level = _param(_("maturity points per level"), "1.5")
    digital_workshop_city = _param(_("digital workshop, city level"), 2)
    digital_workshop_province = _param(_("digital workshop, province level"), 4)
    digital_workshop_national = _param(_("digital workshop, national level"), 6)
    factory_city = _param(_("IoT or smart factory, city level"), 3)
    factory_province = _param(_("IoT or smart factory, province level"), 6)
    factory_national = _param(_("IoT or smart factory, national level"), 9)
    future_factory = _param(_("future factory"), 10)
    robot_density_weight = _param(_("robot density weight"), 4)
    robot_density_cap = _param(_("robot density cap (density / baseline)"), 2)
    s_cap = _param(_("cap on the smart-manufacturing block S"), 20)

    grade_a_share = _param(_("grade A share of rated companies"), "0.20", digits=5, places=4)
    grade_b_share = _param(_("grade B share (cumulative)"), "0.60", digits=5, places=4)
    grade_c_share = _param(_("grade C share (cumulative)"), "0.95", digits=5, places=4)

    # RANKING.md part 2: the class below designated size (规下) and the evaluation scope.
    below_min_land_mu = _param(
        _("规下: minimum land area (mu)"),
        3,
        digits=12,
        places=2,
        help_text=_("Companies below designated size with less land in the year are not rated."),
    )
    weight_below_tax_per_mu = _param(_("规下 weight: tax per mu"), 50)
    weight_below_tax_per_electricity = _param(_("规下 weight: tax per unit electricity"), 50)
    below_points_cap = _param(_("规下: cap on value / baseline"), 2)
    grade_a_share_below = _param(
        _("规下: grade A share of rated companies"), "0.20", digits=5, places=4
    )
    grade_b_share_below = _param(_("规下: grade B share (cumulative)"), "0.60", digits=5, places=4)
    grade_c_share_below = _param(_("规下: grade C share (cumulative)"), "0.95", digits=5, places=4)
    evaluation_scope = models.CharField(
        _("evaluation scope"),
        max_length=10,
        choices=EvaluationScope.choices,
        default=EvaluationScope.CITY,
        help_text=_(
            "City: baselines and grades over the whole city. County: each county or district "
            "is evaluated on its own (baselines, region rank and grade per region); the city "
            "rank is then not applicable."
        ),
    )

    veto_enabled = models.BooleanField(
        _("veto on major incident"),
        default=True,
        help_text=_("A major safety or environmental incident caps the grade at C."),
    )
    protection_years = models.PositiveSmallIntegerField(
        _("protection years"),
        default=2,
        validators=[MaxValueValidator(20)],
        help_text=_(
            "A company founded within this many years before 31 December is never D. 0 turns it off."
        ),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("public notice days (公示)"), default=7, validators=[MaxValueValidator(365)]
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(active=True),
                name="scoringscheme_one_active",
                violation_error_message=_("Only one scoring scheme can be active."),
            ),
            models.CheckConstraint(
                name="scoringscheme_below_grade_shares_ordered",
                condition=Q(grade_a_share_below__lte=models.F("grade_b_share_below"))
                & Q(grade_b_share_below__lte=models.F("grade_c_share_below"))
                & Q(grade_c_share_below__lte=1),
                violation_error_message=_("Grade shares must grow from A to C and not exceed 1."),
            ),
            models.CheckConstraint(
                name="scoringscheme_grade_shares_ordered",
                condition=Q(grade_a_share__lte=models.F("grade_b_share"))
                & Q(grade_b_share__lte=models.F("grade_c_share"))
                & Q(grade_c_share__lte=1),
                violation_error_message=_("Grade shares must grow from A to C and not exceed 1."),
            ),
        ]

    def __str__(self):
        label = _("Scheme v%(version)s") % {"version": self.version}
        return f"{label} {self.name}".strip()

    def save(self, *args, **kwargs):
        if self.version is None:
            last = ScoringScheme.objects.aggregate(models.Max("version"))["version__max"]
            self.version = (last or 0) + 1
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        for suffix in ("", "_below"):
            shares = [getattr(self, f"grade_{g}_share{suffix}") for g in "abc"]
            if None not in shares and not (shares[0] <= shares[1] <= shares[2] <= 1):
                errors[f"grade_c_share{suffix}"] = _(
                    "Grade shares must grow from A to C and not exceed 1."
                )
        if errors:
            raise ValidationError(errors)
