from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from companies.choices import RegionKind


class BilingualNameMixin(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if _english() and self.name_en:
            return self.name_en
        return self.name_zh

    @classmethod
    def values_expression(cls, attribute: str, prefix: str):
        """`name` as a column expression (core.api.values), by the rule of the property
        above: the English name in English when there is one, else the Chinese."""
        if attribute != "name":
            return None
        zh, en = (f"{prefix}__{column}" if prefix else column for column in ("name_zh", "name_en"))
        if _english():
            return Coalesce(NullIf(F(en), Value("")), F(zh))
        return F(zh)


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


class Region(BilingualNameMixin):
    """A county-level division of the city (行政区): district, county-level city, county or
    functional area. County staff are bound to one."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Industry(BilingualNameMixin):
    """A GB/T 4754-2017 manufacturing division (行业大类, codes 13–43)."""

    code = models.CharField(_("code"), max_length=4, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        return f"{self.code} {self.name}"


class KeyIndustry(BilingualNameMixin):
    """One of the city's key subdivision industries (重点细分行业), a tag on a company that
    administrators maintain; the 2019 list has eight."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("year listed"), default=2019)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("key subdivision industry")
        verbose_name_plural = _("key subdivision industries")
