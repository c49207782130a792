"""The Django admin, driven with the test client as each role: it shows and changes only
what the scoping layer allows, and saves through the services."""

import datetime

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation

from companies.models import AnnualData, Certification, Company, Membership, Region
from companies.services import ROLE_GROUPS, user_assign_role
from tests.factories import (
    AnnualDataFactory,
    CertificationFactory,
    CompanyFactory,
    DesignationFactory,
    KeyProjectFactory,
    MaturityFactory,
)

User = get_user_model()


def url(name, *args, query=""):
    # English URLs, so Django's and our messages can be asserted in English.
    with translation.override("en"):
        return reverse(f"admin:{name}", args=args) + (f"?{query}" if query else "")


@pytest.fixture
def people(world):
    """One user per role, given their role the way production does (permission groups)."""

    def make(username, role, **binding):
        user = User.objects.create_user(username=username, password="pass-Word-123")
        if role:
            user_assign_role(user=user, role=role, **binding)
        else:
            user.is_staff = True  # may open the admin, but holds no role
            user.save()
        return User.objects.get(pk=user.pk)

    return {
        "admin": make("a-admin", "admin"),
        "city": make("a-city", "city"),
        "county": make("a-county", "county", region=world["own"].region),
        "company": make("a-company", "company", company=world["own"]),
        "norole": make("a-norole", None),
    }


@pytest.fixture
def client_as(people):
    def login(role):
        client = Client()
        client.force_login(people[role])
        return client

    return login


def _form_values(form) -> dict:
    """What a browser would post back for an unchanged form."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(field, forms.MultiValueField):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = "" if value is None else str(value)
    return data


def change_form_data(response) -> dict:
    """The POST data of an admin change page as loaded: main form and every inline."""
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    return data


def inline_formset(response, prefix: str):
    """The formset of one inline of an admin change page, by its prefix."""
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )


SCOPED_CHANGELISTS = [
    ("companies_company", lambda company: company),
    ("companies_designation", lambda company: DesignationFactory(company=company)),
    ("companies_certification", lambda company: CertificationFactory(company=company)),
    ("companies_maturityassessment", lambda company: MaturityFactory(company=company)),
    ("companies_annualdata", lambda company: AnnualDataFactory(company=company)),
]
SEES = {
    "admin": {"own", "other"},
    "city": {"own", "other"},
    "county": {"own"},
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make"), SCOPED_CHANGELISTS, ids=[n for n, _ in SCOPED_CHANGELISTS]
)
@pytest.mark.parametrize("role", sorted(SEES))
def test_changelist_shows_only_rows_in_scope(world, client_as, role, name, make):
    rows = {which: make(world[which]) for which in ("own", "other")}
    response = client_as(role).get(url(f"{name}_changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert shown == {rows[which].pk for which in SEES[role]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make"), SCOPED_CHANGELISTS, ids=[n for n, _ in SCOPED_CHANGELISTS]
)
def test_user_without_a_role_reaches_no_company_data(world, client_as, name, make):
    make(world["own"])
    response = client_as("norole").get(url(f"{name}_changelist"))
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["county"])
def test_change_view_of_another_regions_company_does_not_show_it(world, client_as, role):
    other = world["other"]
    response = client_as(role).get(url("companies_company_change", other.pk), follow=True)
    content = response.content.decode()
    assert other.name not in content and other.credit_code not in content
    assert "doesn’t exist" in content
    history = client_as(role).get(url("companies_company_history", other.pk))
    assert history.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["county", "company"])
def test_posting_a_change_to_an_out_of_scope_company_changes_nothing(world, client_as, role):
    other = world["other"]
    loaded = client_as("admin").get(url("companies_company_change", other.pk))
    data = change_form_data(loaded)
    data["name"] = "被篡改的名称"
    client_as(role).post(url("companies_company_change", other.pk), data)
    other.refresh_from_db()
    assert other.name == "义乌他方企业" and other.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["county", "company", "norole"])
def test_deleting_an_out_of_scope_record_changes_nothing(world, client_as, role):
    cert = CertificationFactory(company=world["other"])
    client_as(role).post(url("companies_certification_delete", cert.pk), {"post": "yes"})
    assert Certification.objects.filter(pk=cert.pk).exists()


@pytest.mark.django_db
def test_county_staff_delete_a_record_of_their_region(world, client_as):
    cert = CertificationFactory(company=world["own"])
    response = client_as("county").post(
        url("companies_certification_delete", cert.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Certification.objects.filter(pk=cert.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"own", "other"}),
        ("city", {"own", "other"}),
        ("county", {"own"}),
    ],
)
@pytest.mark.parametrize("source", ["certification", "annualdata", "designation"])
def test_company_autocomplete_offers_only_companies_the_user_may_edit(
    world, client_as, role, expected, source
):
    query = f"app_label=companies&model_name={source}&field_name=company"
    response = client_as(role).get(url("autocomplete", query=query))
    assert response.status_code == 200
    ids = {int(item["id"]) for item in response.json()["results"]}
    assert ids == {world[which].pk for which in expected}


@pytest.mark.django_db
def test_company_autocomplete_search_stays_in_scope(world, client_as):
    # Searching for the other region's company by its exact name still finds nothing.
    query = "app_label=companies&model_name=annualdata&field_name=company&term=义乌"
    response = client_as("county").get(url("autocomplete", query=query))
    assert response.json()["results"] == []
    query = "app_label=companies&model_name=annualdata&field_name=company&term=永康"
    response = client_as("county").get(url("autocomplete", query=query))
    assert [int(item["id"]) for item in response.json()["results"]] == [world["own"].pk]


@pytest.mark.django_db
def test_region_autocomplete_offers_county_staff_only_their_region(world, client_as):
    query = "app_label=companies&model_name=company&field_name=region"
    county = client_as("county").get(url("autocomplete", query=query)).json()["results"]
    assert [int(item["id"]) for item in county] == [world["own"].region_id]
    city = client_as("city").get(url("autocomplete", query=query)).json()["results"]
    assert len(city) == Region.objects.count() == 11


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "city", "county"])
def test_company_page_shows_every_inline(world, client_as, role):
    company = world["own"]
    AnnualDataFactory(company=company, year=2019)
    CertificationFactory(company=company, certificate_no="IMS-INLINE-1")
    response = client_as(role).get(url("companies_company_change", company.pk))
    assert response.status_code == 200
    prefixes = {inline.formset.prefix for inline in response.context["inline_admin_formsets"]}
    assert prefixes == {
        "designations",
        "certifications",
        "maturity_assessments",
        "annual_data",
        "projects",
    }
    assert "IMS-INLINE-1" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["city", "county"])
def test_adding_annual_data_on_the_company_page_saves_through_the_service(
    world, client_as, people, role
):
    company = world["own"]
    client = client_as(role)
    data = change_form_data(client.get(url("companies_company_change", company.pk)))
    data.update(
        {
            "annual_data-TOTAL_FORMS": "1",
            "annual_data-0-year": "2018",
            "annual_data-0-main_revenue": "5000",
            "annual_data-0-tax_paid": "321.50",
            "annual_data-0-total_profit": "-20",
        }
    )
    response = client.post(url("companies_company_change", company.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    record = AnnualData.objects.get(company=company, year=2018)
    assert str(record.tax_paid) == "321.50" and str(record.total_profit) == "-20.00"
    assert record.created_by == people[role] and record.updated_by == people[role]
    assert record.history.count() == 1


@pytest.mark.django_db
def test_bad_inline_data_is_refused_naming_the_field_and_saves_nothing(world, client_as):
    company = world["own"]
    client = client_as("county")
    data = change_form_data(client.get(url("companies_company_change", company.pk)))
    data.update(
        {
            "name": "新名字",
            "annual_data-TOTAL_FORMS": "1",
            "annual_data-0-year": "2018",
            "annual_data-0-tax_paid": "-5",
        }
    )
    response = client.post(url("companies_company_change", company.pk), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][3].formset.errors
    assert "tax_paid" in errors[0]
    company.refresh_from_db()
    assert company.name == "永康自有企业"
    assert not AnnualData.objects.filter(company=company).exists()


@pytest.mark.django_db
def test_county_staff_edit_their_company_and_are_recorded_as_authors(world, client_as, people):
    company = world["own"]
    client = client_as("county")
    data = change_form_data(client.get(url("companies_company_change", company.pk)))
    data["name"] = "永康新名称"
    response = client.post(url("companies_company_change", company.pk), data)
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name == "永康新名称"
    assert company.updated_by == people["county"] and company.version == 2
    assert company.history.first().history_user == people["county"]


@pytest.mark.django_db
def test_county_staff_cannot_move_a_company_to_another_region(world, client_as, yiwu):
    company = world["own"]
    client = client_as("county")
    data = change_form_data(client.get(url("companies_company_change", company.pk)))
    data["region"] = str(yiwu.pk)
    response = client.post(url("companies_company_change", company.pk), data)
    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    company.refresh_from_db()
    assert company.region_id == world["own"].region_id and company.version == 1


@pytest.mark.django_db
def test_county_staff_cannot_attach_a_record_to_another_regions_company(world, client_as):
    response = client_as("county").post(
        url("companies_annualdata_add"), {"company": str(world["other"].pk), "year": "2019"}
    )
    assert response.status_code == 200
    assert "company" in response.context["adminform"].form.errors
    assert not AnnualData.objects.exists()


@pytest.mark.django_db
def test_a_save_based_on_a_stale_copy_is_refused(world, client_as):
    company = world["own"]
    client = client_as("city")
    data = change_form_data(client.get(url("companies_company_change", company.pk)))
    company.contact_person = "someone else"
    company.save()
    data["name"] = "迟到的修改"
    response = client.post(url("companies_company_change", company.pk), data)
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    company.refresh_from_db()
    assert company.name == "永康自有企业" and company.contact_person == "someone else"


@pytest.mark.django_db
def test_invalid_credit_code_in_the_admin_names_the_field(world, client_as):
    response = client_as("city").post(
        url("companies_company_add"),
        {
            "credit_code": "91330700MA2ABCDEF0",
            "name": "新企业",
            "region": str(world["own"].region_id),
            "industry": str(world["own"].industry_id),
            "rated": "on",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "credit_code" in errors and "check digit" in str(errors["credit_code"])
    assert Company.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["company", "norole"])
def test_roles_without_admin_work_are_refused_every_admin_page_and_change_nothing(
    world, client_as, role
):
    """core.roles.ADMIN_SITE_ROLES: company users (and users without a role) do their work in
    the portal; the admin answers them 403 everywhere, its login page included."""
    company = world["own"]
    client = client_as(role)
    for name, args in [
        ("index", ()),
        ("login", ()),
        ("companies_company_changelist", ()),
        ("companies_company_change", (company.pk,)),
        ("companies_company_add", ()),
        ("companies_annualdata_changelist", ()),
        ("projects_keyproject_changelist", ()),
    ]:
        assert client.get(url(name, *args)).status_code == 403, name
    data = change_form_data(client_as("admin").get(url("companies_company_change", company.pk)))
    data["name"] = "企业自己改的名字"
    assert client.post(url("companies_company_change", company.pk), data).status_code == 403
    assert (
        client.post(url("companies_company_delete", company.pk), {"post": "yes"}).status_code == 403
    )
    company.refresh_from_db()
    assert company.name == "永康自有企业" and company.version == 1


@pytest.mark.django_db
def test_anonymous_visitors_still_get_the_admin_login_form(client):
    response = client.get(url("companies_company_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["city", "county"])
def test_only_administrators_are_offered_bulk_delete(world, client_as, role):
    """No "delete selected" for anyone but administrators, on every registered model."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = User.objects.get(username=f"a-{role}")
    superuser = User.objects.get(username="a-admin")
    offered = [
        model_admin
        for model_admin in admin.site._registry.values()
        if "delete_selected" in model_admin.get_actions(request)
    ]
    assert offered == []
    request.user = superuser
    assert "delete_selected" in admin.site._registry[Company].get_actions(request)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["city", "county"])
def test_a_posted_bulk_delete_is_refused_and_deletes_nothing(world, client_as, role):
    cert = CertificationFactory(company=world["own"])
    client_as(role).post(
        url("companies_certification_changelist"),
        {"action": "delete_selected", "_selected_action": [str(cert.pk)], "post": "yes"},
    )
    assert Certification.objects.filter(pk=cert.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["region", "industry", "keyindustry"])
@pytest.mark.parametrize("role", ["city", "county"])
def test_reference_data_is_read_only_for_staff(client_as, role, model):
    client = client_as(role)
    assert client.get(url(f"companies_{model}_changelist")).status_code == 200
    region = Region.objects.get(code="330784")
    if model == "region":
        page = client.get(url("companies_region_change", region.pk))
        assert page.status_code == 200 and not page.context["has_change_permission"]
        response = client.post(
            url("companies_region_change", region.pk),
            {"code": "330784", "name_zh": "改掉", "kind": region.kind, "sort_order": "1"},
        )
        assert response.status_code == 403
        region.refresh_from_db()
        assert region.name_zh == "永康市"
    assert client.get(url(f"companies_{model}_add")).status_code == 403


@pytest.mark.django_db
def test_administrators_change_reference_data(client_as):
    region = Region.objects.get(code="330784")
    page = client_as("admin").get(url("companies_region_change", region.pk))
    data = _form_values(page.context["adminform"].form)
    data["name_en"] = "Yongkang City"
    response = client_as("admin").post(url("companies_region_change", region.pk), data)
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.name_en == "Yongkang City"


@pytest.mark.django_db
def test_company_users_have_no_reference_data_pages(client_as):
    assert client_as("company").get(url("companies_region_changelist")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["city", "county", "company", "norole"])
def test_only_administrators_manage_users_and_roles(client_as, people, role):
    client = client_as(role)
    assert client.get(url("auth_user_changelist")).status_code == 403
    assert client.get(url("companies_membership_changelist")).status_code == 403
    assert client.get(url("auth_user_change", people["norole"].pk)).status_code == 403


@pytest.mark.django_db
def test_administrator_gives_a_role_on_the_user_page(world, client_as, people):
    target = people["norole"]
    client = client_as("admin")
    data = change_form_data(client.get(url("auth_user_change", target.pk)))
    data.update(
        {
            "membership-TOTAL_FORMS": "1",
            "membership-0-role": "county",
            "membership-0-region": str(world["own"].region_id),
        }
    )
    response = client.post(url("auth_user_change", target.pk), data)
    assert response.status_code == 302, response.context["errors"]
    membership = Membership.objects.get(user=target)
    assert membership.role == "county" and membership.region_id == world["own"].region_id
    assert list(target.groups.values_list("name", flat=True)) == [ROLE_GROUPS["county"]]


@pytest.mark.django_db
def test_a_membership_that_does_not_match_its_role_is_refused(world, client_as, people):
    response = client_as("admin").post(
        url("companies_membership_add"),
        {"user": str(people["norole"].pk), "role": "county", "company": str(world["own"].pk)},
    )
    assert response.status_code == 200
    assert "County staff need a region" in response.content.decode()
    assert not Membership.objects.filter(user=people["norole"]).exists()


@pytest.mark.django_db
def test_role_groups_carry_the_permissions_the_brief_gives_them():
    def perms(group):
        return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))

    city, county, company = (perms(ROLE_GROUPS[r]) for r in ("city", "county", "company"))
    assert {"add_company", "change_keyproject", "delete_annualdata"} <= city
    assert {"add_demonstrationbatch", "change_demonstrationbatch"} <= city
    assert "view_demonstrationbatch" in county and "change_demonstrationbatch" not in county
    assert {"view_region", "view_projectstatuschange"} <= county
    assert not {p for p in county | city if p.endswith("projectstatuschange")} - {
        "view_projectstatuschange"
    }
    assert not {
        p for p in city | county if p.endswith(("_region", "_industry", "_keyindustry"))
    } - {
        "view_region",
        "view_industry",
        "view_keyindustry",
    }
    assert company and all(p.startswith("view_") for p in company)


@pytest.mark.django_db
def test_company_changelist_query_count_does_not_grow_with_rows(
    world, client_as, django_assert_max_num_queries
):
    for n in range(30):
        CompanyFactory(region=world["own"].region, founded_on=datetime.date(2000, 1, n % 28 + 1))
    client = client_as("county")
    with django_assert_max_num_queries(20):
        response = client.get(url("companies_company_changelist"))
    assert len(response.context["cl"].result_list) == 31


@pytest.mark.django_db
def test_an_api_edit_between_loading_and_saving_the_company_page_survives(world, client_as, people):
    """The lost update of issue 10: the admin loads the company page, a county user changes
    an annual-data row through the API, the admin saves the page with the old inline row."""
    from rest_framework.test import APIClient

    company = world["own"]
    record = AnnualDataFactory(company=company, year=2019, tax_paid="100.00")
    admin = client_as("admin")
    data = change_form_data(admin.get(url("companies_company_change", company.pk)))
    api = APIClient()
    api.force_authenticate(people["county"])
    patched = api.patch(
        f"/api/v1/annual-data/{record.pk}/",
        {"tax_paid": "555.00", "version": record.version},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    data["name"] = "管理员的修改"
    response = admin.post(url("companies_company_change", company.pk), data)
    assert response.status_code == 200
    formset = inline_formset(response, "annual_data")
    assert "changed by someone else" in str(formset.errors[0])
    record.refresh_from_db()
    company.refresh_from_db()
    assert str(record.tax_paid) == "555.00" and record.updated_by == people["county"]
    assert company.name == "永康自有企业"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "make"),
    [
        ("certifications", lambda company: CertificationFactory(company=company)),
        ("maturity_assessments", lambda company: MaturityFactory(company=company)),
        ("designations", lambda company: DesignationFactory(company=company)),
        ("projects", lambda company: KeyProjectFactory(company=company)),
    ],
)
def test_every_company_inline_refuses_a_stale_row(world, client_as, prefix, make):
    company = world["own"]
    row = make(company)
    client = client_as("city")
    data = change_form_data(client.get(url("companies_company_change", company.pk)))
    assert data[f"{prefix}-0-based_on_version"] == str(row.version)
    type(row).objects.filter(pk=row.pk).update(version=row.version + 1)
    response = client.post(url("companies_company_change", company.pk), data)
    assert response.status_code == 200
    formset = inline_formset(response, prefix)
    assert "changed by someone else" in str(formset.errors[0])


@pytest.mark.django_db
def test_a_current_inline_row_saves_and_its_version_moves_on(world, client_as):
    company = world["own"]
    record = AnnualDataFactory(company=company, year=2019, tax_paid="100.00")
    client = client_as("city")
    data = change_form_data(client.get(url("companies_company_change", company.pk)))
    data["annual_data-0-tax_paid"] = "200.00"
    response = client.post(url("companies_company_change", company.pk), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert str(record.tax_paid) == "200.00" and record.version == 2


@pytest.mark.django_db
def test_deleting_an_inline_row_someone_changed_since_deletes_nothing(world, client_as):
    company = world["own"]
    record = AnnualDataFactory(company=company, year=2019, tax_paid="100.00")
    client = client_as("city")
    data = change_form_data(client.get(url("companies_company_change", company.pk)))
    AnnualData.objects.filter(pk=record.pk).update(version=record.version + 1)
    data["annual_data-0-DELETE"] = "on"
    data["name"] = "迟到的修改"
    response = client.post(url("companies_company_change", company.pk), data, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert AnnualData.objects.filter(pk=record.pk).exists()
    company.refresh_from_db()
    assert company.name == "永康自有企业"


# --- year-on-year jumps: confirmed in the admin as on the staff pages (test_plausibility.py)
JUMP_NOTE = "confirmed: tax_paid ×12.9 vs 2018"


@pytest.mark.django_db
def test_the_change_form_refuses_a_jump_until_confirmed(world, client_as, people, tax_years):
    client = client_as("county")
    path = url("companies_annualdata_change", tax_years[2019].pk)
    data = {**change_form_data(client.get(path)), "tax_paid": "9000"}
    response = client.post(path, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["tax_paid"], dict(errors)
    assert "2018" in errors["tax_paid"][0]
    assert 'type="checkbox" name="confirm_warnings"' in response.content.decode()
    stored = AnnualData.objects.get(pk=tax_years[2019].pk)
    assert stored.tax_paid == 800 and stored.history.count() == 1

    response = client.post(path, {**data, "confirm_warnings": "on"})
    assert response.status_code == 302
    stored = AnnualData.objects.get(pk=tax_years[2019].pk)
    assert stored.tax_paid == 9000
    latest = stored.history.first()
    assert latest.history_change_reason == JUMP_NOTE
    assert latest.history_user == people["county"]


@pytest.mark.django_db
def test_an_ordinary_admin_edit_asks_nothing(world, client_as, tax_years):
    client = client_as("county")
    path = url("companies_annualdata_change", tax_years[2019].pk)
    page = client.get(path)
    assert 'type="checkbox" name="confirm_warnings"' not in page.content.decode()
    response = client.post(path, {**change_form_data(page), "tax_paid": "900"})
    assert response.status_code == 302
    assert (
        AnnualData.objects.get(pk=tax_years[2019].pk).history.first().history_change_reason is None
    )


@pytest.mark.django_db
def test_the_company_page_inline_refuses_a_jump_until_confirmed(world, client_as, tax_years):
    client = client_as("city")
    path = url("companies_company_change", world["own"].pk)
    data = change_form_data(client.get(path))
    index = next(i for i in range(2) if data[f"annual_data-{i}-id"] == str(tax_years[2019].pk))
    data[f"annual_data-{index}-tax_paid"] = "9000"
    response = client.post(path, data)
    assert response.status_code == 200
    errors = inline_formset(response, "annual_data").errors
    assert "tax_paid" in errors[index] and "2018" in errors[index]["tax_paid"][0]
    assert AnnualData.objects.get(pk=tax_years[2019].pk).tax_paid == 800

    response = client.post(path, {**data, f"annual_data-{index}-confirm_warnings": "on"})
    assert response.status_code == 302
    stored = AnnualData.objects.get(pk=tax_years[2019].pk)
    assert stored.tax_paid == 9000
    assert stored.history.first().history_change_reason == JUMP_NOTE
