"""Admin pieces every app shares."""


class ReadOnlyAdminMixin:
    """Rows that are computed or recorded, never typed in (ranking results, status history):
    nobody adds, edits or deletes them in the admin, whatever the role's permissions say."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
