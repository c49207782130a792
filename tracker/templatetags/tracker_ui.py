"""Template helpers of the web frame: role-based navigation, money in 万元/亿元, query-string
editing for pagination and sorting links."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.ordering import next_sort
from core.roles import ADMIN_SITE_ROLES, STAFF_ROLES, Role
from core.scoping import scope_of, scope_region_name
from rankings import labels

register = template.Library()

# (URL name, label, roles that see it). Names owned by other pages (rankings, imports, API
# docs) may not exist yet in a given checkout; links whose name does not resolve are left out.
NAV_ITEMS = (
    ("dashboard", _("Dashboard"), STAFF_ROLES),
    ("companies:list", _("Companies"), STAFF_ROLES),
    ("projects:list", _("Key projects"), STAFF_ROLES),
    ("companies:batch_list", _("Batches"), STAFF_ROLES),
    ("companies:annual_list", _("Annual data"), STAFF_ROLES),
    ("reporting:campaigns", _("Reporting"), STAFF_ROLES),
    ("rankings:city", _("Rankings"), STAFF_ROLES),
    ("rankings:league", _("Region league"), STAFF_ROLES),
    ("rankings:runs", _("Published runs"), STAFF_ROLES),
    ("notices:list", _("Objections"), STAFF_ROLES),
    ("imports:start", _("Import"), STAFF_ROLES),
    ("api-docs", _("API docs"), STAFF_ROLES),
    ("admin:index", _("Admin"), ADMIN_SITE_ROLES),
    ("portal", _("Our company"), (Role.COMPANY,)),
    ("reporting:portal", _("Annual report"), (Role.COMPANY,)),
)


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register.simple_tag(takes_context=True)
def nav_items(context):
    """The navigation links the current user's role may follow, with the active one marked."""
    request = context.get("request")
    user = getattr(request, "user", None)
    role = scope_of(user).role
    if role is None:
        return []
    path = request.path if request is not None else ""
    items = []
    for name, label, roles in NAV_ITEMS:
        if role not in roles:
            continue
        url = _reverse_or_none(name)
        if url is None:
            continue
        active = path == url or (url not in ("/", "/en/") and path.startswith(url))
        items.append({"name": name, "url": url, "label": label, "active": active})
    # The longest matching prefix wins, so /companies/batches/ does not also light "Companies".
    actives = [item for item in items if item["active"]]
    if len(actives) > 1:
        best = max(actives, key=lambda item: len(item["url"]))
        for item in actives:
            item["active"] = item is best
    return items


@register.simple_tag(takes_context=True)
def user_role_label(context):
    request = context.get("request")
    role = scope_of(getattr(request, "user", None)).role
    return Role(role).label if role else ""


@register.simple_tag(takes_context=True)
def user_region_name(context):
    """The region a county user's figures are cut to ("" for city-wide roles): shown in the
    header and the dashboard's title."""
    request = context.get("request")
    return scope_region_name(getattr(request, "user", None))


def _as_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def money(value):
    """An amount stored in 万元, shown in 亿元 from 10,000 万元 up (1 亿元 = 10,000 万元),
    else in 万元. Empty stays empty (it means "not reported")."""
    amount = _as_decimal(value)
    if amount is None:
        return "–"
    if abs(amount) >= 10000:
        return _("%(amount)s 100m RMB") % {"amount": f"{amount / 10000:,.2f}"}
    return _("%(amount)s 10k RMB") % {"amount": f"{amount:,.2f}"}


@register.filter
def number(value, places=2):
    """A figure with thousands separators; empty shows as a dash."""
    amount = _as_decimal(value)
    if amount is None:
        return "–"
    places = int(places)
    return f"{amount:,.{places}f}"


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (None or "" removes one)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _current_sort(context) -> str:
    """The order the list is in: the page's `sort` (its default when none was asked for)."""
    return context.get("sort") or context["request"].GET.get("sort", "")


@register.simple_tag(takes_context=True)
def sort_link(context, field):
    """Query string that sorts by `field`, flipping the direction when the list is already
    sorted by it, by request or by default (so the first click on the default column
    changes the order). Sorting resets the page to the first."""
    return query_replace(
        context, sort=next_sort(field, _current_sort(context)), page=None, cursor=None
    )


@register.simple_tag(takes_context=True)
def sort_mark(context, field):
    current = _current_sort(context)
    if current == field:
        return "▲"
    if current == f"-{field}":
        return "▼"
    return ""


@register.simple_tag(takes_context=True)
def sort_aria(context, field):
    """` aria-sort="…"` on the header of the column the list is sorted by."""
    current = _current_sort(context)
    if current == field:
        return mark_safe(' aria-sort="ascending"')
    if current == f"-{field}":
        return mark_safe(' aria-sort="descending"')
    return ""


@register.filter
def rmb(value):
    """An amount in RMB (yuan), shown like `money` (in 亿元 or 万元)."""
    amount = _as_decimal(value)
    if amount is None:
        return "–"
    return money(amount / 10000)


@register.filter
def pct(value, places=1):
    """A percentage with its sign; undefined shows as a dash."""
    amount = _as_decimal(value)
    if amount is None:
        return "–"
    return f"{amount:+.{int(places)}f}%"


@register.filter
def share(value, places=0):
    """A fraction of a whole (0.2) as a percentage ("20%"); undefined shows as a dash. Unlike
    `pct`, whose value is already a percentage change, this multiplies by 100: the grade A
    share of the league table and of the dashboard is shown through it."""
    fraction = _as_decimal(value)
    if fraction is None:
        return "–"
    return f"{fraction * 100:.{int(places)}f}%"


@register.simple_tag(takes_context=True)
def path_without_language(context):
    """The current path and query without a language prefix (/en/…). Django's set_language
    can only translate a `next` URL that resolves in the default language, because a path
    without a prefix runs in the default language (prefix_default_language=False)."""
    request = context["request"]
    path = request.get_full_path()
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return "/" + path[len(prefix) :]
    return path


@register.simple_tag(takes_context=True)
def user_is_city_wide(context):
    """Administrators and city staff (who may, for example, announce batches)."""
    request = context.get("request")
    return scope_of(getattr(request, "user", None)).is_city_wide


@register.filter
def size_class_short(value):
    """规上 / 规下 (rankings.labels, the one home of how a class and a rank read)."""
    return labels.size_class_short(value)


@register.filter
def rank_or_na(rank):
    """A rank, or "not applicable" where the run gives none (the city rank in region scope)."""
    return rank if rank is not None else labels.rank_label(None, None, "")


@register.simple_tag
def block_label(block):
    """The words for a block of the total (`"e"` or `"s"`; rankings.labels.BLOCK_LABELS)."""
    return labels.BLOCK_LABELS[block]
