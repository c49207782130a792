"""Pages of the spreadsheet import (namespace "imports", included from tracker/web_urls.py)."""

from django.urls import path

from tracker.views import imports as views

urlpatterns = [
    path("", views.ImportStartView.as_view(), name="start"),
    path("template/<str:kind>.xlsx", views.template_download, name="template"),
    path("<int64:pk>/", views.ImportJobView.as_view(), name="job"),
    path("<int64:pk>/status.json", views.import_status, name="status"),
    path("<int64:pk>/apply/", views.ImportApplyView.as_view(), name="apply"),
    path("<int64:pk>/undo/", views.ImportUndoView.as_view(), name="undo"),
]
