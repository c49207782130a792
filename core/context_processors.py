"""Template context every page gets from core."""

from django.utils.functional import SimpleLazyObject

from core.notifications import unread_count


def unread_notifications(request):
    """The header's unread count, counted only when a template shows it (lazy)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
