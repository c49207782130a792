"""Official documents of a published run, namespace "documents" (tracker/web_urls.py)."""

from django.urls import path

from notices.documents import views

app_name = "documents"

urlpatterns = [
    path("runs/<int64:pk>/notice/", views.NoticeView.as_view(print_page=True), name="notice_print"),
    path("runs/<int64:pk>/notice.docx", views.NoticeView.as_view(), name="notice_docx"),
    path("runs/<int64:pk>/package.zip", views.NoticePackageView.as_view(), name="notice_package"),
    path(
        "runs/<int64:pk>/letters/<int64:company>/",
        views.LetterView.as_view(print_page=True),
        name="letter_print",
    ),
    path(
        "runs/<int64:pk>/letters/<int64:company>.docx",
        views.LetterView.as_view(),
        name="letter_docx",
    ),
]
