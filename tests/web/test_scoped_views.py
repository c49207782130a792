"""The pages' base views scope by default: a view that only names its model shows each user
the rows their role allows, and no more."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from companies.models import Company
from core.views import ScopedDetailView, ScopedListView, ScopedUpdateView

pytestmark = pytest.mark.django_db


class CompanyList(ScopedListView):
    model = Company


class CompanyDetail(ScopedDetailView):
    model = Company


class CompanyEdit(ScopedUpdateView):
    model = Company
    fields = ["name"]


def call(view, user, **kwargs):
    request = RequestFactory().get("/")
    request.user = user
    return view.as_view()(request, **kwargs)


def listed(world, role) -> set[str]:
    response = call(CompanyList, world["users"][role])
    return {company.name for company in response.context_data["object_list"]}


def test_a_list_that_names_only_its_model_is_scoped(world):
    own, other = world["own"].name, world["other"].name
    assert listed(world, "city") == {own, other}
    assert listed(world, "county") == {own}
    assert listed(world, "company") == {own}
    assert listed(world, "norole") == set()


@pytest.mark.parametrize(
    ("view", "role", "side", "found"),
    [
        (CompanyDetail, "county", "own", True),
        (CompanyDetail, "county", "other", False),
        (CompanyDetail, "company", "own", True),
        (CompanyDetail, "company", "other", False),
        (CompanyEdit, "city", "other", True),
        (CompanyEdit, "county", "own", True),
        (CompanyEdit, "county", "other", False),
        # A company user may see its own record but not change it.
        (CompanyEdit, "company", "own", False),
    ],
)
def test_a_detail_or_edit_page_that_names_only_its_model_is_scoped(world, view, role, side, found):
    user, company = world["users"][role], world[side]
    if found:
        assert call(view, user, pk=company.pk).context_data["object"] == company
    elif role == "county":
        # County staff learn only that the record is another region's (other_region.html).
        response = call(view, user, pk=company.pk)
        assert response.status_code == 403 and "object" not in (response.context_data or {})
    else:
        with pytest.raises(Http404):
            call(view, user, pk=company.pk)
