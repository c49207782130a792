"""The objection workflow through its services (RANKING.md part 2, "Notice period and
objections"): filing in the notice period only, the county's remark, the city's decision,
the roles of each step, and the notifications each event sends once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from companies.models import AnnualData
from core.models import Notification
from core.notifications import notify
from core.services import record_save
from notices.choices import ObjectionState
from notices.models import Objection, ObjectionAttachment
from notices.services import objection_reject, objection_remark, objections_uphold
from rankings.models import CompanyScore, DirtyYear, RankingRun
from rankings.services import rankings_publish, rankings_recompute
from tests.notices.conftest import PNG, upload

pytestmark = pytest.mark.django_db


def inbox(user):
    return list(Notification.objects.filter(user=user))


def test_a_company_files_during_the_notice_and_the_region_and_city_are_told(
    world, published, file_one, other_users
):
    objection = file_one(files=[upload(), upload("扫描件.png", PNG, "image/png")])
    assert objection.state == ObjectionState.FILED
    assert objection.company == world["own"] and objection.run == published
    assert objection.filed_by == world["users"]["company"] and objection.filed_at
    # The record concerned defaults to the company's annual data of the ranked year.
    assert objection.record == AnnualData.objects.get(company=world["own"], year=2019)
    kinds = sorted(a.kind for a in objection.attachments.all())
    assert kinds == ["pdf", "png"]
    for user in (world["users"]["county"], world["users"]["city"]):
        [note] = inbox(user)
        assert note.url == f"/objections/{objection.pk}/"
        assert str(objection.pk) in note.text and world["own"].name in note.text
    # County staff of another region, and the company itself, are not told.
    assert inbox(other_users["county"]) == []
    assert inbox(world["users"]["company"]) == []


def test_no_objection_after_the_notice_period(world, published, file_one):
    RankingRun.objects.filter(pk=published.pk).update(
        notice_ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    published.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        file_one(files=[upload()])
    assert "run" in exc.value.message_dict
    assert not Objection.objects.exists() and not ObjectionAttachment.objects.exists()


def test_the_last_day_of_the_notice_still_counts(world, published, file_one):
    RankingRun.objects.filter(pk=published.pk).update(notice_ends_on=timezone.localdate())
    published.refresh_from_db()
    assert file_one().state == ObjectionState.FILED


def test_only_the_years_latest_published_run_takes_objections(world, published, file_one):
    rankings_publish(year=2019, user=world["users"]["city"], reason="复核更正")
    with pytest.raises(ValidationError) as exc:
        file_one()
    assert "run" in exc.value.message_dict


@pytest.mark.parametrize("role", ["city", "county", "admin", "norole"])
def test_only_company_users_file(world, published, file_one, role):
    with pytest.raises(PermissionDenied):
        file_one(user=world["users"][role])


def test_a_company_without_a_result_in_the_run_cannot_object(world, published, file_one):
    CompanyScore.objects.filter(run=published, company=world["own"]).delete()
    with pytest.raises(ValidationError) as exc:
        file_one()
    assert "run" in exc.value.message_dict


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("claimed_value", {"claimed_value": "  "}),
        ("explanation", {"explanation": ""}),
        ("subject", {"subject": "password"}),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(world, published, file_one, field, values):
    with pytest.raises(ValidationError) as exc:
        file_one(files=[upload()], **values)
    assert field in exc.value.message_dict
    assert not Objection.objects.exists() and not Notification.objects.exists()


def test_county_of_the_region_remarks_once_and_others_may_not(world, file_one, other_users):
    objection = file_one()
    with pytest.raises(PermissionDenied):
        objection_remark(
            objection=objection, user=other_users["county"], opinion="supported", text="同意"
        )
    for role in ("company", "city"):
        with pytest.raises(PermissionDenied):
            objection_remark(
                objection=objection, user=world["users"][role], opinion="supported", text="x"
            )
    with pytest.raises(ValidationError) as exc:
        objection_remark(
            objection=objection, user=world["users"]["county"], opinion="maybe", text="x"
        )
    assert "opinion" in exc.value.message_dict
    county = world["users"]["county"]
    done = objection_remark(objection=objection, user=county, opinion="supported", text="属实")
    assert (done.state, done.county_opinion, done.remarked_by) == ("remarked", "supported", county)
    assert done.remarked_at is not None
    with pytest.raises(ValidationError) as exc:
        objection_remark(objection=done, user=county, opinion="supported", text="again")
    assert "state" in exc.value.message_dict


def test_county_staff_may_not_decide(world, file_one):
    objection = file_one()
    with pytest.raises(PermissionDenied):
        objection_reject(objection=objection, user=world["users"]["county"], reason="不采纳")
    with pytest.raises(PermissionDenied):
        objections_uphold(objections=[objection], user=world["users"]["county"], reason="采纳")
    assert Objection.objects.get().state == ObjectionState.FILED


def test_city_rejects_with_a_reason_and_the_company_is_told_once(world, file_one):
    objection = file_one()
    city = world["users"]["city"]
    with pytest.raises(ValidationError) as exc:
        objection_reject(objection=objection, user=city, reason=" ")
    assert "reason" in exc.value.message_dict
    done = objection_reject(objection=objection, user=city, reason="证明材料与申报口径不符")
    assert (done.state, done.decided_by) == (ObjectionState.REJECTED, city)
    assert done.decision_reason == "证明材料与申报口径不符" and done.decided_at
    [note] = inbox(world["users"]["company"])
    assert note.url == f"/objections/{objection.pk}/"
    with pytest.raises(ValidationError):
        objection_reject(objection=done, user=city, reason="again")
    assert len(inbox(world["users"]["company"])) == 1


def test_upholding_publishes_a_correction_run_naming_the_objections(world, published, file_one):
    objection = file_one()
    objection_remark(
        objection=objection, user=world["users"]["county"], opinion="supported", text="属实"
    )
    city = world["users"]["city"]
    # The record is corrected through the normal edit path first.
    record = AnnualData.objects.get(company=world["own"], year=2019)
    record.tax_paid = 350
    record_save(instance=record, user=city, expected_version=record.version)
    # While the year is being recomputed nothing is published and the objection stays open.
    with pytest.raises(ValidationError):
        objections_uphold(objections=[objection], user=city, reason="完税证明属实")
    assert Objection.objects.get().state == ObjectionState.REMARKED
    DirtyYear.objects.all().delete()
    rankings_recompute(year=2019)

    correction = objections_uphold(objections=[objection], user=city, reason="完税证明属实")
    assert correction.supersedes == published and correction.kind == "published"
    assert f"{objection.pk}" in correction.reason and "完税证明属实" in correction.reason
    objection.refresh_from_db()
    assert objection.state == ObjectionState.UPHELD
    assert objection.correction_run == correction and objection.decided_by == city
    # The correction run holds the corrected figure's result.
    score = CompanyScore.objects.get(run=correction, company=world["own"])
    assert score.tax_per_mu is None or score.tax_per_mu > 0
    assert len(inbox(world["users"]["company"])) == 1


def test_upholding_without_a_correction_is_refused_and_changes_nothing(world, published, file_one):
    # The correction run tells the company its result is corrected: not while nothing was.
    objection = file_one()
    objection_remark(
        objection=objection, user=world["users"]["county"], opinion="supported", text="属实"
    )
    city = world["users"]["city"]
    # Another company's change makes a newer run; this company's record and result stay.
    other = AnnualData.objects.get(company=world["other"], year=2019)
    other.tax_paid = 950
    record_save(instance=other, user=city, expected_version=other.version)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=2019)
    runs = RankingRun.objects.count()
    with pytest.raises(ValidationError) as exc:
        objections_uphold(objections=[objection], user=city, reason="完税证明属实")
    assert f"{objection.pk}" in str(exc.value.message_dict["objections"])
    assert Objection.objects.get().state == ObjectionState.REMARKED
    assert RankingRun.objects.count() == runs


def test_notifications_are_sent_once_however_often_the_event_is_sent(world):
    users = [world["users"]["city"].pk, world["users"]["county"].pk]
    for _attempt in range(2):
        notify(
            user_ids=users,
            message="Objection no. %(number)s",
            params={"number": 7},
            url="/objections/7/",
            key="objection-filed:7",
        )
    assert Notification.objects.count() == 2
    notify(
        user_ids=users,
        message="Objection no. %(number)s",
        params={"number": 8},
        url="/objections/8/",
        key="objection-filed:8",
    )
    assert Notification.objects.count() == 4
