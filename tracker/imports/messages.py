"""Import messages in the reader's language, whatever language the check ran in.

A dry run's problems and an import's outcome are stored on the job and read later, by its
author or by city staff, in either language. So each message is built as a `Message` (text
rendered when it is shown, not when it is made), stored with its text in every language of the
site (`in_every_language`), and the page shows the reader's (`shown`). A message may come from
our own strings with parameters, from a model's ValidationError or from another app's rule
(year-on-year warnings): rendering each of them in each language when it is stored serves all
of them alike, where storing only a msgid and parameters would not.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext


class Message:
    """Text rendered in the language active when `str()` is called."""

    def __init__(self, render: Callable[[], str]):
        self._render = render

    def __str__(self) -> str:
        return self._render()

    def __repr__(self) -> str:
        return f"Message({self._render()!r})"


def _rendered(value):
    return str(value) if isinstance(value, Message | Promise) else value


class Text(Message):
    """One of our msgids, translated when rendered; `Text("… %(n)d …") % {"n": 3}` keeps the
    parameters for then. Used as `_` by the import modules."""

    def __init__(self, msgid: str, params=None):
        self.msgid, self.params = msgid, params
        super().__init__(self._translate)

    def __mod__(self, params) -> Text:
        return Text(self.msgid, params)

    def _translate(self) -> str:
        text = gettext(self.msgid) if self.msgid else ""
        if self.params is None:
            return text
        if isinstance(self.params, dict):
            return text % {key: _rendered(value) for key, value in self.params.items()}
        return text % self.params


def from_validation_error(exc: ValidationError) -> Message:
    """A ValidationError's messages (lazily translated by the validators) joined into one."""
    errors = exc.error_list

    def render() -> str:
        return " ".join(
            str(error.message % error.params if error.params else error.message) for error in errors
        )

    return Message(render)


def message_of(exc: Exception) -> Message | str:
    """The message an exception was raised with, still to be rendered if it is a Message."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)


def in_every_language(message) -> dict[str, str]:
    """{language code: the message's text in it} for the site's languages."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(message)
    return texts


def shown(texts: dict | None, fallback: str = "") -> str:
    """The text of the reader's language among stored `texts`, or `fallback` (what a job
    stored before messages were kept in every language)."""
    texts = texts or {}
    return texts.get(translation.get_language()) or texts.get(settings.LANGUAGE_CODE) or fallback
