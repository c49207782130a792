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
