"""Shared pieces of the Django admin screens."""


class ReadOnlyAdminMixin:
    """An admin that lists and shows rows but never adds, changes or deletes them: logs of
    decisions (made through services elsewhere) and read-only reports."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
