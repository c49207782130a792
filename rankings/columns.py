"""The columns of a run's result list, written once: the ranking pages' exports and the
notice package of a published run (notices.documents) write the same sheet."""

from django.utils.translation import gettext_lazy

from core.exports import CHOICE, CODE, NAME, NUMBER, TEXT, ExportColumn
from rankings.choices import SizeClass

# What a score export holds: the page's columns (ranks, blocks, total, grade), no indicator
# figures (those are the company's own data: score_details_visible).
SCORE_EXPORT_COLUMNS = [
    ExportColumn("city_rank", gettext_lazy("city rank"), NUMBER, width=10),
    # Each class is ranked on its own (RANKING.md part 2): the class names the list.
    ExportColumn("size_class", gettext_lazy("size class"), CHOICE, labels=dict(SizeClass.choices)),
    ExportColumn("credit_code", gettext_lazy("unified social credit code"), CODE),
    ExportColumn("company_name", gettext_lazy("company"), width=36),
    ExportColumn("region__name", gettext_lazy("region"), NAME),
    ExportColumn("industry__code", gettext_lazy("industry code"), CODE, width=10),
    ExportColumn("industry__name", gettext_lazy("industry"), NAME, width=28),
    ExportColumn("region_rank", gettext_lazy("region rank"), NUMBER, width=10),
    ExportColumn("industry_rank", gettext_lazy("industry rank"), NUMBER, width=10),
    ExportColumn("e_points", gettext_lazy("efficiency block E"), NUMBER),
    ExportColumn("s_points", gettext_lazy("smart-manufacturing block S"), NUMBER),
    ExportColumn("total", gettext_lazy("total"), NUMBER),
    ExportColumn("grade", gettext_lazy("grade"), TEXT, width=8),
]
