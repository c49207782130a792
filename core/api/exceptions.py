"""Errors as API clients expect them.

- Django's ValidationError (from `full_clean` in the services) -> 400 `{field: [message]}`,
  errors not tied to one field under `non_field_errors`.
- PermissionDenied -> 403 (rows the caller may not see never get this far: they are 404).
- core.services.StaleVersionError -> 409 with the message, both versions and the
  fields that changed meanwhile.
- ProtectedError / RestrictedError (deleting a row others still point at) -> 409.
- A request over Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FILES,
  DATA_UPLOAD_MAX_NUMBER_FIELDS) -> 400 with a message, not Django's bare HTML 400 page.
"""

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from core.services import StaleVersionError


def validation_error_detail(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=validation_error_detail(exc))
    elif isinstance(exc, StaleVersionError):
        return Response(
            {
                "detail": str(exc),
                "current_version": exc.current,
                "your_version": exc.expected,
                "changed_fields": exc.changed_fields,
            },
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        kinds = sorted(
            {str(obj._meta.verbose_name) for obj in exc.protected_objects}
            if isinstance(exc, ProtectedError)
            else {str(obj._meta.verbose_name) for obj in exc.restricted_objects}
        )
        return Response(
            {
                "detail": _("This record is still in use (by: %(kinds)s) and cannot be deleted.")
                % {"kinds": ", ".join(kinds)}
            },
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, (RequestDataTooBig, TooManyFilesSent, TooManyFieldsSent)):
        return Response({"detail": _too_large_message(exc)}, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)


def _too_large_message(exc) -> str:
    if isinstance(exc, TooManyFilesSent):
        return _("Too many files in one request: at most %(n)s.") % {
            "n": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    if isinstance(exc, TooManyFieldsSent):
        return _("Too many fields in one request: at most %(n)s.") % {
            "n": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    return _("The request is too large: at most %(mb)s MB of text and figures (files aside).") % {
        "mb": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024), 1)
    }
