"""The objection pages, the inbox and the portal's official result: who sees what, and the
steps each role is offered."""

import datetime

import pytest
from django.utils import timezone

from core.models import Notification
from notices.choices import ObjectionState
from notices.models import Objection
from rankings.models import DirtyYear, RankingRun
from rankings.services import rankings_publish, rankings_recompute
from tests.factories import AnnualDataFactory, CompanyFactory
from tests.notices.conftest import PDF, upload

pytestmark = pytest.mark.django_db


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def test_a_company_files_from_the_portal_and_follows_its_objection(client, world, published):
    company = world["users"]["company"]
    client.force_login(company)
    portal = client.get("/en/portal/").content.decode()
    assert "/objections/new/" in portal  # the notice is open: the portal offers it
    form = client.get("/en/objections/new/").content.decode()
    assert f'value="{published.pk}"' in form
    response = client.post(
        "/en/objections/new/",
        {
            "run": published.pk,
            "subject": "tax_paid",
            "claimed_value": "350",
            "explanation": "完税证明",
            "files": [upload(), upload("b.pdf", PDF)],
        },
    )
    objection = Objection.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/objections/{objection.pk}/"
    )
    assert objection.attachments.count() == 2
    detail = client.get(f"/en/objections/{objection.pk}/").content.decode()
    assert "awaiting the county" in detail and "证明.pdf" in detail
    assert 'id="steps"' not in detail  # the company has no step to take
    portal = client.get("/en/portal/").content.decode()
    assert f"/objections/{objection.pk}/" in portal.split('id="objections"')[1]


def test_a_bad_file_on_the_page_names_the_field_and_saves_nothing(client, world, published):
    client.force_login(world["users"]["company"])
    response = client.post(
        "/en/objections/new/",
        {
            "run": published.pk,
            "subject": "tax_paid",
            "claimed_value": "350",
            "explanation": "x",
            "files": [upload("a.pdf", b"MZ" + b"\x00" * 30)],
        },
    )
    assert response.status_code == 200
    assert "not a PDF, JPG or PNG" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_file_page_says_when_the_notice_has_ended(client, world, published):
    RankingRun.objects.filter(pk=published.pk).update(
        notice_ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    html = page(client, world["users"]["company"], "/en/objections/new/").content.decode()
    assert "no objection can be filed" in html
    assert (
        "/objections/new/"
        not in page(client, world["users"]["company"], "/en/portal/")
        .content.decode()
        .split('id="objections"')[1]
    )


def test_who_sees_an_objection_and_its_attachment(client, world, file_one, other_users):
    objection = file_one(files=[upload("../证明.pdf")])
    attachment = objection.attachments.get()
    detail = f"/en/objections/{objection.pk}/"
    download = f"/en/objections/attachments/{attachment.pk}/"
    for user in (world["users"]["company"], world["users"]["county"], world["users"]["city"]):
        assert page(client, user, detail).status_code == 200
        response = page(client, user, download)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment;" in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == upload().read()
    for user in (other_users["company"], world["users"]["norole"]):
        assert page(client, user, detail).status_code == 404
        assert page(client, user, download).status_code == 404
    # County staff of another region learn only that the objection belongs to another region
    # (core.views.ScopedQuerysetMixin: the 403 page), never its content or its file.
    response = page(client, other_users["county"], detail)
    assert response.status_code == 403 and "证明" not in response.content.decode()
    assert page(client, other_users["county"], download).status_code == 404


def test_the_queue_offers_each_role_its_own_steps(client, world, file_one, other_users):
    objection = file_one()
    county = page(client, world["users"]["county"], "/en/objections/").content.decode()
    assert world["own"].name in county and "Add the county's remark" in county
    assert (
        world["own"].name
        not in page(client, other_users["county"], "/en/objections/").content.decode()
    )
    city = page(client, world["users"]["city"], "/en/objections/").content.decode()
    assert "Uphold" in city and "Add the county" not in city
    detail = page(
        client, world["users"]["county"], f"/en/objections/{objection.pk}/"
    ).content.decode()
    assert f"/objections/{objection.pk}/remark/" in detail and "/uphold/" not in detail
    # County staff of another region cannot post a step either.
    client.force_login(other_users["county"])
    response = client.post(
        f"/en/objections/{objection.pk}/remark/", {"opinion": "supported", "remark": "x"}
    )
    assert response.status_code == 404
    client.force_login(world["users"]["county"])
    client.post(
        f"/en/objections/{objection.pk}/remark/", {"opinion": "supported", "remark": "属实"}
    )
    assert Objection.objects.get().state == ObjectionState.REMARKED
    detail = page(
        client, world["users"]["city"], f"/en/objections/{objection.pk}/"
    ).content.decode()
    assert "/uphold/" in detail and "/reject/" in detail and "属实" in detail
    client.post(f"/en/objections/{objection.pk}/reject/", {"reason": "口径不符"})
    seen = page(
        client, world["users"]["company"], f"/en/objections/{objection.pk}/"
    ).content.decode()
    assert "Rejected" in seen and "口径不符" in seen and "County review on" in seen


def test_a_company_user_may_not_post_a_step(client, world, file_one):
    objection = file_one()
    client.force_login(world["users"]["company"])
    response = client.post(f"/en/objections/{objection.pk}/reject/", {"reason": "x"})
    assert response.status_code == 403
    assert Objection.objects.get().state == ObjectionState.FILED


def test_the_header_counts_unread_notifications_and_the_inbox_opens_them(client, world, file_one):
    objection = file_one()
    county = world["users"]["county"]
    html = page(client, county, "/en/dashboard/").content.decode()
    link = html.split('id="inbox-link"')[1].split("</a>")[0]
    assert ">1<" in link
    inbox = client.get("/en/inbox/").content.decode()
    note = Notification.objects.get(user=county)
    assert note.text in inbox
    response = client.post(f"/en/inbox/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/objections/{objection.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    link = (
        client.get("/en/dashboard/").content.decode().split('id="inbox-link"')[1].split("</a>")[0]
    )
    assert "badge" not in link
    # Another user's notification is not theirs to open.
    city_note = Notification.objects.get(user=world["users"]["city"])
    assert client.post(f"/en/inbox/{city_note.pk}/").status_code == 404


def test_the_notification_reads_in_the_pages_language(client, world, file_one):
    file_one()
    client.force_login(world["users"]["county"])
    english = client.get("/en/inbox/").content.decode()
    chinese = client.get("/inbox/").content.decode()
    assert "filed objection no." in english
    assert "filed objection no." not in chinese and "异议" in chinese


# --- the portal's official result (RANKING.md part 2) -----------------------------------


def portal(client, world):
    return page(client, world["users"]["company"], "/en/portal/").content.decode()


def test_the_portal_shows_the_official_result_with_its_notice_state(client, world, published):
    html = portal(client, world)
    state = html.split('id="result-state"')[1].split("</section>")[0]
    assert "Official result of 2019" in state
    assert f"On public notice until {published.notice_ends_on.isoformat()}" in state
    assert "not official" not in state
    RankingRun.objects.filter(pk=published.pk).update(
        notice_ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    state = portal(client, world).split('id="result-state"')[1].split("</section>")[0]
    assert "Published and final" in state and "File an objection" not in state
    chinese = page(client, world["users"]["company"], "/portal/").content.decode()
    assert "已公示" in chinese.split('id="result-state"')[1].split("</section>")[0]


def test_before_publishing_the_portal_says_the_result_is_not_official(client, world):
    AnnualDataFactory(company=world["own"], year=2019)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=2019)
    state = portal(client, world).split('id="result-state"')[1].split("</section>")[0]
    assert "Provisional evaluation of 2019" in state and "not official" in state
    chinese = page(client, world["users"]["company"], "/portal/").content.decode()
    assert "预评价" in chinese


def test_a_provisional_result_shows_only_when_of_a_later_year(client, world, published):
    # The 2019 provisional run exists beside the published one: not shown.
    assert 'id="provisional-newer"' not in portal(client, world)
    AnnualDataFactory(company=world["own"], year=2020, tax_paid=300)
    for tax in (100, 200, 400, 500):  # 2020 rates as many as 2019: the year pages open on
        AnnualDataFactory(company=CompanyFactory(), year=2020, tax_paid=tax)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=2020)
    html = portal(client, world)
    assert "Official result of 2019" in html
    newer = html.split('id="provisional-newer"')[1].split("</p>")[0]
    assert "2020" in newer and "not official" in newer


def test_the_history_lists_every_published_year_with_the_movement(client, world, published):
    # 2020: the own company overtakes the others.
    AnnualDataFactory(company=world["own"], year=2020, tax_paid=5000)
    AnnualDataFactory(company=world["other"], year=2020, tax_paid=100)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=2020)
    rankings_publish(year=2020, user=world["users"]["city"])
    history = portal(client, world).split('id="history"')[1].split("</section>")[0]
    rows = history.split("<tr>")[2:]
    assert rows[0].startswith("\n          <td>2020</td>") or "2020" in rows[0]
    assert "2019" in rows[1]
    assert "up " in rows[0] and "place" in rows[0]
    assert "—" in rows[1]  # the first published year has nothing to move from


def test_a_step_says_which_state_the_objection_is_now_in(client, world, file_one):
    # "Saved." did not tell the official whether the objection was remarked, upheld or rejected.
    objection = file_one()
    client.force_login(world["users"]["county"])
    remarked = client.post(
        f"/objections/{objection.pk}/remark/",
        {"opinion": "supported", "remark": "属实"},
        follow=True,
    ).content.decode()
    assert "该异议现为“县级已复核，待市级决定”。" in remarked
    assert "已保存。" not in remarked
    client.force_login(world["users"]["city"])
    rejected = client.post(
        f"/en/objections/{objection.pk}/reject/", {"reason": "口径不符"}, follow=True
    ).content.decode()
    assert "The objection is now “Rejected”." in rejected


def test_the_history_table_scrolls_in_its_own_box_on_a_phone(client, world, published):
    # At 390 px its five columns pushed the whole portal sideways; .table-wrap scrolls the table.
    history = portal(client, world).split('id="history"')[1].split("</section>")[0]
    assert '<div class="table-wrap"><table class="data">' in history
    assert history.index("</table></div>") > history.index("<tbody>")


def test_the_timeline_names_the_filing_company_not_a_login_name(client, world, file_one):
    # A factory manager or county official reads who objected: the company, not the
    # account's user name (unless the account has a person's name).
    objection = file_one()
    client.force_login(world["users"]["county"])
    timeline = client.get(f"/objections/{objection.pk}/").content.decode()
    timeline = timeline.split('id="timeline"', 1)[1].split("</section>", 1)[0]
    assert world["own"].name in timeline
    assert world["users"]["company"].username not in timeline
