"""An import never wipes: an empty cell keeps the stored value, `-` empties it; the dry run
previews, per row, create / update / unchanged with every field old → new and exact totals."""

from decimal import Decimal

from django.forms.models import model_to_dict

from companies.models import AnnualData
from tests.factories import AnnualDataFactory, KeyProjectFactory, make_credit_code
from tests.imports.conftest import checked, csv_bytes, imported, problems
from tracker.imports import preview as preview_module
from tracker.imports.columns import ANNUAL_COLUMNS
from tracker.imports.services import import_apply
from tracker.models import ImportStatus

FULL_HEADER = [column.zh for column in ANNUAL_COLUMNS]


def _row(code, year, **cells):
    """A row of the full annual-data template with only `cells` (by field name) filled."""
    return [
        {"credit_code": code, "year": year}.get(c.field, cells.get(c.field, ""))
        for c in ANNUAL_COLUMNS
    ]


def test_a_row_with_only_tax_filled_leaves_the_other_13_figures_as_they_were(world):
    """The reproduction of issue 10: the template with only 实缴税金 filled cleared 13 figures."""
    own = world["own"]
    data = AnnualDataFactory(company=own, year=2019, major_incident=False)
    before = model_to_dict(data)
    job = imported(
        "annual_data",
        csv_bytes([FULL_HEADER, _row(own.credit_code, 2019, tax_paid="950")]),
        world["users"]["city"],
    )
    assert job.status == ImportStatus.DONE, job.message
    data.refresh_from_db()
    after = model_to_dict(data)
    assert after.pop("tax_paid") == Decimal("950.00") and before.pop("tax_paid") == 800
    assert {k: v for k, v in after.items() if v != before[k]} == {}
    assert before["main_revenue"] == 20000 and before["robots_added"] == 2  # really filled
    assert data.version == 2


def test_the_marker_dash_empties_a_figure_and_an_empty_required_cell_stays_a_problem(world):
    own = world["own"]
    data = AnnualDataFactory(company=own, year=2019)
    job = imported(
        "annual_data",
        csv_bytes([FULL_HEADER, _row(own.credit_code, 2019, rd_expense="-", emissions=" - ")]),
        world["users"]["city"],
    )
    assert job.status == ImportStatus.DONE, job.message
    data.refresh_from_db()
    assert data.rd_expense is None and data.emissions is None
    assert data.main_revenue == Decimal("20000.00")
    # A yes/no field cannot be empty: "-" is a problem there, named with the row.
    job = checked(
        "annual_data",
        csv_bytes([FULL_HEADER, _row(own.credit_code, 2019, major_incident="-")]),
        world["users"]["city"],
    )
    assert problems(job) == {(2, "安全环保事故")}
    assert "cannot be emptied" in job.errors[0]["message"]


def test_company_and_project_imports_never_wipe_either(world):
    city, own = world["users"]["city"], world["own"]
    own.address = "永康市某路 1 号"
    own.land_area_mu = Decimal("12.5")
    own.save()
    job = imported(
        "companies",
        csv_bytes(
            [
                ["统一社会信用代码", "企业名称", "行政区", "行业", "地址", "用地面积(亩)"],
                [own.credit_code, "新名字", "330784", "34", "", "-"],
            ]
        ),
        city,
    )
    assert job.status == ImportStatus.DONE, job.message
    own.refresh_from_db()
    assert own.name == "新名字" and own.address == "永康市某路 1 号" and own.land_area_mu is None
    project = KeyProjectFactory(company=own, name="车间", planned_investment=10, robots_planned=4)
    job = imported(
        "projects",
        csv_bytes(
            [
                ["统一社会信用代码", "项目名称", "项目类型", "计划投资(万元)", "计划机器人数"],
                [own.credit_code, "车间", "数字化车间", "", "-"],
            ]
        ),
        city,
    )
    assert job.status == ImportStatus.DONE, job.message
    project.refresh_from_db()
    assert project.planned_investment == Decimal("10.00") and project.robots_planned is None


def test_the_preview_lists_create_update_unchanged_with_old_and_new_and_totals(world):
    city, own, other = world["users"]["city"], world["own"], world["other"]
    AnnualDataFactory(company=own, year=2019)
    AnnualDataFactory(company=own, year=2018)
    job = checked(
        "annual_data",
        csv_bytes(
            [
                FULL_HEADER,
                _row(own.credit_code, 2019, tax_paid="950", rd_expense="-", main_revenue="20000"),
                _row(own.credit_code, 2018, tax_paid="800"),  # what it already holds
                _row(other.credit_code, 2019, main_revenue="123.4"),
                _row(make_credit_code(), 2019, tax_paid="1"),  # no such company
            ]
        ),
        city,
    )
    assert job.preview["totals"] == {
        "create": 1,
        "update": 1,
        "unchanged": 1,
        "problems": 1,
        "warnings": 0,
    }
    rows = {r["row"]: r for r in job.preview["rows"]}
    assert [rows[n]["action"] for n in (2, 3, 4)] == ["update", "unchanged", "create"]
    assert 5 not in rows  # the row with a problem is listed among the problems
    assert rows[2]["changes"] == [
        {"column": "Tax paid", "old": "800.00", "new": "950.00", "cleared": False},
        {"column": "R&D expense", "old": "600.00", "new": None, "cleared": True},
    ]
    assert rows[3]["changes"] == []
    assert rows[4]["changes"] == [  # a new record: the values it gets
        {"column": "Year", "old": None, "new": "2019", "cleared": False},
        {"column": "Main business revenue", "old": None, "new": "123.40", "cleared": False},
    ]
    assert AnnualData.objects.filter(company=other).count() == 0  # a dry run writes nothing

    # The import writes the new and the changed row, not the unchanged one.
    fixed = checked(
        "annual_data",
        csv_bytes(
            [
                FULL_HEADER,
                _row(own.credit_code, 2019, tax_paid="950"),
                _row(own.credit_code, 2018, tax_paid="800"),
                _row(other.credit_code, 2019, main_revenue="123.4"),
            ]
        ),
        city,
    )
    job = import_apply(job=fixed, user=city)
    assert "1 new, 1 updated" in job.message
    versions = dict(AnnualData.objects.filter(company=own).values_list("year", "version"))
    assert versions == {2019: 2, 2018: 1}


def test_the_preview_keeps_the_first_rows_and_exact_totals(world, monkeypatch):
    monkeypatch.setattr(preview_module, "PREVIEW_ROWS", 3)
    own = world["own"]
    rows = [
        _row(own.credit_code, year, tax_paid="1", main_revenue="100") for year in range(2010, 2020)
    ]
    job = checked("annual_data", csv_bytes([FULL_HEADER, *rows]), world["users"]["city"])
    assert job.preview["totals"]["create"] == 10 and job.preview["rows_total"] == 10
    assert [r["row"] for r in job.preview["rows"]] == [2, 3, 4]


def test_the_dry_run_names_every_problem_of_a_row_at_once(world):
    """New-user pass: a row with year 2040 and tax "abc" showed only "abc"; the year's
    problem appeared once that was fixed. Both are named in one pass, and nothing else."""
    own = world["own"]
    job = checked(
        "annual_data",
        csv_bytes([FULL_HEADER, _row(own.credit_code, 2040, tax_paid="abc", main_revenue="100")]),
        world["users"]["city"],
    )
    assert len(problems(job)) == 2 and {row for row, _column in problems(job)} == {2}
    assert job.preview["totals"]["create"] == 0
