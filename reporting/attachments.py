"""What an evidence file may be. The rule is the platform's (core.uploads: PDF, JPG or PNG,
at most 10 MB, its type read from its first bytes, never from the name or the browser's
content type), shared with objection attachments; this module names it for the reporting
app: the portal form, the API and the admin call it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import MAX_UPLOAD_BYTES, display_name, upload_kind

ATTACHMENT_MAX_BYTES = MAX_UPLOAD_BYTES
# Evidence files one submission may hold: enough for a year's receipts and certificates,
# and a bound on what one company can store.
MAX_FILES_PER_SUBMISSION = 20


def check_room_for_another(count: int) -> None:
    """Refuse a file beyond MAX_FILES_PER_SUBMISSION (`count`: the files already attached)."""
    if count >= MAX_FILES_PER_SUBMISSION:
        raise ValidationError(
            {
                "file": _(
                    "A submission holds at most %(n)s evidence files; remove one before "
                    "attaching another."
                )
                % {"n": MAX_FILES_PER_SUBMISSION}
            }
        )


def attachment_kind(upload) -> str:
    """The kind of an uploaded file ("pdf", "png", "jpg") read from its content, or a
    ValidationError naming the field `file` (missing, too large, empty, or another type)."""
    if upload is None:
        raise ValidationError({"file": _("Choose a file to attach.")})
    return upload_kind(upload, field="file")


def safe_display_name(name: str, kind: str) -> str:
    """The uploaded name as shown (never as stored): core.uploads.display_name, with the
    extension of the detected kind."""
    stem = display_name(name).rsplit(".", 1)[0][:100] or "file"
    return f"{stem}.{kind}"
