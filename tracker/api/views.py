"""Site-wide API endpoints: a database-free ping and the seed figures (sign-in: auth.py)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from companies.models import Company
from companies.models.annual import MAX_YEAR, MIN_YEAR
from core.api.permissions import HasProgrammeRole
from core.api.viewsets import AcceptLanguageMixin
from tracker.selectors import not_applicable_reason, seed_figures


class PingView(APIView):
    """Answers `{"ok": true}` without touching the database: the framework's own ceiling
    in benchmarks, and a liveness probe."""

    authentication_classes = []
    permission_classes = [AllowAny]
    public_endpoint = True

    @extend_schema(
        responses=inline_serializer("Ping", {"ok": serializers.BooleanField()}),
        auth=[],
        tags=["status"],
        description=str(_("Liveness probe; no authentication, no database.")),
    )
    def get(self, request):
        return Response({"ok": True})


class FiguresQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text=_("Default: latest data year."),
    )


class FiguresView(AcceptLanguageMixin, APIView):
    """The seed article's figures computed live (the dashboard's `seed_figures`): companies,
    pilots, batches, IMS-standard and demonstration projects with their investment, robots
    added per year, transformed companies against the rest, smart-practice share.

    Scoped like the dashboard, since SPEC.md scopes aggregates too: city staff and
    administrators get the city-wide figures, county staff those of their region's
    companies, a company user its own company's. Demonstration batches are the city's and
    always counted whole. Money in RMB, percentages with two decimals; a percentage that
    means nothing (a loss-making base year, no cohort) is null, with its reason's code in
    `transformed_vs_rest.not_applicable` and the reason in `not_applicable_reasons`.
    """

    permission_classes = [HasProgrammeRole]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description=_("Default: latest data year."))],
        responses=inline_serializer(
            "SeedFigures",
            {
                "year": serializers.IntegerField(allow_null=True),
                "batches": serializers.IntegerField(),
                "pilot_companies": serializers.IntegerField(),
                "companies_above_size": serializers.IntegerField(),
                "companies_total": serializers.IntegerField(),
                "ims_projects": serializers.DictField(),
                "demo_projects": serializers.DictField(),
                "robots_added": serializers.DictField(child=serializers.IntegerField()),
                "transformed_vs_rest": serializers.DictField(),
                "smart_practice_share_pct": serializers.FloatField(allow_null=True),
                "ims_certified_companies": serializers.IntegerField(),
            },
        ),
        tags=["figures"],
    )
    def get(self, request):
        query = FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        figures = seed_figures(
            year=query.validated_data.get("year"),
            companies=Company.objects.visible_to(request.user),
        )
        # Beside each code, its reason in the caller's language: a percentage that means
        # nothing is null, never a number, and says why.
        comparison = figures["transformed_vs_rest"]
        comparison["not_applicable_reasons"] = {
            key: not_applicable_reason(code)
            for key, code in (comparison.get("not_applicable") or {}).items()
        }
        return Response(figures)
