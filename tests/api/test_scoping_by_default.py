"""Scoping is applied by the base viewset: every route is restricted without asking, a new
viewset cannot forget it, and reading an unscoped model needs an explicit declaration."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIRequestFactory, force_authenticate

from companies.api.serializers import AnnualDataSerializer, RegionSerializer
from companies.models import AnnualData, Region
from core.api.permissions import WRITE_COMPANY_DATA
from core.api.viewsets import ReadOnlyResourceViewSet, ResourceViewSet
from tracker.api_urls import router

pytestmark = pytest.mark.django_db

ROUTES = [(prefix, viewset) for prefix, viewset, _basename in router.registry]


def company_path(model):
    """The lookup from `model` to its company, or None for a table that hangs off none."""
    return getattr(model._default_manager.all(), "company_path", None)


def lookup(path, field):
    return f"{path}__{field}" if path else field


def listed_ids(client, prefix):
    response = client.get(f"/api/v1/{prefix}/", {"page_size": 500})
    assert response.status_code == 200, prefix
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(("prefix", "viewset"), ROUTES, ids=[prefix for prefix, _ in ROUTES])
@pytest.mark.parametrize(("role", "bound_to"), [("county", "region_id"), ("company", "pk")])
def test_every_route_lists_only_the_users_own_rows(
    api, world, records, prefix, viewset, role, bound_to
):
    model = viewset.queryset.model
    path = company_path(model)
    ids = listed_ids(api(role), prefix)
    if path is None and viewset.scoped:
        # Scoped by a rule of its own, not by a company (ranking runs: a company user sees the
        # published runs it was rated in; tests/api/test_runs_visibility.py): the list is
        # exactly what the model's visible_to gives.
        user = world["users"][role]
        assert ids == set(model.objects.visible_to(user).values_list("pk", flat=True))
        return
    if path is None:
        # Reference data, read whole by every role; the viewset must have said so.
        assert viewset.scoped is False
        assert ids == set(model.objects.values_list("pk", flat=True))
        return
    own = getattr(world["own"], bound_to)
    binding = lookup(path, bound_to)  # e.g. project__company__region_id
    assert ids, "the user's own rows are listed"
    assert set(model.objects.filter(pk__in=ids).values_list(binding, flat=True)) == {own}
    # The table holds rows of the other company too: the list left them out.
    assert model.objects.exclude(**{binding: own}).exists()


def county_request(world, path="/"):
    request = APIRequestFactory().get(path)
    force_authenticate(request, user=world["users"]["county"])
    return request


def list_ids(viewset, request):
    response = viewset.as_view({"get": "list"})(request)
    assert response.status_code == 200
    return {row["id"] for row in response.data["results"]}


def test_a_viewset_that_says_nothing_about_scoping_is_scoped(world, records):
    class Forgetful(ResourceViewSet):
        queryset = AnnualData.objects.select_related("company")
        serializer_class = AnnualDataSerializer
        write_access = WRITE_COMPANY_DATA  # who may write at all; not which rows

    ids = list_ids(Forgetful, county_request(world))
    assert ids == {records["own"]["annual"].pk}

    other = records["other"]["annual"].pk
    detail = Forgetful.as_view({"get": "retrieve", "delete": "destroy"})
    request = APIRequestFactory().delete(f"/{other}/")
    force_authenticate(request, user=world["users"]["county"])
    assert detail(request, pk=other).status_code == 404
    assert AnnualData.objects.filter(pk=other).exists()


def test_rows_from_get_base_queryset_are_scoped_too(world, records):
    class Forgetful(ReadOnlyResourceViewSet):
        serializer_class = AnnualDataSerializer

        def get_base_queryset(self):
            return AnnualData.objects.order_by("id")

    assert list_ids(Forgetful, county_request(world)) == {records["own"]["annual"].pk}


def test_an_unscoped_model_without_the_declaration_is_refused_at_class_creation():
    with pytest.raises(ImproperlyConfigured, match="scoped = False"):

        class Undeclared(ResourceViewSet):
            queryset = Region.objects.all()
            serializer_class = RegionSerializer


def test_an_unscoped_model_without_the_declaration_is_refused_at_request_time(world):
    class Undeclared(ReadOnlyResourceViewSet):
        serializer_class = RegionSerializer

        def get_base_queryset(self):
            return Region.objects.all()

    with pytest.raises(ImproperlyConfigured, match="scoped = False"):
        Undeclared.as_view({"get": "list"})(county_request(world))


def test_a_scoped_model_cannot_be_declared_unscoped():
    with pytest.raises(ImproperlyConfigured, match="must be restricted"):

        class Leaky(ResourceViewSet):
            queryset = AnnualData.objects.all()
            scoped = False


def test_get_queryset_which_applies_the_scoping_cannot_be_overridden():
    with pytest.raises(ImproperlyConfigured, match="get_base_queryset"):

        class Bypass(ResourceViewSet):
            def get_queryset(self):
                return AnnualData.objects.all()
