"""Notifications: stored set-based, exactly once per user and event, then mailed once.

In-app rows: `notify` (one message to many users), `notify_each` (a message with its own
parameters and link per recipient) and `notify_selected` (one INSERT … SELECT from a user
queryset: the 100,000-company reminders) all insert with ON CONFLICT DO NOTHING on the unique
(user, dedupe_key), so sending the same event again (a retried task, a double click, a second
beat run) stores nothing new.

E-mail: once the rows are committed, `notifications_email` (core.tasks.email_notifications,
also swept by beat) mails every recent row not mailed yet to its recipient, if the recipient is
active, has an address and has not turned e-mail off (NotificationPreference). A row is claimed
(`emailed_at`) before its mail is sent, so a second pass or a retried task sends no second
mail; a row whose sending failed is released for the next pass.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, models, transaction
from django.db.models import Value
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.mail import SharedText
from core.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

# Rows older than this are not mailed any more: turning e-mail on later does not flood the
# user with old news, and the pass reads only the recent part of the table.
EMAIL_WINDOW = datetime.timedelta(days=2)
EMAIL_BATCH = 500


def notify(*, user_ids: Iterable[int], message: str, params: dict, url: str, key: str) -> int:
    """Send `message` (a msgid marked with gettext_noop, with `params`) linking to `url` to
    every user of `user_ids`, once per user for the event `key`. Returns the rows offered."""
    return notify_each(
        message=message, rows=[(user_id, params, url, key) for user_id in sorted(set(user_ids))]
    )


def notify_each(*, message: str, rows: Iterable[tuple[int, dict, str, str]]) -> int:
    """Send `message` to each (user id, params, url, key) of `rows`: one recipient's own
    figures and link. One bulk insert; returns the rows offered."""
    now = timezone.now()
    objects = [
        Notification(
            user_id=user_id,
            message=message,
            params=params,
            url=url,
            created_at=now,
            dedupe_key=key[:120],
        )
        for user_id, params, url, key in rows
    ]
    Notification.objects.bulk_create(objects, ignore_conflicts=True, batch_size=1000)
    _email_after_commit()
    return len(objects)


def notify_selected(
    *, users: models.QuerySet, message: str, params: dict, url: str, key: str
) -> int:
    """Send one message to every user of the queryset `users` in one INSERT … SELECT (the
    recipients are picked by the database, never loaded). Returns the rows inserted."""
    constants = {
        "message": Value(message, output_field=models.CharField()),
        "params": Value(params, output_field=models.JSONField()),
        "url": Value(url, output_field=models.CharField()),
        "created_at": Value(timezone.now(), output_field=models.DateTimeField()),
        "dedupe_key": Value(key[:120], output_field=models.CharField()),
    }
    picked = (
        users.order_by()
        .annotate(**{f"n_{name}": value for name, value in constants.items()})
        .values_list("pk", *(f"n_{name}" for name in constants))
    )
    select_sql, select_params = picked.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ["user_id", *constants])
    # The SELECT is wrapped and given a WHERE: SQLite would read a bare "… ON CONFLICT" as
    # part of the SELECT's join. Both SQLite and PostgreSQL take ON CONFLICT DO NOTHING.
    sql = (
        f"INSERT INTO {quote(Notification._meta.db_table)} ({columns}) "
        f"SELECT * FROM ({select_sql}) picked WHERE 1 = 1 ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, select_params)
        inserted = max(cursor.rowcount, 0)
    _email_after_commit()
    return inserted


def page_link(name: str, *args, query: str = "") -> str:
    """The path of the page to act on (URL name and args), without a language prefix: each
    reader opens it in their own language (page, e-mail)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, args=args)
    return f"{path}?{query}" if query else path


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications (all, or those of `ids`) as read."""
    rows = Notification.objects.visible_to(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.visible_to(user).unread().count()


# --- Preferences ---------------------------------------------------------------------------


def preference_of(user) -> NotificationPreference:
    """The user's preference, or the defaults (unsaved) when they never changed it."""
    preference = NotificationPreference.objects.filter(user=user).first()
    if preference is None:
        return NotificationPreference(user=user)
    preference.user = user  # the caller's own object: reading its address costs no query
    return preference


def preference_save(*, user, email_enabled: bool, language: str) -> NotificationPreference:
    """The user's own choice (account page): e-mail on or off, the e-mails' language."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the site's languages.")})
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled, "language": language}
    )
    return preference


# --- E-mail ----------------------------------------------------------------------------------


def email_recipients():
    """The users who get e-mail copies: active, with an address, e-mail not turned off."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(notification_preference__email_enabled=False)
    )


def _email_after_commit() -> None:
    transaction.on_commit(_enqueue_email_pass)


def _enqueue_email_pass() -> None:
    # Imported here: core.tasks imports this module for the pass itself.
    from core.tasks import email_notifications

    try:
        email_notifications.delay()
    except Exception:  # a broker that is down: beat's sweep mails the rows later
        logger.warning("Could not queue the e-mail pass; the next sweep sends it.", exc_info=True)


def notifications_email(*, now: datetime.datetime | None = None, batch: int = EMAIL_BATCH) -> int:
    """Mail every recent notification not mailed yet to its recipient (see the module's
    text). One query picks the rows; each batch is claimed (UPDATE … WHERE emailed_at IS
    NULL, stamped with this pass's time, so a concurrent pass claims other rows), read back
    and sent over the pass's one connection. Returns the mails sent."""
    stamp = now or timezone.now()
    picked = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__gte=stamp - EMAIL_WINDOW,
            user_id__in=email_recipients().values("pk"),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    mail = None
    render = _EmailRenderer()
    try:
        for start in range(0, len(picked), batch):
            chunk = picked[start : start + batch]
            Notification.objects.filter(pk__in=chunk, emailed_at__isnull=True).update(
                emailed_at=stamp
            )
            rows = Notification.objects.filter(pk__in=chunk, emailed_at=stamp).values(
                "pk",
                "message",
                "params",
                "url",
                "user__email",
                "user__notification_preference__language",
            )
            messages = [render(row) for row in rows]
            if not messages:
                continue
            if mail is None:
                mail = get_connection()
                mail.open()
            try:
                sent += mail.send_messages(messages) or 0
            except Exception:
                # Released for the next pass (they may reach some recipients twice then;
                # never zero times).
                Notification.objects.filter(pk__in=chunk, emailed_at=stamp).update(emailed_at=None)
                raise
    finally:
        if mail is not None:
            mail.close()
    return sent


class _EmailRenderer:
    """Notifications as e-mails in their recipients' languages, with absolute links. The
    text of an event is the same for all its recipients of one language: written and encoded
    once per pass (core.mail; a 100,000-company reminder is one text, not 100,000)."""

    def __init__(self):
        self.texts: dict = {}
        with translation.override(settings.LANGUAGE_CODE):
            self.account = reverse("account")

    def __call__(self, row: dict) -> EmailMessage:
        language = row["user__notification_preference__language"] or settings.LANGUAGE_CODE
        key = (language, row["message"], repr(row["params"]), row["url"])
        if key not in self.texts:
            self.texts[key] = self.write(language, row)
        return self.texts[key].message_to(row["user__email"])

    def write(self, language: str, row: dict) -> SharedText:
        with translation.override(language):
            text = Notification(message=row["message"], params=row["params"]).text
            subject = " ".join(f"{_('Smart manufacturing tracker')}: {text}".split())[:150]
            body = _(
                "%(text)s\n\nOpen: %(link)s\n\n--\nYou get this e-mail because e-mail "
                "notifications are on for your account. Turn them off on your account page: "
                "%(account)s"
            ) % {
                "text": text,
                "link": absolute_link(row["url"] or "/", language),
                "account": absolute_link(self.account, language),
            }
        return SharedText(subject=subject, body=body)


def absolute_link(path: str, language: str) -> str:
    """`path` (stored without a language prefix) on the site, in `language`."""
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    return f"{settings.SITE_URL.rstrip('/')}{prefix}{path}"
