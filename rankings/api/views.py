"""API views of the rankings: runs, scores (of a run, of a year, of one company), the region
league table, the rankings status, and the company list with each company's rank.

Scores are restricted by the base viewset to `CompanyScore.objects.visible_to(user)`:
administrators, city and county staff see every company's result (SPEC.md: county staff see
all rankings); a company user only its own. Runs and the league table are per year and per
region, with no company's data, so every role may read them (`scoped = False`).
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.api.views import CompanyViewSet
from companies.models import Company
from core.api.filters import narrowed
from core.api.ordering import AliasedOrderingFilter
from core.api.permissions import WRITE_CITY, HasProgrammeRole
from core.api.values import ValuesRows
from core.api.viewsets import AcceptLanguageMixin, ReadOnlyResourceViewSet
from rankings.api import serializers
from rankings.caching import RUN_CACHE_SECONDS, run_cache_key, run_count
from rankings.choices import RunKind
from rankings.filtersets import CompanyScoreFilterSet, RankedCompanyFilterSet, RankingRunFilterSet
from rankings.models import CompanyScore, RankingRun, RegionLeague
from rankings.selectors import (
    RANK_ORDER,
    RESULT_FIELDS,
    UNRANKED,
    latest_run_with_listing_stamp,
    rankings_status,
    run_current,
    run_current_stamp,
    with_result,
)
from rankings.services import rankings_discard_run


class NullsLastOrderingFilter(AliasedOrderingFilter):
    """Ordering where rows without a value (companies not ranked) come last either way, as
    they do on PostgreSQL and not on SQLite; the id breaks ties so pages are stable."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        expressions = [
            F(name[1:]).desc(nulls_last=True)
            if name.startswith("-")
            else F(name).asc(nulls_last=True)
            for name in ordering
        ]
        return queryset.order_by(*expressions, "id")


class RankingRunViewSet(ReadOnlyResourceViewSet):
    """Ranking runs: the provisional run of each year (recomputed as data changes) and the
    published runs (frozen, each with its public-notice period). A company user sees only
    the published runs its company was rated in, without `published_by` and `reason`."""

    # Scoped by RankingRun.visible_to: a company user sees only the published runs it was
    # rated in.
    queryset = RankingRun.objects.select_related("published_by")
    serializer_class = serializers.RankingRunSerializer
    filterset_class = RankingRunFilterSet
    ordering_fields = ["year", "started_at", "id"]
    search_fields = []

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class  # the schema describes the staff view
        return serializers.run_serializer_for(self.request.user)

    @extend_schema(
        request=None,
        responses={204: None},
        description=(
            "Discard the provisional run of a year that has no annual data any more (city "
            "staff). Refused (400) while the year has data or once it has been published."
        ),
    )
    @action(detail=True, methods=["post"], write_access=WRITE_CITY)
    def discard(self, request, *args, **kwargs):
        run = self.get_object()
        if run.kind != RunKind.PROVISIONAL:
            raise ValidationError(
                {
                    "year": _("The %(year)s ranking has been published and cannot be discarded.")
                    % {"year": run.year}
                }
            )
        rankings_discard_run(year=run.year, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CompanyScoreViewSet(ReadOnlyResourceViewSet):
    """Company scores: every indicator's value and points, E, S, total, the three ranks and
    the grade, or why the company was not rated. Scoped: a company user sees its own rows.

    Mounted three times: the scores of a run (`runs/{run_id}/scores/`), the current
    provisional scores of a year (`rankings/{year}/scores/`, `?published=true` for the
    latest published run), and one company's history across runs
    (`companies/{company_id}/scores/`).
    """

    serializer_class = serializers.CompanyScoreSerializer
    filterset_class = CompanyScoreFilterSet
    search_fields = ["company_name", "credit_code"]
    ordering_fields = [
        "position",
        "total",
        "city_rank",
        "region_rank",
        "industry_rank",
        "e_points",
        "s_points",
        "tax_per_mu",
        "company_name",
    ]
    ordering = ["position"]
    keyset_orderings = ("position",)
    keyset_fields = ("position",)  # NULL for not-rated rows: they come last (core.keyset)
    filter_backends = [
        *ReadOnlyResourceViewSet.filter_backends[:2],
        NullsLastOrderingFilter,
    ]

    def get_base_queryset(self):
        scores = CompanyScore.objects.select_related("run", "region", "industry")
        if getattr(self, "swagger_fake_view", False):
            return scores.none()
        kwargs = self.kwargs
        if "run_id" in kwargs or "year" in kwargs:
            self.run = self.listed_run()
            return scores.filter(run=self.run)
        history = scores.filter(company_id=kwargs["company_id"]).order_by(
            "-run__year", "-run__started_at", "-run_id"
        )
        # County staff see every company's results but not other regions' company records:
        # the history exists for them when the company is visible or its scores are.
        company = Company.objects.visible_to(self.request.user).filter(pk=kwargs["company_id"])
        if not company.exists() and not self.restrict(history).exists():
            raise Http404(_("No such company."))
        return history

    run = None  # the one run listed (not for a company's history across runs)

    def listed_run(self) -> RankingRun:
        """The one run the URL names: by id, or the current run of a year (404 if none)."""
        if "run_id" in self.kwargs:
            run = RankingRun.objects.filter(pk=self.kwargs["run_id"]).first()
            if run is None:
                raise Http404(_("No such ranking run."))
            return run
        published = self.request.query_params.get("published") in ("true", "1")
        run = run_current(year=self.kwargs["year"], published=published)
        if run is None:
            raise Http404(_("No ranking has been computed for this year."))
        return run

    # A run's rows never change once it is written (a recompute makes a new run), so the
    # count of a filtered list of one run, and each page of it, are cached by the run, the
    # caller's scope and the query (rankings.caching): counting 100,000 rows costs more
    # than reading the page. (A region or industry renamed shows in a run's cached pages
    # within RUN_CACHE_SECONDS, or with the next run.)
    def count_rows(self, queryset):
        if self.run is None:
            return None
        return lambda: run_count(
            "score-count",
            self.run,
            queryset,
            user=self.request.user,
            params=self.request.query_params,
        )

    def page_key(self):
        if self.run is None:
            return None
        return run_cache_key(
            f"score-page:{self.request.build_absolute_uri('/')}",  # its links name the host
            self.run,
            user=self.request.user,
            params=self.request.query_params,
            whole_query=True,
        )

    def cached_page(self):
        # Asked before the list's snapshot: the run is read here, and read again inside the
        # snapshot (get_base_queryset) when the page is not kept, so what a miss answers
        # still comes from one snapshot.
        if "year" in self.kwargs:
            # Only the run's id and start, by SQL compiled once (the key needs no more).
            published = self.request.query_params.get("published") in ("true", "1")
            self.run = run_current_stamp(year=self.kwargs["year"], published=published)
            if self.run is None:
                return None  # answered (404) by the list
        elif "run_id" in self.kwargs:
            self.run = self.listed_run()
        key = self.page_key()
        return cache.get(key) if key else None

    def keep_page(self, data) -> None:
        key = self.page_key()
        if key:
            cache.set(key, data, RUN_CACHE_SECONDS)


class RegionLeagueViewSet(ReadOnlyResourceViewSet):
    """The region league table of a year (RANKING.md): rated companies, A-grade count and
    share, companies with a valid IMS certificate, accepted projects and their investment,
    robots added, tax per mu. Default order: valid IMS certificates, descending."""

    scoped = False  # per region, with no company's data
    serializer_class = serializers.RegionLeagueSerializer
    pagination_class = None
    filter_backends = []
    search_fields = []

    def get_base_queryset(self):
        league = RegionLeague.objects.select_related("run", "region")
        if getattr(self, "swagger_fake_view", False):
            return league.none()
        published = self.request.query_params.get("published") in ("true", "1")
        run = run_current(year=self.kwargs["year"], published=published)
        if run is None:
            raise Http404(_("No ranking has been computed for this year."))
        return league.filter(run=run).order_by("-ims_certified_count", "region__sort_order")


class RankOrderingFilter(NullsLastOrderingFilter):
    """`city_rank` sorts by class, then the run's display position (rankings.selectors.
    RANK_ORDER: 规上 then 规下, each by city rank, ties by tax per mu then company id), the
    order of the scores list, which the score index serves."""

    def get_ordering(self, request, queryset, view):
        ordering = []
        for name in super().get_ordering(request, queryset, view) or []:
            sign = "-" if name.startswith("-") else ""
            if name.lstrip("-") == "city_rank":
                ordering += [f"{sign}{field}" for field in RANK_ORDER]
            else:
                ordering.append(name)
        return ordering


def rank_orderings() -> tuple[list[str], list[str]]:
    """The API orderings that are the rank order, ascending and descending."""
    return list(RANK_ORDER), [f"-{field}" for field in RANK_ORDER]


class RankFirstPages:
    """The companies ordered by rank as a sequence for the paginator, read in two parts so
    that no query sorts the whole filtered set: the ranked companies walked in the order of
    the score index `companyscore_run_position` (a page is an index range, ~50 rows joined to
    their companies), then the companies without a rank (not rated, or new since the run) by
    id. The count is the plain filtered company count, without the join."""

    def __init__(self, companies, *, descending, read=None, count=None):
        order = rank_orderings()[1 if descending else 0]
        self.companies = companies
        self._count = count
        # How a slice is read: as instances, or as values rows (core.api.values).
        self.read = read or (lambda queryset: queryset)
        self.ranked = companies.filter(rank_position__isnull=False).order_by(*order)
        self.unranked = companies.filter(UNRANKED).order_by("id")

    def count(self):
        if self._count is not None:
            return self._count()
        return self.companies.order_by().values("pk").count()

    def __len__(self):
        return self.count()

    def __getitem__(self, page):
        start, stop = page.start or 0, page.stop
        rows = list(self.read(self.ranked)[start:stop])
        wanted = stop - start
        if len(rows) == wanted:
            return rows
        # The page reaches past the ranked companies: it began inside them (their number is
        # then known) or after them (count them once).
        ranked_total = start + len(rows) if rows or not start else self.ranked.count()
        offset = max(start - ranked_total, 0)
        return rows + list(self.read(self.unranked)[offset : offset + wanted - len(rows)])


class RankedCompanyViewSet(CompanyViewSet):
    """Companies (企业), each with its city rank, score and grade in the latest provisional
    run (null when it was not rated); `ordering=city_rank` / `-score` sorts by them, companies
    without a rank last (`city_rank` ties in the run's display order: tax per mu, then id).
    `search` matches the name and the credit code."""

    serializer_class = serializers.RankedCompanySerializer
    filterset_class = RankedCompanyFilterSet
    ordering_fields = [*CompanyViewSet.ordering_fields, "city_rank", "score", "grade"]
    filter_backends = [*CompanyViewSet.filter_backends[:2], RankOrderingFilter]
    keyset_orderings = (*CompanyViewSet.keyset_orderings, "city_rank")
    keyset_fields = (*CompanyViewSet.keyset_fields, *RANK_ORDER)

    # The query parameters of a page that is kept in the cache: the filters that read only
    # the companies, their regions' and industries' codes and the run's result, all of which
    # the key names (the run, and the company list stamp, companies.listing). Filters on
    # designations, certificates or assessments read rows whose changes the stamp does not
    # follow: those pages are always read afresh, as are exports and cursor pages.
    KEPT_PAGE_PARAMS = frozenset(
        {
            *("q", "search", "ordering", "page", "page_size"),
            *("region", "region_code", "industry", "industry_code", "key_industry"),
            *("pilot", "is_pilot", "above_size", "rated", "founded_after", "founded_before"),
            *("land_area_min", "land_area_max"),
            *("grade", "score_min", "score_max", "city_rank_max"),
        }
    )

    def latest_run_id(self):
        """The latest provisional run (id, year, start) and the company list stamp, read
        in one query: every request needs both."""
        if not hasattr(self, "_latest_run"):
            self._latest_run, self._listing = latest_run_with_listing_stamp()
        return self._latest_run

    def page_key(self) -> str | None:
        if self.action != "list" or not self.KEPT_PAGE_PARAMS.issuperset(self.request.query_params):
            return None
        latest = self.latest_run_id()
        return run_cache_key(
            f"company-page:{self._listing}:{self.request.build_absolute_uri('/')}",
            latest and latest["run"],
            user=self.request.user,
            params=self.request.query_params,
            whole_query=True,
        )

    # A page depends only on the run, the companies' listed data (the stamp), the caller's
    # scope, the query and the language, all named by its key: kept, it is one cache read.
    def cached_page(self):
        key = self.page_key()
        page = cache.get(key) if key else None
        if page is None and hasattr(self, "_latest_run"):
            # Asked before the list's snapshot: the run and the stamp are read again inside
            # it, so a page read there is kept under the key of the data it was read from.
            del self._latest_run
        return page

    def keep_page(self, data) -> None:
        key = self.page_key()
        if key:
            cache.set(key, data, RUN_CACHE_SECONDS)

    def keyset_nulls(self, keys):
        """Cursor pages by rank: the companies without one are those the run did not rate
        (core.keyset reads them by id, with this condition)."""
        if keys[0].lstrip("-") == RANK_ORDER[0] and self.latest_run_id() is not None:
            return UNRANKED
        return None

    def get_base_queryset(self):
        companies = super().get_base_queryset()
        if getattr(self, "swagger_fake_view", False):
            return companies
        latest = self.latest_run_id()
        return with_result(companies, latest and latest["id"])

    def paginate_queryset(self, queryset):
        # On the values read path the rows come wrapped (core.api.values.ValuesRows).
        values = queryset if isinstance(queryset, ValuesRows) else None
        companies = values.queryset if values is not None else queryset
        ordering = RankOrderingFilter().get_ordering(self.request, companies, self)
        if (
            self.action == "list"
            and "cursor" not in self.request.query_params  # keyset pages need no help
            and self.latest_run_id() is not None
            and ordering in rank_orderings()
        ):
            queryset = RankFirstPages(
                companies,
                descending=ordering[0].startswith("-"),
                read=values.plan.queryset if values is not None else None,
                count=values.count if values is not None else None,
            )
        return super().paginate_queryset(queryset)

    def count_rows(self, queryset):
        """The count without the join to the run's scores, unless a filter reads the result
        (grade, score, rank): the filtered companies alone are then an index-only count
        (companies of a region: 0.2 ms for 2,000 rather than 10 ms through the join, which
        makes PostgreSQL visit every row)."""
        used = narrowed(self.filterset_class, frozenset(self.request.query_params))
        if any(spec.field_name in RESULT_FIELDS for spec in used.base_filters.values()):
            return None
        companies = self.restrict(Company.objects.all())
        for backend in self.filter_backends:
            if not issubclass(backend, OrderingFilter):  # the order changes no count
                companies = backend().filter_queryset(self.request, companies, self)
        return companies.order_by().count

    def get_serializer_context(self):
        context = super().get_serializer_context()
        latest = self.latest_run_id() if not getattr(self, "swagger_fake_view", False) else None
        context["ranking_year"] = latest["year"] if latest else None
        return context


class RankingsStatusView(AcceptLanguageMixin, APIView):
    """Whether the rankings are current: the time of the latest provisional result ("as of"),
    the years waiting for a recompute and the years being recomputed."""

    permission_classes = [HasProgrammeRole]

    @extend_schema(
        responses=inline_serializer(
            "RankingsStatus",
            {
                "as_of": drf_serializers.DateTimeField(allow_null=True),
                "pending": drf_serializers.ListField(child=drf_serializers.IntegerField()),
                "running": drf_serializers.ListField(child=drf_serializers.IntegerField()),
                "up_to_date": drf_serializers.BooleanField(),
            },
        ),
        tags=["rankings"],
    )
    def get(self, request):
        status = rankings_status()
        return Response(
            {
                "as_of": status.as_of,
                "pending": status.pending,
                "running": status.running,
                "up_to_date": status.up_to_date,
            }
        )
