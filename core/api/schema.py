"""OpenAPI generation: every operation gets its permissions and its error responses.

Rather than repeat `@extend_schema(responses={401: ..., 403: ..., 404: ...})` on each of
some eighty operations, this AutoSchema adds them from what the operation is: every call may
be 401 (no credentials) or 403 (no role / role may not write); a list or a write may be 400
(bad filter value, bad body); a detail or a page beyond the end is 404; an update may be 409
(stale version), and so may a delete (the row is still in use). Responses an `@extend_schema` declares itself are kept as they are.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from core.api.permissions import WRITE_DESCRIPTIONS, WRITE_NONE


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong."))


class StaleVersionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()
    your_version = serializers.IntegerField()
    changed_fields = serializers.ListField(child=serializers.CharField())


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Field name (or non_field_errors) -> messages; a malformed body gives `detail`.",
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
}

ERROR_DESCRIPTIONS = {
    "400": _("Invalid input: the message names the field."),
    "401": _("No or invalid credentials (session or `Authorization: Token …`)."),
    "403": _("Signed in, but the account's role does not allow this."),
    "404": _("Not found, or outside what the caller may see."),
    "409": _(
        "Conflict: the record changed since the version sent (body `version` or If-Match), "
        "or a record still in use cannot be deleted."
    ),
}


class TrackerAutoSchema(AutoSchema):
    def _is_list_view(self, serializer=None):
        # `…/sync/` lists the table one cursor page at a time, like `list` does by number.
        if getattr(self.view, "action", None) == "sync":
            return True
        return super()._is_list_view(serializer)

    def get_paginated_name(self, serializer_name):
        # The cursor page has no `count`: it needs its own component, not the numbered one's.
        if getattr(self.view, "action", None) == "sync":
            return f"Sync{serializer_name}List"
        return super().get_paginated_name(serializer_name)

    def _map_basic_serializer(self, serializer, direction):
        # Fields a serializer leaves out for callers other than staff (`Meta.staff_only_fields`)
        # are not in every response, so they are not required.
        schema = super()._map_basic_serializer(serializer, direction)
        staff_only = getattr(getattr(serializer, "Meta", None), "staff_only_fields", ())
        required = [name for name in schema.get("required", []) if name not in staff_only]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
        return schema

    def get_description(self):
        description = super().get_description() or ""
        access = getattr(self.view, "write_access", None)
        if access is None:
            return description
        reads = str(
            _(
                "Reads: any signed-in user with a role, limited to the rows the role may see "
                "(a company user its own company, county staff their region's companies)."
            )
        )
        lines = [description.strip(), reads]
        if self.method not in ("GET", "HEAD") or access == WRITE_NONE:
            lines.append(str(WRITE_DESCRIPTIONS[access]))
        return "\n\n".join(line for line in lines if line)

    def _error_codes(self) -> list[str]:
        if getattr(self.view, "permission_classes", None) and not getattr(
            self.view, "public_endpoint", False
        ):
            codes = ["401", "403"]
        else:
            codes = []
        has_id = "{" in self.path
        if self.method in ("POST", "PUT", "PATCH") or self._is_list_view():
            codes.append("400")
        if has_id or self._is_list_view():
            codes.append("404")
        versioned_write = self.method in ("PUT", "PATCH") and getattr(self.view, "versioned", False)
        if versioned_write or self.method == "DELETE":
            codes.append("409")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            if code == "400":
                body = VALIDATION_ERROR_SCHEMA
            elif code == "409":
                body = StaleVersionSerializer
            else:
                body = ErrorSerializer
            response = self._get_response_for_code(body, code, ["application/json"], direction)
            response["description"] = str(ERROR_DESCRIPTIONS[code])
            responses[code] = response
        return responses
