"""The template workbooks: headers in the user's language, an example row that imports, a
notes sheet per column, dropdowns on coded columns, codes formatted as text."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from companies.models import AnnualData, Company
from projects.models import KeyProject
from tests.factories import BatchFactory
from tests.imports.conftest import imported
from tracker.imports.columns import COLUMNS
from tracker.imports.templates import _EXAMPLE_CODE_BODY, template_workbook

pytestmark = pytest.mark.django_db

KINDS = ["companies", "annual_data", "projects"]


def open_template(kind, language="zh-hans"):
    with translation.override(language):
        return load_workbook(io.BytesIO(template_workbook(kind)))


def example_as_upload(workbook) -> bytes:
    """The example sheet's two rows as a file of their own, as a user would fill it in."""
    rows = list(workbook.worksheets[1].iter_rows(values_only=True))
    upload = Workbook()
    for row in rows:
        upload.active.append(list(row))
    buffer = io.BytesIO()
    upload.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("language", "names"), [("zh-hans", "数据"), ("en", "Data")])
def test_sheets_are_named_in_the_users_language_and_the_data_sheet_is_empty(
    world, kind, language, names
):
    workbook = open_template(kind, language)
    data, example, notes, lists = workbook.worksheets
    assert data.title == names
    assert lists.sheet_state == "hidden"
    assert data.max_row == 1  # only the header: an untouched template imports nothing
    assert data.freeze_panes == "A2"
    headers = [cell.value for cell in data[1]]
    attr = "en" if language == "en" else "zh"
    assert headers == [getattr(column, attr) for column in COLUMNS[kind]]
    assert [cell.value for cell in example[1]] == headers
    assert example.max_row == 2 and all(cell.value not in (None, "") for cell in example[2][:2])


@pytest.mark.parametrize("kind", KINDS)
def test_notes_sheet_describes_every_column_with_its_example(world, kind):
    workbook = open_template(kind, "en")
    notes = workbook.worksheets[2]
    header = [cell.value for cell in notes[1]]
    assert header == ["Column", "Also accepted", "Required", "Format", "Values", "Example"]
    described = {row[0]: row for row in notes.iter_rows(min_row=2, values_only=True) if row[0]}
    for column in COLUMNS[kind]:
        row = described[column.en]
        assert row[3], f"{column.en} has no format note"
        assert (row[2] == "yes") == column.required
    text = " ".join(str(c) for row in notes.iter_rows(values_only=True) for c in row if c)
    # Keys named as the user reads the headers, not by field name.
    assert "Unified social credit code" in text and "credit_code" not in text


def test_coded_columns_have_dropdowns_of_values_the_importer_accepts(world):
    BatchFactory(number=3)
    workbook = open_template("projects", "zh-hans")
    data, lists = workbook.worksheets[0], workbook.worksheets[3]
    by_header = {cell.value: cell.column_letter for cell in data[1]}
    validations = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v
        for v in data.data_validations.dataValidation
    }
    for header in ("项目类型", "项目级别", "示范批次", "两化融合达标"):
        assert by_header[header] in validations, header
        validation = validations[by_header[header]]
        assert validation.type == "list" and validation.formula1.startswith("'lists'!")
    kinds = [row[0] for row in lists.iter_rows(values_only=True, min_col=3, max_col=3) if row[0]]
    assert "两化融合达标" not in kinds and len(kinds) >= 3
    meets = by_header["两化融合达标"]
    column = lists[meets]
    assert [cell.value for cell in column if cell.value] == ["是", "否"]


def test_company_dropdowns_list_regions_and_industries(world):
    workbook = open_template("companies", "en")
    data, lists = workbook.worksheets[0], workbook.worksheets[3]
    letters = {cell.value: cell.column_letter for cell in data[1]}
    regions = [cell.value for cell in lists[letters["Region"]] if cell.value]
    assert "Yongkang" in regions
    assert len([c for c in lists[letters["Industry"]] if c.value]) >= 30
    assert [c.value for c in lists[letters["Rated"]] if c.value] == ["Yes", "No"]
    # Credit codes and phone numbers are text, not numbers.
    assert data.column_dimensions[letters["Unified social credit code"]].number_format == "@"
    assert data.column_dimensions[letters["Contact phone"]].number_format == "@"


def test_the_example_rows_import_as_they_stand(world):
    user = world["users"]["city"]
    BatchFactory(number=1)
    for kind in KINDS:
        imported(kind, example_as_upload(open_template(kind)), user, name=f"{kind}.xlsx")
    company = Company.objects.get(credit_code__startswith=_EXAMPLE_CODE_BODY)
    assert AnnualData.objects.filter(company=company).count() == 1
    assert KeyProject.objects.filter(company=company).count() == 1
