"""Pages of the reporting cycle, namespace "reporting" (mounted by tracker/web_urls.py)."""

from django.urls import path

from reporting.views import common, portal, staff

app_name = "reporting"

urlpatterns = [
    path("campaigns/", staff.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/open/", staff.CampaignOpenView.as_view(), name="campaign_open"),
    path("campaigns/<int64:pk>/", staff.CampaignDetailView.as_view(), name="campaign"),
    path(
        "campaigns/<int64:pk>/extend/", staff.CampaignExtendView.as_view(), name="campaign_extend"
    ),
    path(
        "campaigns/<int64:pk>/add/", staff.CampaignAddCompaniesView.as_view(), name="campaign_add"
    ),
    path("queue/", staff.QueueView.as_view(), name="queue"),
    path("submissions/<int64:pk>/", staff.SubmissionReviewView.as_view(), name="submission"),
    path("submissions/<int64:pk>/step/", staff.SubmissionStepView.as_view(), name="step"),
    path("attachments/<int64:pk>/", common.AttachmentDownloadView.as_view(), name="attachment"),
    path("portal/", portal.PortalReportView.as_view(), name="portal"),
    path("portal/attach/", portal.PortalAttachmentView.as_view(), name="portal_attach"),
    path(
        "portal/attachments/<int64:pk>/remove/",
        portal.PortalAttachmentDeleteView.as_view(),
        name="portal_attachment_remove",
    ),
    path("portal/declare/", portal.PortalDeclareView.as_view(), name="portal_declare"),
    path(
        "portal/projects/<int64:pk>/progress/",
        portal.PortalProgressView.as_view(),
        name="portal_progress",
    ),
]
