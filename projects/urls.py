"""Staff pages of key projects, namespace "projects"."""

from django.urls import path

from core.views import RecordVoidView
from projects import views
from projects.models import KeyProject

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("add/", views.ProjectCreateView.as_view(), name="create"),
    path("add/for/<int64:company_pk>/", views.ProjectCreateView.as_view(), name="create_for"),
    path("<int64:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int64:pk>/edit/", views.ProjectUpdateView.as_view(), name="update"),
    path("<int64:pk>/move/", views.ProjectTransitionView.as_view(), name="transition"),
    path("<int64:pk>/reports/add/", views.ProgressReportCreateView.as_view(), name="report_create"),
    path("<int64:pk>/void/", RecordVoidView.as_view(model=KeyProject), name="void"),
    path(
        "<int64:pk>/restore/",
        RecordVoidView.as_view(model=KeyProject, restore=True),
        name="restore",
    ),
]
