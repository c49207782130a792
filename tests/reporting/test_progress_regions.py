"""A campaign's progress per region counts each submission under its company's region now:
the copy the progress query groups by (Submission.region) follows a company that moves to
another county, whichever write path moves it."""

import pytest

from companies.models import Company
from core.scoping import scope_of
from core.services import record_save, records_bulk_write
from reporting.models import Submission
from reporting.selectors import campaign_progress

pytestmark = pytest.mark.django_db


def by_region(campaign, user):
    return {line.region.pk: line.total for line in campaign_progress(campaign, user) if line.region}


def test_each_submission_counts_under_its_company_region(world, campaign, yongkang, yiwu):
    assert by_region(campaign, world["users"]["city"]) == {yongkang.pk: 1, yiwu.pk: 1}
    assert by_region(campaign, world["users"]["county"]) == {yongkang.pk: 1}


def test_a_company_moved_by_a_single_save_moves_its_count(world, campaign, yongkang, yiwu):
    own = Company.objects.get(pk=world["own"].pk)
    own.region = yiwu
    record_save(instance=own, user=world["users"]["city"])
    assert by_region(campaign, world["users"]["city"]) == {yiwu.pk: 2}
    # The county of Yongkang no longer sees it.
    assert by_region(campaign, world["users"]["county"]) == {}


def test_a_company_moved_by_the_bulk_write_moves_its_count(world, campaign, yongkang, yiwu):
    other = Company.objects.get(pk=world["other"].pk)
    other.region = yongkang
    records_bulk_write(
        model=Company, updates=[other], fields=["region"], user=world["users"]["city"]
    )
    assert by_region(campaign, world["users"]["city"]) == {yongkang.pk: 2}
    assert by_region(campaign, world["users"]["county"]) == {yongkang.pk: 2}


def scope_through_company(user):
    """What a county's scope was before Submission.region_path: the join to the company."""
    region = scope_of(user).region_id
    return set(Submission.objects.filter(company__region_id=region).values_list("pk", flat=True))


def county_sees(user):
    return set(Submission.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("move", ["single", "bulk"])
def test_the_scope_through_the_copy_equals_the_scope_through_the_company(
    world, campaign, yongkang, yiwu, move
):
    county = world["users"]["county"]
    assert county_sees(county) == scope_through_company(county) != set()
    for name, region in (("own", yiwu), ("other", yongkang)):
        company = Company.objects.get(pk=world[name].pk)
        company.region = region
        if move == "single":
            record_save(instance=company, user=world["users"]["city"])
        else:
            records_bulk_write(
                model=Company, updates=[company], fields=["region"], user=world["users"]["city"]
            )
        assert county_sees(county) == scope_through_company(county)
    # Both moves done: the county sees exactly the other company's submission now.
    assert county_sees(county) == set(
        Submission.objects.filter(company=world["other"]).values_list("pk", flat=True)
    )
