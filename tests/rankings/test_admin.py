import pytest
from django.urls import reverse
from django.utils import timezone

from companies.services import user_assign_role
from rankings.models import CompanyScore, RankingRun, ScoringScheme
from rankings.services import rankings_recompute
from tests.factories import UserFactory, make_user
from tests.rankings.helpers import rated_company

pytestmark = pytest.mark.django_db


def staff(role, username, **binding):
    """A user given a role the way the product gives it (membership and permission group)."""
    user = UserFactory(username=username)
    user_assign_role(user=user, role=role, **binding)
    return user


@pytest.fixture
def computed():
    from rankings.models import DirtyYear

    company = rated_company(tax_paid=100)
    DirtyYear.objects.all().delete()
    return company, rankings_recompute(year=2019)


def test_editing_a_used_scheme_makes_a_new_version(client, computed):
    admin_user = make_user("admin", username="scheme-admin")
    client.force_login(admin_user)
    scheme = ScoringScheme.objects.get(active=True)
    url = reverse("admin:rankings_scoringscheme_change", args=[scheme.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update({"weight_tax_per_mu": "30", "active": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    scheme.refresh_from_db()
    assert (scheme.weight_tax_per_mu, scheme.active) == (24, False)  # untouched, used by a run
    new = ScoringScheme.objects.get(active=True)
    assert (new.version, new.weight_tax_per_mu, new.created_by) == (2, 30, admin_user)
    assert rankings_recompute(year=2019).scheme_version == 2


def test_admin_edits_the_part2_fields_and_the_run_records_the_scope(client, computed):
    client.force_login(make_user("admin", username="scheme-admin-2"))
    scheme = ScoringScheme.objects.get(active=True)
    url = reverse("admin:rankings_scoringscheme_change", args=[scheme.pk])
    page = client.get(url)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(
        {
            "active": "on",
            "evaluation_scope": "region",
            "below_min_land_mu": "5",
            "grade_a_share_below": "0.3",
            "grade_b_share_below": "0.2",
        }
    )
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "grade_c_share_below" in refused.context["adminform"].form.errors
    data["grade_b_share_below"] = "0.6"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    new = ScoringScheme.objects.get(active=True)
    assert (new.evaluation_scope, new.below_min_land_mu) == ("region", 5)
    run = rankings_recompute(year=2019)
    assert (run.scheme_version, run.evaluation_scope) == (new.version, "region")
    assert client.get(reverse("admin:rankings_rankingrun_change", args=[run.pk])).status_code == 200


def test_city_staff_see_runs_and_scores_but_cannot_edit_schemes(client, computed):
    client.force_login(staff("city", "admin-city"))
    _company, run = computed
    assert client.get(reverse("admin:rankings_rankingrun_changelist")).status_code == 200
    assert client.get(reverse("admin:rankings_companyscore_changelist")).status_code == 200
    assert client.get(reverse("admin:rankings_rankingrun_change", args=[run.pk])).status_code == 200
    scheme = ScoringScheme.objects.get(active=True)
    response = client.post(
        reverse("admin:rankings_scoringscheme_change", args=[scheme.pk]), {"weight_tax_per_mu": "1"}
    )
    assert response.status_code == 403
    assert ScoringScheme.objects.count() == 1


def test_publish_action_asks_for_a_reason_then_publishes(client, computed):
    client.force_login(staff("city", "admin-publisher"))
    _company, run = computed
    url = reverse("admin:rankings_rankingrun_changelist")
    form = client.post(url, {"action": "publish_runs", "_selected_action": [run.pk]})
    assert form.status_code == 200 and b"reason" in form.content
    client.post(url, {"action": "publish_runs", "_selected_action": [run.pk], "apply": "1"})
    published = RankingRun.objects.published().get()
    assert published.year == 2019
    assert CompanyScore.objects.filter(run=published).count() == 1


def test_county_staff_cannot_publish_from_the_admin(client, computed, yongkang):
    client.force_login(staff("county", "admin-county", region=yongkang))
    _company, run = computed
    url = reverse("admin:rankings_rankingrun_changelist")
    client.post(url, {"action": "publish_runs", "_selected_action": [run.pk], "apply": "1"})
    assert not RankingRun.objects.published().exists()


def test_publish_action_shows_the_summary_and_takes_the_notice_period(client, computed):
    client.force_login(staff("city", "admin-publisher"))
    _company, run = computed
    url = reverse("admin:rankings_rankingrun_changelist")
    form = client.post(url, {"action": "publish_runs", "_selected_action": [run.pk]})
    assert form.status_code == 200
    (summary,) = form.context["summaries"]
    assert summary.year == 2019 and summary.scheme_version == run.scheme_version
    assert sum(row.above + row.below for row in summary.grade_counts) == 1
    assert form.context["form"].initial["notice_days"] == run.scheme.notice_days
    assert not RankingRun.objects.published().exists()
    refused = client.post(
        url,
        {"action": "publish_runs", "_selected_action": [run.pk], "apply": "1", "notice_days": 61},
    )
    assert refused.status_code == 200 and "notice_days" in refused.context["form"].errors
    assert not RankingRun.objects.published().exists()
    client.post(
        url,
        {"action": "publish_runs", "_selected_action": [run.pk], "apply": "1", "notice_days": 30},
    )
    published = RankingRun.objects.published().get()
    assert (published.notice_ends_on - timezone.localdate()).days == 30
