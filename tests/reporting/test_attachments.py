"""What an evidence file may be: PDF, JPG or PNG by content, at most 10 MB; its shown name is
cleaned and its stored name is chosen by the system."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.attachments import ATTACHMENT_MAX_BYTES, attachment_kind, safe_display_name
from reporting.services import attachment_add
from tests.reporting.conftest import PDF, PNG

JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16


@pytest.mark.parametrize(("content", "kind"), [(PDF, "pdf"), (PNG, "png"), (JPG, "jpg")])
def test_the_kind_is_read_from_the_content(content, kind):
    assert attachment_kind(SimpleUploadedFile("whatever.exe", content)) == kind


@pytest.mark.parametrize(
    "content",
    [b"", b"MZ\x90\x00", b"<html><script>alert(1)</script>", b"PK\x03\x04zip", b"GIF89a"],
)
def test_other_content_is_refused_naming_the_field(content):
    with pytest.raises(ValidationError) as error:
        attachment_kind(SimpleUploadedFile("scan.pdf", content))
    assert "file" in error.value.message_dict


def test_more_than_ten_megabytes_is_refused():
    big = SimpleUploadedFile("big.pdf", PDF + b"\x00" * (ATTACHMENT_MAX_BYTES - len(PDF) + 1))
    with pytest.raises(ValidationError):
        attachment_kind(big)
    exact = SimpleUploadedFile("ok.pdf", PDF + b"\x00" * (ATTACHMENT_MAX_BYTES - len(PDF)))
    assert attachment_kind(exact) == "pdf"


@pytest.mark.parametrize(
    ("name", "kind", "shown"),
    [
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("C:\\Users\\a\\证明 材料.PDF", "pdf", "证明_材料.pdf"),
        ("photo.pdf", "png", "photo.png"),
        ("", "jpg", "file.jpg"),
    ],
)
def test_shown_names_are_cleaned(name, kind, shown):
    assert safe_display_name(name, kind) == shown


@pytest.mark.django_db
def test_the_stored_name_is_the_systems(world, submissions):
    upload = SimpleUploadedFile("../../evil.pdf.php", PDF)
    attachment = attachment_add(
        submission=submissions["own"], user=world["users"]["company"], upload=upload
    )
    stored = attachment.file.name
    assert stored.startswith(f"submissions/{submissions['own'].pk}/") and stored.endswith(".pdf")
    assert "evil" not in stored and ".." not in stored
    assert attachment.original_name == "evil.pdf.pdf"
