"""An import through chromium: upload, the preview of what it changes, apply, undo."""

import csv
import io
import re
from decimal import Decimal

import pytest

from companies.models import AnnualData
from core.roles import Role
from tests.browser.conftest import login
from tests.factories import AnnualDataFactory, CompanyFactory, make_user, region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("gbk")  # as Chinese Excel saves it


def test_import_upload_preview_apply_undo(page):
    own = CompanyFactory(region=region("330784"), name="永康撤销企业")
    data = AnnualDataFactory(company=own, year=2019)
    make_user(Role.COUNTY, region=region("330784"), username="b-undo")
    login(page, "b-undo")

    page.goto(page.base_url + "/en/imports/")
    page.select_option("#id_kind", value="annual_data")
    header = ["统一社会信用代码", "年度", "主营业务收入(万元)", "实缴税金(万元)", "R&D经费(万元)"]
    rows = [
        header,
        [own.credit_code, "2019", "", "950", "-"],  # tax changed, R&D emptied, revenue kept
        [own.credit_code, "2020", "100", "5", ""],
    ]
    page.set_input_files(
        "#id_file", {"name": "annual.csv", "mimeType": "text/csv", "buffer": _csv(rows)}
    )
    page.click("form.card [type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))

    # The preview: totals, then each row's action and its fields old -> new.
    totals = page.locator("#preview-totals").inner_text()
    assert "1 to create" in totals and "1 to update" in totals and "0 with problems" in totals
    update = page.locator('#import-preview tr[data-action="update"]')
    assert update.locator("td").first.inner_text().strip() == "2"
    changes = update.locator("td").last.inner_text()
    assert "Tax paid: 800.00 → 950.00" in changes
    assert "R&D expense: 600.00 → —" in changes and "emptied" in changes
    assert "Main business revenue" not in changes  # an empty cell is no change
    assert page.locator('#import-preview tr[data-action="create"]').count() == 1
    assert not AnnualData.objects.filter(year=2020).exists()  # the check wrote nothing

    page.click("#confirm-import")
    page.wait_for_selector("#undo-import")
    data.refresh_from_db()
    assert (data.tax_paid, data.rd_expense, data.main_revenue) == (
        Decimal("950.00"),
        None,
        Decimal("20000.00"),
    )
    assert AnnualData.objects.filter(company=own, year=2020).exists()

    page.click("#undo-import")
    page.wait_for_selector("#import-undone")
    assert "b-undo" in page.locator("#import-undone").inner_text()
    assert page.locator("#undo-import").count() == 0
    data.refresh_from_db()
    assert (data.tax_paid, data.rd_expense, data.version) == (Decimal("800.00"), 600, 3)
    assert not AnnualData.objects.filter(company=own, year=2020).exists()
