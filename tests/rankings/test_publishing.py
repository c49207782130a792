import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from companies.models import AnnualData
from rankings.models import CompanyScore, DirtyYear, RankingRun, RegionLeague
from rankings.services import rankings_publish, rankings_recompute
from tests.factories import make_user
from tests.rankings.helpers import rated_company

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed():
    a = rated_company(tax_paid=100)
    b = rated_company(tax_paid=50)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=2019)
    return a, b


def test_city_staff_publish_a_frozen_copy_and_open_the_notice(computed):
    city = make_user("city", username="publisher")
    run = rankings_publish(year=2019, user=city)
    assert run.kind == "published" and run.published_by == city
    assert run.notice_ends_on == timezone.localdate() + datetime.timedelta(days=7)
    provisional = RankingRun.objects.provisional().get(year=2019)
    assert (
        CompanyScore.objects.filter(run=run).count()
        == CompanyScore.objects.filter(run=provisional).count()
    )
    assert RegionLeague.objects.filter(run=run).count() == 11
    assert run.baseline_tax_per_mu == provisional.baseline_tax_per_mu

    # The provisional result keeps moving; the published one does not.
    a, b = computed
    AnnualData.objects.filter(company=b).update(tax_paid=500)
    DirtyYear.objects.all().delete()
    rankings_recompute(year=2019)
    published_rank = CompanyScore.objects.get(run=run, company=b).city_rank
    provisional_rank = CompanyScore.objects.get(run__kind="provisional", company=b).city_rank
    assert (published_rank, provisional_rank) == (2, 1)

    out = io.StringIO()
    call_command("export_scores", "--year", "2019", "--published", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["credit_code"] == a.credit_code


def test_a_correction_needs_a_reason_and_supersedes(computed):
    admin = make_user("admin", username="pub-admin")
    first = rankings_publish(year=2019, user=admin)
    with pytest.raises(ValidationError) as exc:
        rankings_publish(year=2019, user=admin, reason="  ")
    assert "reason" in exc.value.message_dict
    second = rankings_publish(year=2019, user=admin, reason="Tax figure of one company corrected")
    assert second.supersedes == first
    assert RankingRun.objects.published().count() == 2


@pytest.mark.parametrize("role", ["county", "company", None])
def test_only_city_staff_and_admins_publish(computed, role, yongkang):
    kwargs = {"region": yongkang} if role == "county" else {}
    if role == "company":
        kwargs = {"company": computed[0]}
    user = make_user(role, username=f"nopub-{role}", **kwargs)
    with pytest.raises(PermissionDenied):
        rankings_publish(year=2019, user=user)
    assert not RankingRun.objects.published().exists()


def test_publishing_waits_for_a_pending_recompute(computed):
    from rankings.services import rankings_mark_dirty

    rankings_mark_dirty(years=[2019])
    with pytest.raises(ValidationError) as exc:
        rankings_publish(year=2019, user=make_user("city", username="eager"))
    assert "year" in exc.value.message_dict
    assert not RankingRun.objects.published().exists()


def test_publishing_needs_a_computed_year():
    with pytest.raises(ValidationError) as exc:
        rankings_publish(year=2015, user=make_user("city", username="early"))
    assert "year" in exc.value.message_dict


def test_scores_are_visible_by_role(computed, yongkang):
    a, b = computed
    users = {
        "admin": make_user("admin", username="v-admin"),
        "city": make_user("city", username="v-city"),
        "county": make_user("county", region=yongkang, username="v-county"),
        "company": make_user("company", company=a, username="v-company"),
        "none": make_user(None, username="v-none"),
    }
    total = CompanyScore.objects.count()
    for role in ("admin", "city", "county"):
        assert CompanyScore.objects.visible_to(users[role]).count() == total
    assert set(
        CompanyScore.objects.visible_to(users["company"]).values_list("company_id", flat=True)
    ) == {a.pk}
    assert not CompanyScore.objects.visible_to(users["none"]).exists()
    assert not CompanyScore.objects.visible_to(None).exists()
