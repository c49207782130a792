"""The company portal: a company user's own status, and nothing else reachable."""

import re

import pytest
from django.urls import reverse

from tests.web.helpers import english

pytestmark = pytest.mark.django_db


def test_company_user_lands_on_its_portal(client, populated):
    client.force_login(populated["users"]["company"])
    response = client.get(english(reverse("portal")))
    assert response.status_code == 200
    html = response.content.decode()
    own = populated["own"]
    assert own.name in html
    assert populated["other"].name not in html
    # Grade, rank out of N and the gap to the next grade.
    assert re.search(r'class="grade grade-[ABCD] grade-big"', html)
    assert re.search(r"\d+ of 8", html)  # eight rated companies in the city
    assert "points needed" in html
    # The certificate that expires within 90 days is flagged.
    assert "expires within 90 days" in html
    assert populated["own_project"].name in html


def test_portal_shows_the_lagging_indicator(client, populated):
    """The own company pays less tax per mu than the baseline: that is what lags."""
    client.force_login(populated["users"]["company"])
    html = client.get(english(reverse("portal"))).content.decode()
    section = html.split('id="next-grade"')[1].split("</section>")[0]
    assert "tax per mu" in section


@pytest.mark.parametrize("role", ["admin", "city", "county", "norole"])
def test_portal_is_404_for_everyone_else(client, populated, role):
    client.force_login(populated["users"][role])
    assert client.get(reverse("portal")).status_code == 404


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("portal"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_company_user_reaches_no_staff_page(client, populated):
    client.force_login(populated["users"]["company"])
    own, other = populated["own"], populated["other"]
    urls = [
        reverse("dashboard"),
        reverse("companies:list"),
        reverse("companies:list") + "?export=csv",
        reverse("companies:detail", args=[own.pk]),
        reverse("companies:detail", args=[other.pk]),
        reverse("companies:update", args=[own.pk]),
        reverse("companies:create"),
        reverse("companies:batch_list"),
        reverse("companies:batch_detail", args=[populated["batch"].pk]),
        reverse("companies:annual_list"),
        reverse("companies:annual_create"),
        reverse("projects:list"),
        reverse("projects:detail", args=[populated["own_project"].pk]),
        reverse("projects:detail", args=[populated["other_project"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("projects:transition", args=[populated["own_project"].pk]),
        {"to_status": "acceptance_requested"},
    )
    assert response.status_code == 404
    populated["own_project"].refresh_from_db()
    assert populated["own_project"].status == "in_progress"


def test_portal_of_a_company_that_is_not_ranked_yet(client, world):
    client.force_login(world["users"]["company"])
    response = client.get(english(reverse("portal")))
    assert response.status_code == 200
    assert response.context["score"] is None
    assert "has not been ranked yet" in response.content.decode()


def test_the_portal_explains_every_figure_in_plain_words(client, populated):
    """Issue 13 item 4: a glossary with every indicator, no bare E/S letters, no bare
    "mean" badge."""
    from rankings.indicators import INDICATORS
    from tracker.views.glossary import INDICATOR_MEANINGS

    client.force_login(populated["users"]["company"])
    html = client.get(reverse("portal")).content.decode()
    glossary = html.split('id="glossary"')[1].split("</section>")[0]
    for indicator in INDICATORS:
        assert str(INDICATOR_MEANINGS[indicator.key]) in glossary
        assert f'id="term-{indicator.key}"' in glossary
    for term in ("亩均效益得分", "智能制造得分", "综合评价等级", "基准值", "权重"):
        assert term in glossary
    grade = html.split('id="grade"')[1].split("</section>")[0]
    assert "亩均效益得分" in grade and "智能制造得分" in grade
    assert not re.search(r"[>\s]E \d", html) and not re.search(r"[>\s]S \d", html)
    assert ">平均<" not in html


def test_the_portal_lists_the_companys_own_yearly_figures(client, populated):
    client.force_login(populated["users"]["company"])
    html = client.get(reverse("portal")).content.decode()
    table = html.split('id="annual"')[1].split("</section>")[0]
    years = re.findall(r'<th scope="row">(\d{4})</th>', table)
    assert years == ["2019", "2018"]
    assert "万元" in table


def test_the_portal_shows_no_other_companys_figures(client, populated):
    other = populated["other"].annual_data.get(year=2019)
    other.tax_paid = 987654
    other.save()
    client.force_login(populated["users"]["company"])
    html = client.get(reverse("portal")).content.decode()
    assert "987,654" not in html
