"""Server-rendered pages (mounted under i18n_patterns: Chinese at /, English at /en/)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from companies import urls as company_urls
from core import inbox
from tracker.views import account
from tracker.views.company_detail import CompanyDetailView
from tracker.views.company_list import RankedCompanyListView
from tracker.views.dashboard import DashboardView
from tracker.views.home import home
from tracker.views.portal import PortalView

# The company list and page show projects and rankings, which the companies app may not
# import, so their views live in tracker; they join the "companies" namespace here.
companies_patterns = (
    [
        path("companies/", RankedCompanyListView.as_view(), name="list"),
        *company_urls.urlpatterns,
        path("companies/<int64:pk>/", CompanyDetailView.as_view(), name="detail"),
    ],
    "companies",
)

urlpatterns = [
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account.AccountView.as_view(), name="account"),
    path("account/revoke-token/", account.revoke_token, name="account-revoke-token"),
    path(
        "account/notifications/",
        account.NotificationPreferenceView.as_view(),
        name="account-notifications",
    ),
    path("account/logout-all/", account.log_out_everywhere, name="account-logout-all"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("portal/", PortalView.as_view(), name="portal"),
    path("", include(companies_patterns)),
    path("projects/", include("projects.urls")),
    path("imports/", include(("tracker.imports.urls", "imports"))),
    path("rankings/", include(("rankings.urls", "rankings"))),
    path("reporting/", include("reporting.urls")),
    path("objections/", include("notices.urls")),
    path("documents/", include("notices.documents.urls")),
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("inbox/read-all/", inbox.InboxReadAllView.as_view(), name="inbox-read-all"),
    path("inbox/<int64:pk>/", inbox.NotificationOpenView.as_view(), name="inbox-open"),
]
