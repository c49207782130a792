"""core.mail: a text encoded once and mailed to many reads, on the wire, exactly as the
same message encoded on its own — only the Message-ID differs, and each copy has its own."""

import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage, get_connection

from core.mail import SharedText

SUBJECT = "智能制造跟踪系统：提醒：2020年度数据填报将于7天后截止"
BODY = "您的企业尚未提交2020年度数据。\n\n打开：http://example.org/reporting/\n" * 4


def without_id(data: bytes) -> bytes:
    return re.sub(rb"Message-ID: <[^>]+>", b"Message-ID: <>", data)


@pytest.mark.parametrize("linesep", ["\n", "\r\n"])
@pytest.mark.parametrize("subject,body", [(SUBJECT, BODY), ("Reminder", "Plain English.\n")])
def test_a_copy_is_on_the_wire_what_the_message_encoded_alone_is(linesep, subject, body):
    shared = SharedText(subject=subject, body=body)
    copy = shared.message_to("factory@example.org").message()
    alone = EmailMessage(subject=subject, body=body, to=["factory@example.org"]).message()
    alone.replace_header("Date", shared.template["Date"])  # encoded a moment apart
    assert without_id(copy.as_bytes(linesep=linesep)) == without_id(alone.as_bytes(linesep=linesep))
    assert copy["To"] == "factory@example.org"


def test_each_copy_has_its_own_recipient_and_message_id():
    shared = SharedText(subject=SUBJECT, body=BODY)
    first = shared.message_to("a@example.org").message().as_bytes()
    second = shared.message_to("b@example.org").message().as_bytes()
    ids = [re.search(rb"Message-ID: (<[^>]+>)", data).group(1) for data in (first, second)]
    assert ids[0] != ids[1]
    assert b"To: a@example.org" in first and b"To: b@example.org" in second
    assert b"placeholder" not in first + second


def test_a_subject_holding_the_header_text_still_reaches_only_its_recipient():
    # A name typed into a subject cannot know the per-text placeholder, and even the header
    # line itself in a subject is not where the recipient goes.
    shared = SharedText(subject="Re: To: someone", body=BODY)
    shared_subject = SharedText(subject=f"x {shared.to} y", body=BODY)
    for text in (shared, shared_subject):
        data = text.message_to("a@example.org").message().as_bytes()
        assert data.count(b"a@example.org") == 1 and b"\nTo: a@example.org\n" in data


def test_an_address_that_is_not_plain_ascii_is_encoded_the_ordinary_way():
    shared = SharedText(subject=SUBJECT, body=BODY)
    data = shared.message_to("张三 <zhang@example.org>").message().as_bytes()
    assert b"zhang@example.org" in data and "张三".encode() not in data  # the name is encoded
    assert b"placeholder" not in data


def test_every_backend_takes_the_copies(settings):
    shared = SharedText(subject=SUBJECT, body=BODY)
    messages = [shared.message_to(f"u{i}@example.org") for i in range(3)]
    assert (
        get_connection("django.core.mail.backends.locmem.EmailBackend").send_messages(messages) == 3
    )
    assert [m.to for m in mail.outbox] == [
        ["u0@example.org"],
        ["u1@example.org"],
        ["u2@example.org"],
    ]
    assert {m.subject for m in mail.outbox} == {SUBJECT}
    import io

    stream = io.StringIO()
    console = get_connection("django.core.mail.backends.console.EmailBackend", stream=stream)
    assert console.send_messages(messages) == 3
    assert stream.getvalue().count("To: u") == 3
