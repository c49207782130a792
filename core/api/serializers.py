"""Base serializer whose writes go through `core.services.record_save`.

So the API validates, scopes, stamps authorship and checks versions exactly as the admin,
the forms and the imports do. `version` is read-only in the body of a response; a client
that wants a stale write refused sends back the version it read (`version` in the body or an
`If-Match` header); without one the write applies.
"""

from rest_framework import serializers

from core.services import record_save

# The columns of a voidable record (core.models.VoidableModel); read-only, written only by
# the void and restore actions.
VOID_FIELDS = ("voided_at", "void_reason")


class PlainIdRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key by id, scoped to what the caller may see, typed as a plain input.

    The browsable API would otherwise render a dropdown of the whole related table (100,000
    companies). A company the caller may not see is "does not exist" (400), not a leak.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("style", {"base_template": "input.html", "input_type": "number"})
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is not None and hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset


class ServiceModelSerializer(serializers.ModelSerializer):
    serializer_related_field = PlainIdRelatedField

    # The history's change reason of this write (simple-history), when a subclass sets one.
    change_reason = ""

    def create(self, validated_data):
        instance = self.Meta.model(**validated_data)
        self._note_reason(instance)
        return record_save(instance=instance, user=self._user())

    def update(self, instance, validated_data):
        for field, value in validated_data.items():
            setattr(instance, field, value)
        self._note_reason(instance)
        return record_save(
            instance=instance,
            user=self._user(),
            expected_version=self.context.get("expected_version"),
        )

    def _note_reason(self, instance):
        if self.change_reason:
            instance._change_reason = self.change_reason

    def _user(self):
        request = self.context.get("request")
        return request.user if request is not None else None
