"""core.notifications: in-app rows once per user and event (also set-based, INSERT … SELECT),
and their e-mail copies: once, only to active users with an address who did not turn e-mail
off, in their language, with absolute links; a failed send is released for the next pass."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from core.models import Notification, NotificationPreference
from core.notifications import notifications_email, notify, notify_selected
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MESSAGE = "%(company)s filed objection no. %(number)s to the %(year)s result."
PARAMS = {"company": "永康自有企业", "number": 7, "year": 2019}


@pytest.fixture
def people(world, settings):
    settings.SITE_URL = "https://tracker.example.org"
    users = world["users"]
    for name in ("city", "county", "company"):
        users[name].email = f"{name}@example.org"
        users[name].save()
    return users


def mailed_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_an_event_is_stored_and_mailed_once(people):
    ids = [people["city"].pk, people["county"].pk]
    for _attempt in range(2):
        notify(user_ids=ids, message=MESSAGE, params=PARAMS, url="/objections/7/", key="e:7")
        notifications_email()
    assert Notification.objects.filter(dedupe_key="e:7").count() == 2
    assert len(mailed_to("city@example.org")) == 1
    assert len(mailed_to("county@example.org")) == 1
    assert Notification.objects.filter(dedupe_key="e:7", emailed_at__isnull=True).count() == 0


def test_opted_out_inactive_and_addressless_users_get_no_mail(people, world):
    NotificationPreference.objects.create(user=people["city"], email_enabled=False)
    people["county"].is_active = False
    people["county"].save()
    nobody = make_user("city", username="t-no-address")
    ids = [people["city"].pk, people["county"].pk, nobody.pk, people["company"].pk]
    notify(user_ids=ids, message=MESSAGE, params=PARAMS, url="/objections/7/", key="e:8")
    assert notifications_email() == 1
    assert [m.to for m in mail.outbox] == [["company@example.org"]]
    # The in-app rows are there for everyone offered, e-mail or not.
    assert Notification.objects.filter(dedupe_key="e:8").count() == 4


def test_the_mail_is_in_the_recipients_language_with_absolute_links(people):
    NotificationPreference.objects.create(user=people["city"], language="en")
    ids = [people["city"].pk, people["county"].pk]
    notify(user_ids=ids, message=MESSAGE, params=PARAMS, url="/objections/7/", key="e:9")
    notifications_email()
    [english] = mailed_to("city@example.org")
    assert "永康自有企业 filed objection no. 7 to the 2019 result." in english.subject
    assert "https://tracker.example.org/en/objections/7/" in english.body
    assert "https://tracker.example.org/en/account/" in english.body
    [chinese] = mailed_to("county@example.org")
    assert "filed objection" not in chinese.subject  # the site's default language: Chinese
    assert "永康自有企业" in chinese.subject
    assert "https://tracker.example.org/objections/7/" in chinese.body


def test_old_rows_are_not_mailed(people):
    notify(user_ids=[people["city"].pk], message=MESSAGE, params=PARAMS, url="/", key="e:10")
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))
    assert notifications_email() == 0


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def test_a_failed_send_is_released_and_sent_by_the_next_pass(people, settings):
    notify(user_ids=[people["city"].pk], message=MESSAGE, params=PARAMS, url="/", key="e:11")
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with pytest.raises(ConnectionRefusedError):
        notifications_email()
    assert Notification.objects.get(dedupe_key="e:11").emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_email() == 1
    assert notifications_email() == 0


def test_new_rows_are_mailed_once_committed(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(user_ids=[people["city"].pk], message=MESSAGE, params=PARAMS, url="/", key="e:12")
    assert len(mailed_to("city@example.org")) == 1


def test_notify_selected_inserts_from_a_queryset_once(people):
    users = get_user_model().objects.filter(pk__in=[people["city"].pk, people["county"].pk])
    first = notify_selected(users=users, message=MESSAGE, params=PARAMS, url="/x/", key="sel:1")
    again = notify_selected(users=users, message=MESSAGE, params=PARAMS, url="/x/", key="sel:1")
    assert (first, again) == (2, 0)
    rows = Notification.objects.filter(dedupe_key="sel:1")
    assert {row.user_id for row in rows} == {people["city"].pk, people["county"].pk}
    row = rows.first()
    assert (row.params, row.url, row.read_at, row.emailed_at) == (PARAMS, "/x/", None, None)
    assert row.created_at is not None


def test_the_chinese_mail_names_the_account_page_as_the_site_does(people, client):
    # The page is titled 我的账号; the mail sent people to an "账户页面" they could not find.
    notify(user_ids=[people["county"].pk], message=MESSAGE, params=PARAMS, url="/x/", key="e:10")
    notifications_email()
    [chinese] = mailed_to("county@example.org")
    assert "请前往“我的账号”页面：https://tracker.example.org/account/" in chinese.body
    client.force_login(people["company"])
    people["company"].email = ""
    people["company"].save()
    page = client.get("/account/").content.decode()
    assert "我的账号" in page and "您的账号尚未登记电子邮箱" in page and "账户" not in page
