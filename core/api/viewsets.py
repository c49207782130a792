"""The base viewsets of every resource.

- reads come from the resource's `queryset` (or `get_base_queryset()`), restricted here to
  `visible_to(request.user)`, so no resource can forget the scoping (see ScopedQuerysetMixin);
- writes go through the serializer (record_save) and `record_delete`;
- `?format=csv|xlsx` on the list exports the whole filtered set (not one page, at most
  `core.exports.MAX_EXPORT_ROWS` rows) through `core.exports.export_rows`, logged;
- `GET <resource>/sync/` walks the whole (filtered) table with a cursor, in id order;
- `POST <resource>/{id}/void/` (with `reason`) and `…/restore/` on voidable records
  (VoidActionsMixin), through `record_void` / `record_restore`.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, mixins, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core import exports
from core.api.pagination import SyncCursorPagination
from core.api.permissions import WRITE_NONE, HasProgrammeRole
from core.api.renderers import CSVRenderer, XLSXRenderer
from core.api.snapshot import read_snapshot
from core.api.values import ValuesRows, values_plan
from core.services import record_delete, record_restore, record_void

# Query parameters that shape the response rather than choose rows; not logged as filters.
NON_FILTER_PARAMS = {"format", "page", "page_size", "cursor"}


def parse_version(request) -> int | None:
    """The version a write is based on: `version` in the body, else an If-Match header."""
    raw = None
    if hasattr(request.data, "get"):
        raw = request.data.get("version")
    if raw in (None, ""):
        raw = request.headers.get("If-Match", "")
        raw = raw.removeprefix("W/").strip().strip('"') or None
    if raw is None:
        return None
    try:
        # int(1.5) and int(True) would quietly give 1: whole numbers only, as text or integers.
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            raise TypeError(raw)
        version = int(raw)
    except (TypeError, ValueError):
        raise exceptions.ValidationError(
            {"version": [_("The version must be a whole number, as read from the record.")]}
        ) from None
    if version < 1:
        raise exceptions.ValidationError({"version": [_("The version starts at 1.")]})
    return version


class AcceptLanguageMixin:
    """Messages in the language the client asks for (Accept-Language), as API clients expect.

    The site's LocaleMiddleware answers every URL without a language prefix in the default
    language (Chinese), because the pages use i18n_patterns; API URLs have no prefix.
    """

    def initial(self, request, *args, **kwargs):
        if request.META.get("HTTP_ACCEPT_LANGUAGE"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)


def is_scoped(queryset) -> bool:
    """Whether the rows of `queryset` can be restricted to a user (`visible_to`)."""
    return hasattr(queryset, "visible_to")


class ScopedQuerysetMixin:
    """Every read (and the row lookup of every write) goes through `visible_to(request.user)`,
    applied here, once, as NetBox's BaseViewSet restricts every queryset centrally.

    A resource names its rows in `queryset` (with the `select_related` its serializer needs),
    or in `get_base_queryset()` when they depend on the URL; `get_queryset()` restricts them.
    So another company's or region's row is not found (404), and the write path
    (`core.services`) still refuses a change beyond `editable_by` (403).

    A model without `visible_to` (reference data every role may read) must be declared with
    `scoped = False`; a viewset that does not is refused (ImproperlyConfigured) rather than
    served unrestricted, and so is `scoped = False` on a model that has `visible_to`.
    Subclasses may not override `get_queryset()`, which is where the restriction lives.
    """

    scoped = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise ImproperlyConfigured(
                f"{cls.__qualname__} overrides get_queryset(), which applies the scoping; "
                "declare `queryset` or override get_base_queryset() instead."
            )
        queryset = cls.__dict__.get("queryset")
        if queryset is not None:
            cls.check_scoping(queryset)

    @classmethod
    def check_scoping(cls, queryset) -> None:
        """Refuse a viewset whose `scoped` declaration does not match its model."""
        model = queryset.model.__name__
        if cls.scoped and not is_scoped(queryset):
            raise ImproperlyConfigured(
                f"{cls.__qualname__} reads {model}, which has no visible_to(): "
                "declare `scoped = False` (with why every role may read it) or scope the model."
            )
        if not cls.scoped and is_scoped(queryset):
            raise ImproperlyConfigured(
                f"{cls.__qualname__} declares `scoped = False` but {model} has visible_to(): "
                "its rows must be restricted."
            )

    def get_base_queryset(self):
        """The resource's rows before scoping: `queryset` unless the subclass says otherwise."""
        return super().get_queryset()

    def restrict(self, queryset):
        """`queryset` cut to what the caller may see (unchanged for an unscoped viewset)."""
        self.check_scoping(queryset)
        return queryset.visible_to(self.request.user) if self.scoped else queryset

    def get_queryset(self):
        return self.restrict(self.get_base_queryset())


class ExportMixin:
    """`?format=csv|xlsx` on the list action: the whole filtered set as a logged download."""

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "list":
            renderers += [CSVRenderer(), XLSXRenderer()]
        return renderers

    def list(self, request, *args, **kwargs):
        fmt = getattr(request.accepted_renderer, "format", None)
        if fmt not in exports.FORMATS and (cached := self.cached_page()) is not None:
            # A page kept for its run (ValuesListMixin.keep_page) is one read, needing no
            # snapshot: a transaction would cost two round trips more than the answer.
            return Response(cached)
        # The run, the count and the page are read from one snapshot (see read_snapshot).
        with read_snapshot():
            if fmt in exports.FORMATS:
                return self.export(request, fmt)
            return super().list(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        # An error (bad filter, no credentials) is answered in JSON even when a spreadsheet
        # was asked for: a client can read it, and it is what the schema describes.
        renderer = getattr(request, "accepted_renderer", None)
        if (
            isinstance(response, Response)
            and response.status_code >= 400
            and getattr(renderer, "format", None) in exports.FORMATS
        ):
            request.accepted_renderer = ORJSONRenderer()
            request.accepted_media_type = ORJSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def export(self, request, fmt):
        queryset = self.filter_queryset(self.get_queryset())[: exports.MAX_EXPORT_ROWS]
        serializer = self.get_serializer(queryset, many=True)
        filters = {
            key: request.query_params.getlist(key)
            if len(request.query_params.getlist(key)) > 1
            else request.query_params.get(key)
            for key in request.query_params
            if key not in NON_FILTER_PARAMS
        }
        return exports.export_rows(
            user=request.user,
            resource=self.basename,
            fmt=fmt,
            columns=list(serializer.child.fields),
            rows=serializer.data,
            filters=filters,
        )


class ValuesListMixin:
    """The list's page read with `.values()` and represented by the serializer's plan
    (core.api.values): the same scoped, filtered, ordered rows and the same JSON, without a
    model instance per row. Falls back to the serializer when its fields do not allow it."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        serializer = self.get_serializer()  # its fields are built only if the plan is new
        plan = values_plan(serializer)
        # A keyset page (`?cursor=` on the page-number paginator, core.keyset) reads its
        # boundary keys from model rows, which the values rows need not carry.
        keyset = isinstance(self.paginator, PageNumberPagination) and (
            getattr(self.paginator, "cursor_query_param", None) in request.query_params
        )
        if plan is None or not plan.fits(queryset) or keyset:
            # ListModelMixin.list, on the queryset already made (its reads are not repeated).
            page = self.paginate_queryset(queryset)
            if page is not None:
                return self.get_paginated_response(self.get_serializer(page, many=True).data)
            return Response(self.get_serializer(queryset, many=True).data)
        if isinstance(self.paginator, PageNumberPagination):
            rows = ValuesRows(queryset, plan, self.count_rows(queryset))
        else:  # a cursor orders and filters the rows itself (it reads a dict's columns too)
            rows = plan.queryset(queryset)
        page = self.paginate_queryset(rows)
        if page is not None:
            response = self.get_paginated_response(plan.represent(page, serializer))
        else:
            response = Response(plan.represent(plan.queryset(queryset), serializer))
        self.keep_page(response.data)
        return response

    def count_rows(self, queryset):
        """How the list counts its filtered rows (a callable), or None for a plain COUNT."""
        return None

    def cached_page(self):
        """The answer kept by `keep_page` for this very request, if the list keeps any.
        Asked before the list's snapshot is opened (ExportMixin.list)."""
        return None

    def keep_page(self, data) -> None:
        """Keep the answer for `cached_page` (a list whose rows change only with a run)."""


class SyncMixin:
    @extend_schema(
        description=(
            "The whole table (with the same filters as the list), in id order, one cursor "
            "page at a time: follow `next` until it is null. Use this, not page numbers, to "
            "copy a table."
        )
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="sync",
        pagination_class=SyncCursorPagination,
        filter_backends=[DjangoFilterBackend],
    )
    def sync(self, request, *args, **kwargs):
        return mixins.ListModelMixin.list(self, request, *args, **kwargs)


class ReadOnlyResourceViewSet(
    AcceptLanguageMixin,
    ExportMixin,
    SyncMixin,
    ValuesListMixin,
    ScopedQuerysetMixin,
    viewsets.ReadOnlyModelViewSet,
):
    permission_classes = [HasProgrammeRole]
    write_access = WRITE_NONE


class ResourceViewSet(
    AcceptLanguageMixin,
    ExportMixin,
    SyncMixin,
    ValuesListMixin,
    ScopedQuerysetMixin,
    viewsets.ModelViewSet,
):
    """Read through the scoped queryset, write through the services, with version checks."""

    permission_classes = [HasProgrammeRole]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "action", None) in ("update", "partial_update"):
            context["expected_version"] = parse_version(self.request)
        return context

    def perform_create(self, serializer):
        serializer.save()
        self._reread(serializer)

    def perform_update(self, serializer):
        serializer.save()
        self._reread(serializer)

    def _reread(self, serializer):
        # Answer with the row as the list shows it: related names and annotations included.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        record_delete(instance=instance, user=self.request.user)


class VoidActionsMixin:
    """`POST …/{id}/void/` with a `reason`, and `POST …/{id}/restore/`, for a resource whose
    model is a VoidableModel. The row is found through the scoped queryset (404 outside what
    the caller sees); the service refuses a caller who may not edit it (403), a blank reason
    (400 naming `reason`) and a stale `version` (409). Answers with the record as it is now."""

    @extend_schema(
        request=inline_serializer(
            "VoidRequest",
            {
                "reason": drf_serializers.CharField(),
                "version": drf_serializers.IntegerField(required=False),
            },
        ),
        description="Withdraw the record with a reason; it then counts for nothing.",
    )
    @action(detail=True, methods=["post"])
    def void(self, request, *args, **kwargs):
        reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
        record_void(
            instance=self.get_object(),
            user=request.user,
            reason=reason if isinstance(reason, str) else "",
            expected_version=parse_version(request),
        )
        return self._current(kwargs)

    @extend_schema(
        request=inline_serializer(
            "RestoreRequest", {"version": drf_serializers.IntegerField(required=False)}
        ),
        description="Put a voided record back.",
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, *args, **kwargs):
        record_restore(
            instance=self.get_object(),
            user=request.user,
            expected_version=parse_version(request),
        )
        return self._current(kwargs)

    def _current(self, kwargs):
        instance = self.get_queryset().get(pk=kwargs[self.lookup_url_kwarg or self.lookup_field])
        return Response(self.get_serializer(instance).data)
