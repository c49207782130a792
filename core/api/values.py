"""The list endpoints' read path: a page read with `.values()` and represented from plain rows.

A DRF list builds a model instance per row (and one per `select_related` relation), then
walks every serializer field through `get_attribute` and `to_representation`: at a page of
50 companies that is most of the request's time. Here the same serializer's fields are
turned, once per request, into a *plan*: the `.values()` column (or expression) each field
reads and how its value is represented. The page is then fetched as dicts and each row
becomes the same JSON object the serializer would have produced, field for field.

What stays where it was:
- scoping: the rows are the view's `get_queryset()` (visible_to) after its filters;
- field-level permissions: a serializer whose `to_representation` hides fields for some
  users declares `represent_values(data, row)`, which applies the same rule to a values row
  (a serializer that overrides `to_representation` without it is never read this way);
- anything the plan cannot express (a nested serializer, a method field without declared
  sources, a source that is neither a column nor a declared expression) makes the view
  answer through the serializer as before: the fast path is an optimisation, never a fork
  of what is answered.

A model can name a computed attribute's column expression with a classmethod
`values_expression(attribute, prefix)` (e.g. a name in the active language), so a source
such as `region.name` is read by the database rather than through an instance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import get_language
from rest_framework import ISO_8601, serializers
from rest_framework.relations import PrimaryKeyRelatedField
from rest_framework.settings import api_settings

# Fields whose to_representation returns a values() column unchanged (str, int, bool).
_AS_IS = (serializers.CharField, serializers.IntegerField, serializers.BooleanField)


class Row(dict):
    """A values() row whose columns also read as attributes, for a serializer's method
    fields (`getattr(company, "city_rank", None)` works on it as on an instance)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class ValuesPlan:
    # (output name, values() key, representation or None: as is); for a method field
    # (name, None, the serializer's method name).
    columns: list[tuple[str, str | None, Callable | None]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    expressions: dict = field(default_factory=dict)
    # Sources that are no model field: annotations the view's queryset must carry.
    annotations: list[str] = field(default_factory=list)

    def fits(self, queryset) -> bool:
        """Whether `queryset` has every annotation the plan reads."""
        return all(name in queryset.query.annotations for name in self.annotations)

    def queryset(self, queryset):
        """`queryset` (scoped, filtered, ordered) as the dicts the plan reads."""
        return queryset.values(*dict.fromkeys(self.paths), **self.expressions)

    def represent(self, rows, serializer) -> list[dict]:
        """`rows` (values dicts) as `serializer` (the request's, with its context) shows them."""
        restrict = getattr(serializer, "represent_values", None)
        zone = timezone.get_current_timezone()  # once per page, not once per value
        columns = [
            (
                name,
                key,
                getattr(serializer, represent)
                if key is None
                else represent.bind(zone)
                if isinstance(represent, _InZone)
                else represent,
            )
            for name, key, represent in self.columns
        ]
        out = []
        for values in rows:
            row = Row(values)
            data = {}
            for name, key, represent in columns:
                if key is None:  # a method field: the serializer's own method, on the row
                    data[name] = represent(row)
                    continue
                value = row[key]
                data[name] = value if value is None or represent is None else represent(value)
            if restrict is not None:
                restrict(data, row)
            out.append(data)
        return out


class ValuesRows:
    """What the paginator reads on the values path: the count from the model queryset
    (`count`, by default its plain COUNT, without the joins the values' related columns
    add), and each page sliced and read as values rows."""

    def __init__(self, queryset, plan: ValuesPlan, count: Callable[[], int] | None = None):
        self.queryset = queryset
        self.plan = plan
        self._count = count or queryset.order_by().count

    def count(self) -> int:
        return self._count()

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:  # not a count: `rows or …` must not query
        return True

    def __getitem__(self, index):
        return list(self.plan.queryset(self.queryset)[index])


def values_plan(serializer: serializers.Serializer) -> ValuesPlan | None:
    """The plan reading `serializer`'s representation from values() rows, or None when one
    of its fields cannot be read that way (the caller then serializes instances).

    Made once per serializer class and language (a column such as a name in the active
    language depends on it): building a ModelSerializer's fields is itself a good part of a
    request's time. The plan keeps no request state: `represent` takes the request's
    serializer, whose context the method fields and `represent_values` read."""
    key = (type(serializer), get_language())
    if key not in _PLANS:
        _PLANS[key] = _make_plan(serializer)
    return _PLANS[key]


_PLANS: dict = {}


def _make_plan(serializer: serializers.Serializer) -> ValuesPlan | None:
    if type(serializer).to_representation is not serializers.Serializer.to_representation:
        if not hasattr(serializer, "represent_values"):
            return None
    model = serializer.Meta.model
    plan = ValuesPlan()
    for name, bound in serializer.fields.items():
        if bound.write_only:
            continue
        if isinstance(bound, serializers.SerializerMethodField):
            sources = getattr(serializer, "method_field_sources", {}).get(name)
            if sources is None:
                return None
            plan.paths.extend(sources)
            plan.annotations.extend(s for s in sources if not _is_field(model, s))
            plan.columns.append((name, None, bound.method_name))
            continue
        if isinstance(bound, serializers.BaseSerializer) or bound.source == "*":
            return None
        key = _column(plan, model, bound.source_attrs, name)
        if key is None:
            return None
        if isinstance(bound, PrimaryKeyRelatedField):
            if bound.pk_field is not None:
                return None
            represent = None  # values() gives the related row's id
        elif isinstance(bound, serializers.RelatedField):
            return None
        elif isinstance(bound, _AS_IS) and not isinstance(bound, serializers.ChoiceField):
            represent = None
        elif _iso_in_current_zone(bound):
            represent = _InZone(bound.to_representation)
        else:
            represent = bound.to_representation
        plan.columns.append((name, key, represent))
    # The row's own id, for `represent_values` rules that need it even when not shown.
    plan.paths.append("pk")
    return plan


def _iso_in_current_zone(bound) -> bool:
    """Whether `bound` is a DateTimeField answering ISO 8601 in the current time zone (DRF's
    default): each of its values then costs a conversion rather than a zone look-up too."""
    return (
        isinstance(bound, serializers.DateTimeField)
        and settings.USE_TZ
        and not hasattr(bound, "timezone")
        and str(getattr(bound, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
    )


@dataclass(frozen=True)
class _InZone:
    """DRF's DateTimeField.to_representation with the zone read once per request: an aware
    value in that zone, in ISO 8601, `Z` for UTC. Anything else (a naive value, a year out
    of range) goes to the field itself, which answers or fails as it always does."""

    field_representation: Callable

    def bind(self, zone) -> Callable:
        fallback = self.field_representation

        def represent(value):
            if value.tzinfo is None:
                return fallback(value)
            try:
                text = value.astimezone(zone).isoformat()
            except OverflowError:
                return fallback(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return represent


def _column(plan: ValuesPlan, model, attrs: list[str], name: str) -> str | None:
    """The values() key holding the value at `attrs` (a source path) from `model`."""
    current = model
    for depth, attr in enumerate(attrs):
        try:
            model_field = current._meta.get_field(attr)
        except FieldDoesNotExist:
            if depth == len(attrs) - 1:
                hook = getattr(current, "values_expression", None)
                expression = hook(attr, "__".join(attrs[:-1])) if hook else None
                if expression is not None:
                    key = f"_v_{name}"
                    plan.expressions[key] = expression
                    return key
                if depth == 0:  # an annotation of the view's queryset (see `fits`)
                    plan.paths.append(attr)
                    plan.annotations.append(attr)
                    return attr
            return None
        if depth < len(attrs) - 1:
            if not model_field.is_relation or model_field.many_to_many:
                return None
            current = model_field.related_model
        elif model_field.many_to_many or model_field.one_to_many:
            return None
    path = "__".join(attrs)
    plan.paths.append(path)
    return path


def _is_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
