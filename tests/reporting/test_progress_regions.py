"""A campaign's progress per region counts each submission under its company's region now:
the copy the progress query groups by (Submission.region) follows a company that moves to
another county, whichever write path moves it."""

import pytest

from companies.models import Company
from core.services import record_save, records_bulk_write
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
    # The county of Yongkang no longer sees it (scoping goes through the company).
    assert by_region(campaign, world["users"]["county"]) == {}


def test_a_company_moved_by_the_bulk_write_moves_its_count(world, campaign, yongkang, yiwu):
    other = Company.objects.get(pk=world["other"].pk)
    other.region = yongkang
    records_bulk_write(
        model=Company, updates=[other], fields=["region"], user=world["users"]["city"]
    )
    assert by_region(campaign, world["users"]["city"]) == {yongkang.pk: 2}
    assert by_region(campaign, world["users"]["county"]) == {yongkang.pk: 2}
