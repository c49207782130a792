"""Serializers of ranking runs, company scores, league rows and ranked companies."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from companies.api.serializers import CompanySerializer
from core.roles import STAFF_ROLES
from core.scoping import scope_of
from rankings.choices import Grade, SizeClass
from rankings.models import CompanyScore, RankingRun, RegionLeague
from rankings.models.scores import DETAIL_FIELDS, score_details_visible


class RankingRunSerializer(serializers.ModelSerializer):
    """A run as staff see it. Who published it and the reason (free text, which may name
    other companies) are staff-only: `run_serializer_for` gives anyone else
    CompanyRankingRunSerializer, without them."""

    published_by = serializers.CharField(
        source="published_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = RankingRun
        fields = (
            "id",
            "year",
            "kind",
            "status",
            "scheme_version",
            "started_at",
            "finished_at",
            "published_by",
            "reason",
            "notice_ends_on",
            "supersedes",
            "evaluation_scope",
            "rated_count",
            "rated_count_below",
            "baseline_tax_per_mu",
            "baseline_added_value_per_mu",
            "baseline_labour_productivity",
            "baseline_added_value_per_energy",
            "baseline_added_value_per_emission",
            "baseline_rd_intensity",
            "baseline_robot_density",
        )
        read_only_fields = fields
        # Left out for company users (the schema marks them as not always present).
        staff_only_fields = ("published_by", "reason")


class CompanyRankingRunSerializer(RankingRunSerializer):
    """A run as a company user sees it: no staff names, no free-text reason."""

    published_by = None

    class Meta(RankingRunSerializer.Meta):
        fields = tuple(
            name
            for name in RankingRunSerializer.Meta.fields
            if name not in RankingRunSerializer.Meta.staff_only_fields
        )
        read_only_fields = fields


def run_serializer_for(user) -> type[RankingRunSerializer]:
    if scope_of(user).role in STAFF_ROLES:
        return RankingRunSerializer
    return CompanyRankingRunSerializer


class CompanyScoreSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="run.year", read_only=True)
    run_kind = serializers.CharField(source="run.kind", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)

    class Meta:
        model = CompanyScore
        fields = "__all__"

    def get_fields(self):
        # Scores are written only by the ranking computation.
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        for name in DETAIL_FIELDS:
            fields[name].allow_null = True  # null for another region's company (below)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        self.hide_details(data, instance.region_id)
        return data

    def represent_values(self, data, row):
        """The same rule for a row of the list's values read path (core.api.values)."""
        self.hide_details(data, row["region"])

    def hide_details(self, data, region_id):
        request = self.context.get("request")
        user = request.user if request is not None else None
        if not score_details_visible(user, region_id):
            # Another region's company: its rank, score and grade, not its figures.
            for name in DETAIL_FIELDS:
                if name in data:
                    data[name] = None


class RegionLeagueSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="run.year", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = RegionLeague
        fields = "__all__"
        read_only_fields = [field.name for field in RegionLeague._meta.fields]


class RankedCompanySerializer(CompanySerializer):
    """A company with its result in the latest provisional run (null when not ranked)."""

    ranking_year = serializers.SerializerMethodField()
    city_rank = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()
    size_class = serializers.SerializerMethodField()

    class Meta(CompanySerializer.Meta):
        fields = (
            *CompanySerializer.Meta.fields,
            "ranking_year",
            "city_rank",
            "score",
            "grade",
            "size_class",
        )

    # The annotations each method field reads (RankedCompanyViewSet), so the list can be
    # read with values() (core.api.values).
    method_field_sources = {
        "ranking_year": (),
        "city_rank": ("city_rank",),
        "score": ("score",),
        "grade": ("grade",),
        "size_class": ("size_class",),
    }

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_ranking_year(self, company):
        return self.context.get("ranking_year")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_city_rank(self, company):
        return getattr(company, "city_rank", None)

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_score(self, company):
        score = getattr(company, "score", None)
        return None if score is None else f"{score:.2f}"

    @extend_schema_field(serializers.ChoiceField(choices=Grade.choices, allow_null=True))
    def get_grade(self, company):
        return getattr(company, "grade", None) or None

    @extend_schema_field(serializers.ChoiceField(choices=SizeClass.choices, allow_null=True))
    def get_size_class(self, company):
        """The class the company was rated (or listed) in: its ranks are within it."""
        return getattr(company, "size_class", None) or None
