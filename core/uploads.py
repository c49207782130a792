"""Evidence files people upload (objection attachments; later submissions' evidence): the
kinds accepted, checked by their content, at most MAX_UPLOAD_BYTES each, stored under a
name the server makes up.

The type is read from the file's first bytes (magic numbers), never from the name or the
browser's Content-Type, which the uploader controls."""

from __future__ import annotations

import os
import uuid

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# kind -> (magic prefix, stored extension, content type served)
UPLOAD_KINDS = {
    "pdf": (b"%PDF-", "pdf", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    "jpg": (b"\xff\xd8\xff", "jpg", "image/jpeg"),
}


def upload_kind(uploaded, *, field: str = "file") -> str:
    """The kind (`pdf`, `png`, `jpg`) of an uploaded file, by content; a ValidationError naming
    `field` for a file that is empty, too large or of another type."""
    size = getattr(uploaded, "size", None) or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                field: _("A file may be at most %(mb)s MB; %(name)s is larger.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024), "name": display_name(uploaded.name)}
            }
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not head:
        raise ValidationError(
            {field: _("The file %(name)s is empty.") % {"name": display_name(uploaded.name)}}
        )
    for kind, (magic, _ext, _type) in UPLOAD_KINDS.items():
        if head.startswith(magic):
            return kind
    raise ValidationError(
        {
            field: _("%(name)s is not a PDF, JPG or PNG file (judged by its content).")
            % {"name": display_name(uploaded.name)}
        }
    )


def display_name(name: str | None) -> str:
    """The uploader's file name made safe to show and to offer as a download name: no path,
    no characters outside letters, digits, dot, dash and underscore, at most 100 characters."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    try:
        safe = get_valid_filename(base)
    except Exception:  # noqa: BLE001 - Django raises SuspiciousFileOperation for "", "." and ".."
        safe = "file"
    return safe[-100:]


def stored_name(folder: str, kind: str) -> str:
    """A name the server makes up (a random id and the extension of the detected kind)."""
    return f"{folder}/{uuid.uuid4().hex}.{UPLOAD_KINDS[kind][1]}"


def content_type(kind: str) -> str:
    return UPLOAD_KINDS[kind][2]


def download_response(field_file, *, shown_name: str, kind: str):
    """A stored upload as a download: under its safe shown name, with the content type of its
    checked kind, and `nosniff` so a browser never reads it as anything else."""
    from django.http import FileResponse

    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=shown_name,
        content_type=content_type(kind),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
