"""Objection pages, namespace "notices"."""

from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("", views.ObjectionListView.as_view(), name="list"),
    path("new/", views.ObjectionFileView.as_view(), name="file"),
    path("<int64:pk>/", views.ObjectionDetailView.as_view(), name="detail"),
    path("<int64:pk>/remark/", views.ObjectionStepView.as_view(step="remark"), name="remark"),
    path("<int64:pk>/uphold/", views.ObjectionStepView.as_view(step="uphold"), name="uphold"),
    path("<int64:pk>/reject/", views.ObjectionStepView.as_view(step="reject"), name="reject"),
    path(
        "attachments/<int64:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
]
