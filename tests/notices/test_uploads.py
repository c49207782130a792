"""Evidence files: the type is judged by content, the size is capped, and neither the stored
name nor the shown name comes unchecked from the uploader (core.uploads)."""

import pytest
from django.core.exceptions import ValidationError

from core.uploads import MAX_UPLOAD_BYTES, display_name, upload_kind
from notices.models import Objection, ObjectionAttachment
from tests.notices.conftest import JPG, PDF, PNG, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("content", "kind"), [(PDF, "pdf"), (PNG, "png"), (JPG, "jpg")])
def test_pdf_png_and_jpg_are_recognised_by_content(content, kind):
    # The name says otherwise: the content decides.
    assert upload_kind(upload("whatever.txt", content, "text/plain")) == kind


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03" + b"\x00" * 40,  # a Windows program named .pdf
        b"<html><script>alert(1)</script></html>",
        b"PK\x03\x04" + b"\x00" * 40,  # a zip / docx
        b"GIF89a" + b"\x00" * 20,
    ],
)
def test_other_types_are_refused_whatever_their_name(content):
    with pytest.raises(ValidationError) as exc:
        upload_kind(upload("证明.pdf", content), field="files")
    assert "files" in exc.value.message_dict
    assert "PDF" in exc.value.message_dict["files"][0]


def test_empty_and_oversized_files_are_refused():
    with pytest.raises(ValidationError):
        upload_kind(upload("empty.pdf", b""))
    big = upload("big.pdf", PDF + b"0" * MAX_UPLOAD_BYTES)
    with pytest.raises(ValidationError) as exc:
        upload_kind(big, field="files")
    assert "10 MB" in exc.value.message_dict["files"][0]
    # Exactly 10 MB is allowed.
    assert upload_kind(upload("edge.pdf", PDF + b"0" * (MAX_UPLOAD_BYTES - len(PDF)))) == "pdf"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\完税证明.pdf", "完税证明.pdf"),
        ('a"b<script>.pdf', "abscript.pdf"),
        ("证明 材料.pdf", "证明_材料.pdf"),
        ("..", "file"),
    ],
)
def test_shown_names_are_made_safe(given, shown):
    assert display_name(given) == shown


def test_stored_names_are_made_up_and_a_bad_file_stops_the_whole_objection(file_one):
    objection = file_one(files=[upload("../../evil.pdf", PDF)])
    [attachment] = objection.attachments.all()
    assert attachment.original_name == "evil.pdf"
    folder, name = attachment.file.name.rsplit("/", 1)
    assert folder == f"objections/{objection.pk}"
    assert name.endswith(".pdf") and "evil" not in name and len(name) == 32 + 4
    with pytest.raises(ValidationError) as exc:
        file_one(files=[upload("ok.pdf", PDF), upload("bad.png", b"MZ" + b"\x00" * 20)])
    assert "files" in exc.value.message_dict
    assert Objection.objects.count() == 1 and ObjectionAttachment.objects.count() == 1
