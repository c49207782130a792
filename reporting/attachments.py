"""What an evidence file may be: PDF, JPG or PNG, at most ATTACHMENT_MAX_BYTES, its type read
from its first bytes (the name and the browser's content type are the uploader's word, not
the file's). The one home of the rule: the portal form, the API and the admin call it."""

from __future__ import annotations

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Kind → (content type served, the signature its content starts with).
SIGNATURES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
CONTENT_TYPES = {kind: content_type for kind, (content_type, _sigs) in SIGNATURES.items()}


def attachment_kind(upload) -> str:
    """The kind of an uploaded file ("pdf", "png", "jpg") read from its content, or a
    ValidationError naming the field `file` (too large, empty, or another type)."""
    if upload is None:
        raise ValidationError({"file": _("Choose a file to attach.")})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than 10 MB; attach a smaller scan or photo.")}
        )
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, (_content_type, signatures) in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    raise ValidationError(
        {"file": _("Only PDF, JPG and PNG files can be attached (this file is none of them).")}
    )


def safe_display_name(name: str, kind: str) -> str:
    """The uploaded name as shown (never as stored): path parts and odd characters removed,
    cut to fit, with the extension of the detected kind."""
    try:
        base = get_valid_filename((name or "").replace("\\", "/").rsplit("/", 1)[-1])
    except SuspiciousFileOperation:  # nothing usable left of the name
        base = "file"
    stem = base.rsplit(".", 1)[0][:100] or "file"
    return f"{stem}.{kind}"
