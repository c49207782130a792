"""In-app notifications: sent set-based and exactly once per user and event.

`notify` stores one row per recipient with `bulk_create(ignore_conflicts=True)` on the
unique (user, dedupe_key): sending the same event again (a retried task, a double click)
stores nothing new. E-mail and reminder schedules are a later step (issue 11, item 8).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from core.models import Notification


def notify(*, user_ids: Iterable[int], message: str, params: dict, url: str, key: str) -> int:
    """Send `message` (a msgid marked with gettext_noop, with `params`) linking to `url` to
    every user of `user_ids`, once per user for the event `key`. Returns the rows offered."""
    now = timezone.now()
    rows = [
        Notification(
            user_id=user_id,
            message=message,
            params=params,
            url=url,
            created_at=now,
            dedupe_key=key[:120],
        )
        for user_id in sorted(set(user_ids))
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications (all, or those of `ids`) as read."""
    rows = Notification.objects.visible_to(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.visible_to(user).unread().count()
