"""Pieces the staff pages and the portal share: the refusal messages and the file download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from core.uploads import download_response
from reporting.models import Attachment


def report_refusal(request, error) -> None:
    """Show a service's refusal (ValidationError / PermissionDenied) as messages."""
    if isinstance(error, ValidationError):
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(error) or "—")


REFUSALS = (ValidationError, PermissionDenied)


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: each message beside the field it names, the
    rest at the top."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            for text in messages_:
                form.add_error(field if field in form.fields else None, text)
    else:
        for text in error.messages:
            form.add_error(None, text)


def attachment_response(attachment: Attachment):
    """An evidence file as a download (core.uploads.download_response: never inline, the type
    its content was found to be, its cleaned display name); 404 when the stored file is gone."""
    try:
        return download_response(
            attachment.file, shown_name=attachment.original_name, kind=attachment.kind
        )
    except FileNotFoundError:
        raise Http404 from None


class AttachmentDownloadView(LoginRequiredMixin, View):
    """An evidence file, to those who may see its submission (404 to everyone else)."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
        return attachment_response(attachment)
