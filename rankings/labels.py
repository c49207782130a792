"""How a rank reads on every page (RANKING.md part 2: "12th of 873 (规下)"), written once."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rankings.choices import SizeClass

# The short class names of the lists counties publish.
SIZE_CLASS_SHORT = {
    SizeClass.ABOVE: gettext_lazy("above-size"),
    SizeClass.BELOW: gettext_lazy("below-size"),
}


def size_class_short(size_class: str) -> str:
    return str(SIZE_CLASS_SHORT.get(size_class, ""))


def rank_label(rank: int | None, n: int | None, size_class: str) -> str:
    """ "第 12 名 / 873 家（规下）"; "not applicable" for a rank the run does not give (the city
    rank in region scope, where totals against different baselines do not compare)."""
    if rank is None:
        return _("not applicable")
    return _("%(rank)s of %(n)s (%(class)s)") % {
        "rank": rank,
        "n": n if n is not None else "–",
        "class": size_class_short(size_class),
    }


# The two blocks of the total, in the words the portal explains them with (never bare "E" / "S").
BLOCK_LABELS = {
    "e": gettext_lazy("per-mu efficiency score"),
    "s": gettext_lazy("smart-manufacturing score"),
}
