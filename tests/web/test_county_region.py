"""Issue 13 item 3: county staff see their region's name wherever figures are cut to it."""

import pytest
from django.urls import reverse

from tests.web.helpers import english

pytestmark = pytest.mark.django_db


def test_the_header_and_the_dashboard_title_name_the_county(client, populated):
    client.force_login(populated["users"]["county"])
    html = client.get(reverse("dashboard")).content.decode()
    assert '<span class="who-region">永康市</span>' in html
    heading = html.split("<h1>")[1].split("</h1>")[0]
    assert "永康市" in heading
    assert "永康市" in html.split("<title>")[1].split("</title>")[0]


def test_city_staff_see_no_region_name_in_the_header(client, populated):
    client.force_login(populated["users"]["city"])
    html = client.get(reverse("dashboard")).content.decode()
    assert "who-region" not in html
    assert "永康市" not in html.split("<h1>")[1].split("</h1>")[0]


def test_the_region_name_follows_the_language(client, populated):
    region = populated["own"].region
    region.name_en = "Yongkang"
    region.save()
    client.force_login(populated["users"]["county"])
    html = client.get(english(reverse("dashboard"))).content.decode()
    assert '<span class="who-region">Yongkang</span>' in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_county_export_is_named_after_the_region(client, populated, fmt):
    client.force_login(populated["users"]["county"])
    response = client.get(reverse("companies:list"), {"export": fmt})
    disposition = response["Content-Disposition"]
    # RFC 5987: the non-ASCII name travels percent-encoded in filename*.
    assert "filename*=utf-8''companies-%E6%B0%B8%E5%BA%B7%E5%B8%82-" in disposition
    assert disposition.endswith(f".{fmt}")


def test_a_city_export_name_has_no_region(client, populated):
    client.force_login(populated["users"]["city"])
    response = client.get(reverse("companies:list"), {"export": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="companies-2')
