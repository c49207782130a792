"""URL converters. `<int64:...>` is Django's `<int:...>` bounded to the range of a
BigAutoField id: a longer number in a URL names no record (404) instead of reaching the
database driver, which cannot bind it (OverflowError, an HTTP 500)."""

from django.urls.converters import IntConverter

MAX_ID = 2**63 - 1


class Int64Converter(IntConverter):
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # Django takes a ValueError as "this route does not match"
        return number


def parse_id(value) -> int | None:
    """A query or form parameter read as a non-negative whole number within an id's range, or
    None: "²" and "٣" are digits to `str.isdigit` but not to `int`, and a number beyond 64
    bits cannot be bound by the database driver — either would answer HTTP 500."""
    text = str(value if value is not None else "")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None
