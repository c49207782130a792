"""Pieces the staff pages and the portal share: the refusal messages and the file download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View

from reporting.attachments import CONTENT_TYPES
from reporting.models import Attachment


def report_refusal(request, error) -> None:
    """Show a service's refusal (ValidationError / PermissionDenied) as messages."""
    if isinstance(error, ValidationError):
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(error) or "—")


REFUSALS = (ValidationError, PermissionDenied)


def attachment_response(attachment: Attachment) -> FileResponse:
    """An evidence file as a download (never shown inline), with the type its content was
    found to be and its cleaned display name; 404 when the stored file is gone."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=CONTENT_TYPES.get(attachment.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class AttachmentDownloadView(LoginRequiredMixin, View):
    """An evidence file, to those who may see its submission (404 to everyone else)."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
        return attachment_response(attachment)
