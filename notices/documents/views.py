"""The pages of the official documents: downloads and print pages of a published run's
notice, its package, and a company's result letter. Who may have what is `access`; what the
documents say is `content`; these views only serve them (and log each download, as exports
are logged)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views import View

from companies.views.access import StaffRequiredMixin
from core.exports import log_export
from core.scoping import scope_region_name
from core.views import ScopedQuerysetMixin
from notices.documents import access
from notices.documents.content import letter_document, notice_document
from notices.documents.package import notice_package
from notices.documents.word import DOCX_CONTENT_TYPE, render_docx

ZIP_CONTENT_TYPE = "application/zip"


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


class _DocumentView(LoginRequiredMixin, ScopedQuerysetMixin, View):
    """A document as a DOCX download or, with `print_page`, as its print page (which links
    the DOCX). ScopedQuerysetMixin answers a county user's letter of another region with the
    product's "other region" page."""

    print_page = False
    resource = ""
    docx_url_name = ""

    def document(self):
        raise NotImplementedError

    def get(self, request, **kwargs):
        document, year = self.document()
        if self.print_page:
            docx_url = reverse(f"documents:{self.docx_url_name}", kwargs=kwargs)
            return render(
                request, "documents/print.html", {"document": document, "docx_url": docx_url}
            )
        log_export(
            user=request.user,
            resource=f"{self.resource}-{year}",
            fmt="docx",
            filters=dict(kwargs),
            count=1,
        )
        return _download(
            render_docx(document),
            filename=f"{document.file_stem}.docx",
            content_type=DOCX_CONTENT_TYPE,
        )


class NoticeView(_DocumentView):
    """The public notice (公示) of a published run."""

    resource = "notice"
    docx_url_name = "notice_docx"

    def document(self):
        run = access.notice_run(self.request.user, self.kwargs["pk"])
        return notice_document(run), run.year


class LetterView(_DocumentView):
    """A company's result letter (评价结果告知书) for a published run."""

    resource = "result-letter"
    docx_url_name = "letter_docx"

    def document(self):
        score = access.letter_score(self.request.user, self.kwargs["pk"], self.kwargs["company"])
        return letter_document(score), score.run.year


class NoticePackageView(StaffRequiredMixin, View):
    """Staff: the notice and the result lists of each class, in one ZIP (county staff: their
    region's lists)."""

    def get(self, request, pk):
        run = access.published_run(pk)
        region_name = scope_region_name(request.user)
        content, listed = notice_package(
            run, access.package_scores(request.user, run), region_name=region_name
        )
        log_export(
            user=request.user,
            resource=f"notice-package-{run.year}",
            fmt="zip",
            filters={"run": run.pk},
            count=listed,
        )
        stem = "-".join(str(part) for part in ("notice", run.year, region_name) if part)
        return _download(content, filename=f"{stem}.zip", content_type=ZIP_CONTENT_TYPE)
