"""One text mailed to many people, each getting their own message, encoded once.

A deadline reminder to 100,000 companies is one text per language. Encoding a message for
the wire — MIME, a Chinese subject and body in base64, header folding — costs about 0.2 ms,
so encoding the same text 100,000 times was most of the e-mail pass. `SharedText` encodes
its text once (per line ending) and `message_to(address)` gives each recipient an ordinary
`EmailMessage` whose wire bytes are those with the recipient's To and a fresh Message-ID put
in. Every backend reads `message()` (SMTP, console and file send `as_bytes()` of it; locmem
keeps the EmailMessage), so nothing else changes; an address that is not plain ASCII, and
anything but a plain one-recipient text message, is encoded the ordinary way.
"""

from __future__ import annotations

import secrets
from email.utils import make_msgid

from django.core.mail import EmailMessage
from django.core.mail.message import DNS_NAME, SafeMIMEText


class SharedText:
    """A subject and body (and sender) mailed to many recipients (see the module's text)."""

    def __init__(self, *, subject: str, body: str, from_email: str | None = None):
        self.subject, self.body, self.from_email = subject, body, from_email
        # Placeholders no text can know in advance, found by their whole header lines.
        token = secrets.token_hex(16)
        self.to, self.message_id = f"to-{token}@placeholder.invalid", f"<id-{token}@placeholder>"
        self.template = EmailMessage(
            subject=subject,
            body=body,
            from_email=from_email,
            to=[self.to],
            headers={"Message-ID": self.message_id},
        ).message()
        self._encoded: dict[str, tuple[bytes, bytes, bytes] | None] = {}

    def message_to(self, address: str) -> EmailMessage:
        return _OneCopy(self, address)

    def encoded(self, linesep: str) -> tuple[bytes, bytes, bytes] | None:
        """The template's bytes around its To address and its Message-ID, or None when its
        header lines are not each found exactly once (then each copy is encoded alone)."""
        if linesep not in self._encoded:
            data = SafeMIMEText.as_bytes(self.template, linesep=linesep)
            to_line = f"{linesep}To: {self.to}{linesep}".encode()
            id_line = f"{linesep}Message-ID: {self.message_id}{linesep}".encode()
            parts = None
            if data.count(to_line) == 1 and data.count(id_line) == 1:
                head, rest = data.split(to_line)
                if rest.count(id_line) == 1:
                    middle, tail = rest.split(id_line)
                    parts = (
                        head + to_line[: -len(self.to) - len(linesep)],
                        linesep.encode() + middle + id_line[: -len(self.message_id) - len(linesep)],
                        linesep.encode() + tail,
                    )
            self._encoded[linesep] = parts
        return self._encoded[linesep]


class _OneCopy(EmailMessage):
    def __init__(self, shared: SharedText, address: str):
        super().__init__(
            subject=shared.subject, body=shared.body, from_email=shared.from_email, to=[address]
        )
        self.shared = shared

    def message(self):
        plain = (
            len(self.to) == 1
            and self.to[0].isascii()
            and self.to[0].isprintable()
            and "," not in self.to[0]
            and not (self.cc or self.bcc or self.reply_to or self.attachments)
            and not self.extra_headers
            and (self.subject, self.body) == (self.shared.subject, self.shared.body)
        )
        if not plain:
            return super().message()
        return _EncodedCopy(self.shared, self.to[0])


class _EncodedCopy(SafeMIMEText):
    """The shared template's message with one recipient's To and its own Message-ID; its
    `as_bytes` splices them into the template's bytes instead of encoding it again."""

    def __init__(self, shared: SharedText, address: str):  # no super(): a copy, not a build
        self.__dict__.update(shared.template.__dict__)
        self.message_id = make_msgid(domain=DNS_NAME)
        self._headers = [
            (name, address if name == "To" else self.message_id if name == "Message-ID" else value)
            for name, value in shared.template._headers
        ]
        self.shared, self.address = shared, address

    def as_bytes(self, unixfrom=False, linesep="\n"):
        if unixfrom:
            return super().as_bytes(unixfrom=unixfrom, linesep=linesep)
        parts = self.shared.encoded(linesep)
        if parts is None:
            return super().as_bytes(unixfrom=unixfrom, linesep=linesep)
        head, middle, tail = parts
        return b"".join((head, self.address.encode(), middle, self.message_id.encode(), tail))
