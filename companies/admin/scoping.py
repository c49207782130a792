"""The admin's share of the scoping layer.

Every admin class of a company-related model mixes in `ScopedAdminMixin`, so the admin shows
and changes exactly what `visible_to(user)` / `editable_by(user)` allow — the same rules the
pages and the API use — and saves through `core.services.record_save`, so validation,
scope and authorship apply here as everywhere else.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect

from companies.models import Region
from core.history import HistoryChangesAdminMixin
from core.roles import STAFF_ROLES
from core.scoping import can_manage_reference_data, scope_of, selectable_regions
from core.services import StaleVersionError, check_version, record_delete, record_save

AUDIT_FIELDS = ("version", "created_at", "created_by", "updated_at", "updated_by")
VERSION_FIELD = "based_on_version"


def is_autocomplete_request(request) -> bool:
    """True for the admin's autocomplete endpoint, which serves choices for an edit form."""
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "autocomplete")


def _scoped(manager_or_qs) -> bool:
    return hasattr(manager_or_qs, "visible_to") and hasattr(manager_or_qs, "editable_by")


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the form was loaded from, so a save based on a stale copy is
    refused with a message instead of silently overwriting someone else's change."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and hasattr(self.instance, "version"):
            self.fields[VERSION_FIELD].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        try:
            # The service's own check: in the admin's transaction the row stays locked until
            # `save_model` has written it (record_save checks again under that lock).
            with transaction.atomic():
                check_version(instance=self.instance, expected_version=cleaned.get(VERSION_FIELD))
        except StaleVersionError as error:
            raise ValidationError(str(error), code="stale") from error
        return cleaned


class ScopedFormFieldsMixin:
    """Foreign-key choices a user may pick: only companies (and projects) the user may edit,
    and for county staff only their own region."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        manager = related._default_manager
        if "queryset" not in kwargs:
            if _scoped(manager):
                kwargs["queryset"] = manager.editable_by(request.user)
            elif related is Region:
                kwargs["queryset"] = selectable_regions(request.user, Region.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdminMixin(ScopedFormFieldsMixin, HistoryChangesAdminMixin):
    """Cuts a ModelAdmin down to the scoping layer and saves through the services.

    - the changelist, change view, history and autocomplete only reach `visible_to(user)`;
    - change and delete need the model permission *and* the row in `editable_by(user)`;
    - adding is for administrators, city and county staff (company users change nothing);
    - saves and deletes go through `record_save` / `record_delete`;
    - the history page shows each change's fields old → new.
    """

    form = VersionedAdminForm

    # --- reads -------------------------------------------------------------------------
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.visible_to(request.user) if _scoped(qs) else qs

    def get_search_results(self, request, queryset, search_term):
        if _scoped(queryset):
            # Autocomplete serves the choices of an edit form: offer only rows the user may
            # attach records to, never merely visible ones (nor, for county staff, any row
            # of another region).
            if is_autocomplete_request(request):
                queryset = queryset.editable_by(request.user)
            else:
                queryset = queryset.visible_to(request.user)
        return super().get_search_results(request, queryset, search_term)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        audit = [
            name for name in AUDIT_FIELDS if _has_field(self.model, name) and name not in fields
        ]
        return [*fields, *audit]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        names = admin.utils.flatten_fieldsets(fieldsets)
        if _has_field(self.model, "version") and VERSION_FIELD not in names:
            # The hidden version rides along in the first fieldset.
            first_name, first_options = fieldsets[0]
            first_options = {
                **first_options,
                "fields": [*first_options.get("fields", ()), VERSION_FIELD],
            }
            fieldsets = [(first_name, first_options), *fieldsets[1:]]
        return fieldsets

    # --- permissions -------------------------------------------------------------------
    def _row_visible(self, request, obj) -> bool:
        manager = type(obj)._default_manager
        if not _scoped(manager):
            return True
        if obj.pk is None:
            return False
        if scope_of(request.user).is_city_wide:
            return True  # also covers the history of a deleted row
        return manager.visible_to(request.user).filter(pk=obj.pk).exists()

    def _row_editable(self, request, obj) -> bool:
        manager = type(obj)._default_manager
        if not _scoped(manager):
            return True
        if obj.pk is None:
            return False
        return manager.editable_by(request.user).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or self._row_visible(request, obj)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or self._row_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self._row_editable(request, obj)

    def has_add_permission(self, request, *args):
        if scope_of(request.user).role not in STAFF_ROLES:
            return False
        return super().has_add_permission(request, *args)

    # --- writes ------------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        expected = form.cleaned_data.get(VERSION_FIELD) if change else None
        record_save(instance=obj, user=request.user, expected_version=expected)

    def delete_model(self, request, obj):
        obj._history_user = request.user
        record_delete(instance=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        # Each inline row carries the version it was shown (VersionedAdminForm), checked
        # again here under the row lock, as for the page's main record.
        shown = {
            id(row.instance): getattr(row, "cleaned_data", {}).get(VERSION_FIELD)
            for row in formset.forms
        }
        for obj in formset.deleted_objects:
            obj._history_user = request.user
            check_version(instance=obj, expected_version=shown.get(id(obj)))
            record_delete(instance=obj, user=request.user)
        for obj in instances:
            obj._history_user = request.user
            expected = None if obj._state.adding else shown.get(id(obj))
            record_save(instance=obj, user=request.user, expected_version=expected)
        formset.save_m2m()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersionError as error:
            # Someone saved between our form check and the locked re-read: nothing was
            # written (the view's transaction rolled back); say so and reload.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except ValidationError as error:
            # A rule the write path checks beyond the form (a confirmed year's lock, say):
            # nothing was written; say why and reload, rather than answer 500.
            self._refusal(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self._refusal(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def _refusal(self, request, error: ValidationError) -> None:
        for text in error.messages:
            self.message_user(request, text, messages.ERROR)

    # --- history -----------------------------------------------------------------------
    def revert_disabled(self, request, obj=None):
        # A revert would bypass the version check and the record's audit trail in one step;
        # history is for reading, changes go through the change form.
        return True

    def _refuse_unseen(self, request, object_id) -> None:
        """404 for a row outside the user's scope, as everywhere: never confirm it exists.
        City-wide roles may also read the history of a deleted row."""
        if scope_of(request.user).is_city_wide:
            return
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_unseen(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        self._refuse_unseen(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedInlineMixin(ScopedFormFieldsMixin):
    """An inline of a company's (or project's) records: rows cut to `visible_to(user)`;
    adding, changing and deleting only when the parent row is editable by the user."""

    extra = 0
    show_change_link = True
    # Every row carries the version it was shown: a row someone changed since is refused
    # with the stale message on that row, and nothing on the page is saved.
    form = VersionedAdminForm

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.visible_to(request.user) if _scoped(qs) else qs

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, *[name for name in ("version",) if _has_field(self.model, name)]]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if _has_field(self.model, "version") and VERSION_FIELD not in fields:
            fields.append(VERSION_FIELD)
        return fields

    def _parent_editable(self, request, obj) -> bool:
        if obj is None:
            return scope_of(request.user).role in STAFF_ROLES
        manager = type(obj)._default_manager
        if not _scoped(manager):
            return True
        return manager.editable_by(request.user).filter(pk=obj.pk).exists()

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_editable(request, obj)


class AdministratorOnlyMixin:
    """Reference data, roles and scoring schemes: administrators change them; staff holding
    the view permission (city and county staff) may look."""

    def has_add_permission(self, request, *args):
        return can_manage_reference_data(request.user) and super().has_add_permission(
            request, *args
        )

    def has_change_permission(self, request, obj=None):
        return can_manage_reference_data(request.user) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return can_manage_reference_data(request.user) and super().has_delete_permission(
            request, obj
        )


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
