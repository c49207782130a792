"""REST API routes (/api/v1/...), OpenAPI schema (/api/schema/) and its offline docs
(/api/docs/ Swagger UI, /api/redoc/ ReDoc, both served from drf-spectacular-sidecar).

Swagger UI is the "split" variant: its start-up script is a file (/api/docs/?script=), not
inline code, so the site's Content-Security-Policy (scripts from 'self' only) lets it run.
ReDoc renders templates/drf_spectacular/redoc.html: no Google Fonts, CSP nonce on its script.
The schema and both pages are for signed-in users (tracker/api/docs.py)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from companies.api import views as company_views
from core.api import notifications as notification_views
from notices.api import views as notice_views
from projects.api import views as project_views
from rankings.api import views as ranking_views
from reporting.api import views as reporting_views
from tracker.api import auth, docs
from tracker.api import views as tracker_views

router = DefaultRouter()
router.register("regions", company_views.RegionViewSet, basename="region")
router.register("industries", company_views.IndustryViewSet, basename="industry")
router.register("key-industries", company_views.KeyIndustryViewSet, basename="key-industry")
router.register("batches", company_views.BatchViewSet, basename="batch")
# The rankings app's subclass: the company list with each company's city rank and score.
router.register("companies", ranking_views.RankedCompanyViewSet, basename="company")
router.register("designations", company_views.DesignationViewSet, basename="designation")
router.register("certifications", company_views.CertificationViewSet, basename="certification")
router.register(
    "surveillance-audits", company_views.SurveillanceAuditViewSet, basename="surveillance-audit"
)
router.register(
    "maturity-assessments",
    company_views.MaturityAssessmentViewSet,
    basename="maturity-assessment",
)
router.register("annual-data", company_views.AnnualDataViewSet, basename="annual-data")
router.register("projects", project_views.KeyProjectViewSet, basename="project")
router.register("progress-reports", project_views.ProgressReportViewSet, basename="progress-report")
router.register("runs", ranking_views.RankingRunViewSet, basename="run")
router.register("campaigns", reporting_views.CampaignViewSet, basename="campaign")
router.register("submissions", reporting_views.SubmissionViewSet, basename="submission")
router.register("objections", notice_views.ObjectionViewSet, basename="objection")
router.register("notifications", notification_views.NotificationViewSet, basename="notification")

scores = ranking_views.CompanyScoreViewSet.as_view({"get": "list"}, basename="score")
league = ranking_views.RegionLeagueViewSet.as_view({"get": "list"}, basename="league")

v1 = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("auth/tokens/", auth.OwnTokensView.as_view(), name="api-own-tokens"),
    path("auth/logout-all/", auth.LogOutEverywhereView.as_view(), name="api-logout-all"),
    path("ping/", tracker_views.PingView.as_view(), name="api-ping"),
    path("figures/", tracker_views.FiguresView.as_view(), name="api-figures"),
    path("rankings/status/", ranking_views.RankingsStatusView.as_view(), name="rankings-status"),
    path("runs/<int64:run_id>/scores/", scores, name="run-scores"),
    path("rankings/<int64:year>/scores/", scores, name="year-scores"),
    path("rankings/<int64:year>/league/", league, name="year-league"),
    path("companies/<int64:company_id>/scores/", scores, name="company-scores"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", docs.RedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
