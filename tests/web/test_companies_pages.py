"""Company, batch and annual-data pages: scoping, filters, sorting, export, detail, forms."""

import csv
import io

import pytest
from django.urls import reverse

from companies.filtersets import CompanyFilterSet
from companies.models import AnnualData, Company
from core.sorting import pinyin_sort_key
from tests.factories import AnnualDataFactory, CompanyFactory, industry, make_credit_code
from tests.web.helpers import english

pytestmark = pytest.mark.django_db


def names_in(response):
    return [c.name for c in response.context["object_list"]]


# --- list ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "city"])
def test_city_wide_staff_list_every_company(client, populated, role):
    client.force_login(populated["users"][role])
    response = client.get(reverse("companies:list"))
    assert response.status_code == 200
    assert {populated["own"].name, populated["other"].name} <= set(names_in(response))


def test_county_staff_list_only_their_region(client, populated):
    client.force_login(populated["users"]["county"])
    names = names_in(client.get(reverse("companies:list")))
    assert populated["own"].name in names
    assert populated["other"].name not in names


def test_anonymous_list_redirects_to_login(client):
    response = client.get(reverse("companies:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_filter_and_sort(client, populated, yiwu):
    client.force_login(populated["users"]["city"])
    response = client.get(reverse("companies:list"), {"region": yiwu.pk})
    assert names_in(response) == [populated["other"].name]
    response = client.get(reverse("companies:list"), {"q": populated["own"].credit_code[:12]})
    assert names_in(response) == [populated["own"].name]

    names = names_in(client.get(reverse("companies:list"), {"sort": "-name"}))
    # By pinyin reading (core.sorting), not by code point.
    assert names == sorted(names, key=pinyin_sort_key, reverse=True)


def test_bad_filter_value_is_reported_next_to_the_field(client, populated):
    client.force_login(populated["users"]["city"])
    response = client.get(reverse("companies:list"), {"region": "999999"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert response.context["filter_form"].errors["region"]
    assert 'class="errorlist" id="id_region_errors"' in response.content.decode()


def test_bad_value_of_a_filter_the_form_does_not_show_is_reported_above_it(client, populated):
    # The page filters through the API's FilterSet, so its other filters work by URL too.
    client.force_login(populated["users"]["city"])
    response = client.get(reverse("companies:list"), {"founded_after": "someday"})
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    [error] = response.context["filter_form"].non_field_errors()
    # Named by the filter's label, as the user reads it, not by its parameter name.
    label = CompanyFilterSet().filters["founded_after"].label
    assert label and error.startswith(f"{label}: ")
    assert 'class="alert alert-error"' in response.content.decode()


def test_a_filter_the_form_does_not_show_is_listed_and_removable(client, populated, yongkang):
    # A link from elsewhere may filter by anything the FilterSet offers; the page says so.
    CompanyFactory(region=yongkang, land_area_mu=5)
    CompanyFactory(region=yongkang, land_area_mu=500)
    client.force_login(populated["users"]["city"])
    query = {"region": yongkang.pk, "land_area_min": "100"}
    response = client.get(reverse("companies:list"), query)
    rows = list(response.context["object_list"])
    assert rows and all(company.land_area_mu >= 100 for company in rows)
    [item] = response.context["filter_form"].unshown
    assert item["label"] == str(CompanyFilterSet().filters["land_area_min"].label)
    assert item["value"] == "100"
    assert item["remove_query"] == f"region={yongkang.pk}"
    page = response.content.decode()
    assert f'href="?region={yongkang.pk}"' in page
    # Removing it lists every company of the region again.
    response = client.get(reverse("companies:list") + "?" + item["remove_query"])
    assert not response.context["filter_form"].unshown
    assert len(response.context["object_list"]) > len(rows)


def test_pagination_keeps_the_filter(client, populated, yongkang):
    CompanyFactory.create_batch(30, region=yongkang)
    client.force_login(populated["users"]["city"])
    response = client.get(reverse("companies:list"), {"region": yongkang.pk})
    assert response.context["page_obj"].paginator.num_pages == 2
    assert f"region={yongkang.pk}" in response.content.decode().split('rel="next"')[0][-200:]


def test_export_writes_exactly_the_filtered_rows(client, populated, yongkang):
    CompanyFactory.create_batch(30, region=yongkang, name="=HYPERLINK(evil)")
    client.force_login(populated["users"]["city"])
    response = client.get(reverse("companies:list"), {"region": yongkang.pk, "export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    expected = Company.objects.filter(region=yongkang).count()
    assert len(rows) - 1 == expected == 37  # all pages, not just the first
    codes = {row[0] for row in rows[1:]}
    assert populated["other"].credit_code not in codes
    assert all(not row[1].startswith("=") for row in rows[1:])  # formulas escaped

    xlsx = client.get(reverse("companies:list"), {"region": yongkang.pk, "export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("companies:list"), {"export": "pdf"}).status_code == 404


def test_county_export_is_scoped(client, populated):
    client.force_login(populated["users"]["county"])
    response = client.get(reverse("companies:list"), {"export": "csv"})
    text = response.content.decode("utf-8-sig")
    assert populated["own"].credit_code in text
    assert populated["other"].credit_code not in text


# --- detail -------------------------------------------------------------------------------


def test_detail_shows_profile_score_and_history(client, populated):
    client.force_login(populated["users"]["city"])
    own = populated["own"]
    response = client.get(english(reverse("companies:detail", args=[own.pk])))
    assert response.status_code == 200
    html = response.content.decode()
    assert own.credit_code in html
    score = response.context["score"]
    assert score is not None and score.rated
    # every indicator with its value, baseline and points
    assert len(response.context["indicators"]) == 6
    assert all(line.baseline is not None for line in response.context["indicators"])
    assert f"{score.city_rank} of 8 (above size)" in html
    assert "expires within 90 days" in html
    assert populated["own_project"].name in html and "lagging" in html
    assert response.context["rank_history"][0]["score"].city_rank == score.city_rank
    assert response.context["changes"]


def test_change_history_names_who_and_which_fields(client, populated):
    city = populated["users"]["city"]
    client.force_login(city)
    own = populated["own"]
    data = _company_post(own, name="永康改名企业", contact_phone="0579-1234567")
    response = client.post(reverse("companies:update", args=[own.pk]), data)
    assert response.status_code == 302
    changes = client.get(reverse("companies:detail", args=[own.pk])).context["changes"]
    latest = changes[0]
    assert latest["who"] == city
    changed = {change["field"]: (change["old"], change["new"]) for change in latest["changes"]}
    assert changed[str(Company._meta.get_field("name").verbose_name).capitalize()] == (
        "永康自有企业",
        "永康改名企业",
    )
    phone = str(Company._meta.get_field("contact_phone").verbose_name).capitalize()
    assert changed[phone] == ("–", "0579-1234567")


def test_county_gets_a_belongs_to_another_region_page_that_shows_nothing_of_it(client, populated):
    """County staff know other counties' companies exist (the city rankings list them), so
    the page says where the record is instead of pretending it is missing — and names none
    of its content."""
    client.force_login(populated["users"]["county"])
    other = populated["other"]
    for name in ("companies:detail", "companies:update"):
        response = client.get(reverse(name, args=[other.pk]))
        assert response.status_code == 403
        page = response.content.decode()
        assert "这条记录属于其他区县" in page
        assert other.name not in page and other.credit_code not in page
    assert client.get(reverse("companies:detail", args=[populated["own"].pk])).status_code == 200
    # A record that does not exist at all is still a plain 404.
    assert client.get(reverse("companies:detail", args=[other.pk + 1000])).status_code == 404


def test_company_users_get_404_for_any_company_page(client, populated):
    """A company user must not learn whether another company's record exists."""
    client.force_login(populated["users"]["company"])
    for company in (populated["other"], populated["own"]):
        assert client.get(reverse("companies:detail", args=[company.pk])).status_code == 404


# --- forms --------------------------------------------------------------------------------


def _company_post(company=None, **overrides):
    data = {
        "credit_code": company.credit_code if company else make_credit_code(),
        "name": company.name if company else "金华新建企业有限公司",
        "region": company.region_id if company else "",
        "industry": company.industry_id if company else industry().pk,
        "founded_on": "2010-01-01",
        "above_size": "on",
        "land_area_mu": "40",
        "rated": "on",
        "version": company.version if company else "",
    }
    data.update(overrides)
    return data


def test_create_company(client, populated, yongkang):
    client.force_login(populated["users"]["city"])
    data = _company_post(region=yongkang.pk)
    response = client.post(reverse("companies:create"), data)
    created = Company.objects.get(credit_code=data["credit_code"])
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:detail", args=[created.pk])
    assert created.created_by == populated["users"]["city"]


def test_bad_credit_code_is_shown_next_to_the_field_and_nothing_is_saved(
    client, populated, yongkang
):
    client.force_login(populated["users"]["city"])
    before = Company.objects.count()
    data = _company_post(region=yongkang.pk, credit_code="91330700ABCDEFGH1X")
    response = client.post(reverse("companies:create"), data)
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    html = response.content.decode()
    field_block = html.split('for="id_credit_code"')[1].split('<div class="field')[0]
    assert "errorlist" in field_block
    assert Company.objects.count() == before


def test_county_cannot_create_in_another_region(client, populated, yiwu):
    client.force_login(populated["users"]["county"])
    before = Company.objects.count()
    response = client.post(reverse("companies:create"), _company_post(region=yiwu.pk))
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert Company.objects.count() == before


def test_stale_version_shows_a_conflict_and_changes_nothing(client, populated):
    client.force_login(populated["users"]["city"])
    own = populated["own"]
    stale_version = own.version
    # Someone else saves first.
    first = client.post(
        reverse("companies:update", args=[own.pk]), _company_post(own, address="先到的地址")
    )
    assert first.status_code == 302
    response = client.post(
        english(reverse("companies:update", args=[own.pk])),
        _company_post(own, address="过时的地址", version=stale_version),
    )
    assert response.status_code == 200
    assert "changed by someone else" in str(response.context["form"].non_field_errors())
    own.refresh_from_db()
    assert own.address == "先到的地址"
    assert own.version == stale_version + 1


# --- annual data -------------------------------------------------------------------------


def _annual_post(**overrides):
    data = {
        "year": "2020",
        "main_revenue": "25000",
        "added_value": "6000",
        "tax_paid": "900",
        "avg_employees": "210",
        "version": "",
    }
    data.update(overrides)
    return data


def test_annual_list_by_year_and_region(client, populated, yongkang):
    client.force_login(populated["users"]["city"])
    response = client.get(reverse("companies:annual_list"), {"year": 2018})
    assert response.status_code == 200
    assert {row.year for row in response.context["object_list"]} == {2018}
    response = client.get(reverse("companies:annual_list"), {"region": yongkang.pk})
    assert {row.company.region_id for row in response.context["object_list"]} == {yongkang.pk}


def test_add_annual_data_from_the_company_page(client, populated):
    client.force_login(populated["users"]["county"])
    own = populated["own"]
    response = client.post(reverse("companies:annual_create_for", args=[own.pk]), _annual_post())
    assert response.status_code == 302
    row = AnnualData.objects.get(company=own, year=2020)
    assert row.tax_paid == 900 and row.emissions is None  # empty stays undefined


def test_add_annual_data_by_credit_code(client, populated):
    client.force_login(populated["users"]["county"])
    response = client.post(
        reverse("companies:annual_create"),
        _annual_post(company_code=populated["other"].credit_code),
    )
    # Another region's company is not one the county official may edit.
    assert response.status_code == 200
    assert "company_code" in response.context["form"].errors
    assert not AnnualData.objects.filter(year=2020).exists()

    response = client.post(
        reverse("companies:annual_create"),
        _annual_post(company_code=populated["own"].credit_code.lower()),
    )
    assert response.status_code == 302
    assert AnnualData.objects.filter(company=populated["own"], year=2020).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tax_paid": "-5"}, "tax_paid"),
        ({"year": "1999"}, "year"),
        ({"avg_employees": "many"}, "avg_employees"),
    ],
)
def test_bad_annual_figures_are_refused(client, populated, overrides, field):
    client.force_login(populated["users"]["city"])
    before = AnnualData.objects.count()
    response = client.post(
        reverse("companies:annual_create_for", args=[populated["own"].pk]),
        _annual_post(**overrides),
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert AnnualData.objects.count() == before


def test_duplicate_year_is_refused(client, populated):
    client.force_login(populated["users"]["city"])
    before = AnnualData.objects.count()
    response = client.post(
        reverse("companies:annual_create_for", args=[populated["own"].pk]),
        _annual_post(year="2019"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert AnnualData.objects.count() == before


def test_edit_annual_data_and_stale_conflict(client, populated):
    client.force_login(populated["users"]["city"])
    row = AnnualData.objects.get(company=populated["own"], year=2019)
    url = reverse("companies:annual_update", args=[row.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _annual_post(year="2019", tax_paid="777", version=row.version))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.tax_paid == 777
    response = client.post(url, _annual_post(year="2019", tax_paid="1", version=row.version - 1))
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.tax_paid == 777


def test_county_cannot_edit_another_regions_annual_data(client, populated):
    client.force_login(populated["users"]["county"])
    row = AnnualData.objects.get(company=populated["other"], year=2019)
    response = client.get(reverse("companies:annual_update", args=[row.pk]))
    assert response.status_code == 403 and populated["other"].name not in response.content.decode()


# --- batches ------------------------------------------------------------------------------


def test_batch_pages(client, populated):
    client.force_login(populated["users"]["county"])
    response = client.get(reverse("companies:batch_list"))
    assert response.status_code == 200
    batch = response.context["object_list"][0]
    assert batch.company_count == 1  # only the county's own company counts
    detail = client.get(reverse("companies:batch_detail", args=[populated["batch"].pk]))
    html = detail.content.decode()
    assert populated["own"].name in html and populated["other"].name not in html
    assert client.get(reverse("companies:batch_detail", args=[9999])).status_code == 404


def test_annual_data_factory_rows_render_in_list(client, populated):
    AnnualDataFactory(company=populated["own"], year=2017, main_revenue=None)
    client.force_login(populated["users"]["city"])
    response = client.get(reverse("companies:annual_list"), {"year": 2017})
    assert "–" in response.content.decode()  # not reported shows as a dash, not 0


# --- batches, designations, certifications, maturity ---------------------------------------


def test_only_city_wide_staff_announce_batches(client, populated):
    from companies.models import DemonstrationBatch

    data = {
        "number": "9",
        "year": "2020",
        "level": "city",
        "document_no": "金经信技术〔2020〕101号",
        "title": "第九批示范企业",
        "version": "",
    }
    client.force_login(populated["users"]["county"])
    assert client.get(reverse("companies:batch_create")).status_code == 404
    assert client.post(reverse("companies:batch_create"), data).status_code == 404
    client.force_login(populated["users"]["city"])
    assert client.post(reverse("companies:batch_create"), data).status_code == 302
    batch = DemonstrationBatch.objects.get(number=9)
    duplicate = client.post(reverse("companies:batch_create"), {**data, "title": "重复"})
    assert "number" in duplicate.context["form"].errors
    assert DemonstrationBatch.objects.filter(number=9).count() == 1
    stale = client.post(
        reverse("companies:batch_update", args=[batch.pk]),
        {**data, "title": "改", "version": batch.version + 1},
    )
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()


def test_designate_a_company_in_a_batch(client, populated):
    from companies.models import Designation

    batch = populated["batch"]
    url = reverse("companies:designation_create", args=[batch.pk])
    client.force_login(populated["users"]["county"])
    response = client.post(url, {"company_code": populated["other"].credit_code, "active": "on"})
    assert "company_code" in response.context["form"].errors  # another region
    response = client.post(url, {"company_code": populated["own"].credit_code, "active": "on"})
    # Already designated in this batch by the fixture: refused, nothing added.
    assert response.status_code == 200 and response.context["form"].errors
    assert Designation.objects.filter(batch=batch).count() == 2


def test_add_certification_and_maturity_from_the_company_page(client, populated):
    own = populated["own"]
    client.force_login(populated["users"]["county"])
    response = client.post(
        reverse("companies:certification_create", args=[own.pk]),
        {
            "standard": "GB/T 23001-2017",
            "level": "AAA",
            "certificate_no": "IMS-NEW-1",
            "issued_on": "2020-03-01",
            "status": "certified",
        },
    )
    assert response.status_code == 302
    certificate = own.certifications.get(certificate_no="IMS-NEW-1")
    assert certificate.expires_on.isoformat() == "2023-03-01"  # issue + 3 years
    bad = client.post(
        reverse("companies:certification_create", args=[own.pk]),
        {"standard": "GB/T 23001-2017", "certificate_no": "IMS-NEW-2", "status": "certified"},
    )
    assert "issued_on" in bad.context["form"].errors
    assert not own.certifications.filter(certificate_no="IMS-NEW-2").exists()
    # A grade before the graded scheme (2020) is refused on the page, naming the field.
    early = client.post(
        reverse("companies:certification_create", args=[own.pk]),
        {
            "standard": "GB/T 23001-2017",
            "level": "AA",
            "certificate_no": "IMS-NEW-3",
            "issued_on": "2019-03-01",
            "status": "certified",
        },
    )
    assert "level" in early.context["form"].errors
    assert not own.certifications.filter(certificate_no="IMS-NEW-3").exists()

    response = client.post(
        reverse("companies:maturity_create", args=[own.pk]),
        {"level": "4", "kind": "self", "assessed_on": "2020-05-01", "assessor": ""},
    )
    assert response.status_code == 302
    assert own.maturity_assessments.get(level=4).kind == "self"
    other = populated["other"]
    assert client.get(reverse("companies:maturity_create", args=[other.pk])).status_code == 404


def test_every_bad_field_is_reported_at_once(client, populated):
    """A model-level problem (the credit code's check digit) shows together with a missing
    required field, not only after the first is fixed."""
    client.force_login(populated["users"]["city"])
    response = client.post(
        reverse("companies:create"),
        _company_post(credit_code="91330700ABCDEFGH1X", name="", region=""),
    )
    errors = response.context["form"].errors
    assert {"credit_code", "name", "region"} <= set(errors)
