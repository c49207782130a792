"""The dry run: every kind of bad input gives a row/column message and saves nothing."""

import pytest

from companies.models import AnnualData, Company
from projects.models import KeyProject
from tests.factories import CompanyFactory, make_credit_code
from tests.imports.conftest import checked, csv_bytes, problems, xlsx_bytes
from tracker.imports.services import ImportNotAllowed, import_apply
from tracker.models import ImportStatus

COMPANY_HEADER = ["统一社会信用代码", "企业名称", "行政区", "行业", "用地面积(亩)", "成立日期"]
ANNUAL_HEADER = [
    "统一社会信用代码",
    "年度",
    "主营业务收入(万元)",
    "实缴税金(万元)",
    "年平均职工人数",
]
PROJECT_HEADER = ["统一社会信用代码", "项目名称", "项目类型", "计划开工", "计划完工"]


@pytest.fixture
def city(world):
    return world["users"]["city"]


def _counts():
    return Company.objects.count(), AnnualData.objects.count(), KeyProject.objects.count()


def test_good_company_file_checks_clean_and_saves_nothing(city):
    before = _counts()
    job = checked(
        "companies",
        csv_bytes(
            [COMPANY_HEADER, [make_credit_code(), "新企业", "永康市", "34", "12.5", "2010-01-01"]]
        ),
        city,
    )
    assert job.status == ImportStatus.CHECKED
    assert job.errors == []
    assert (job.total_rows, job.processed_rows) == (1, 1)
    assert "1 of 1" in job.message
    assert _counts() == before


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        (["91330700MA28ABCD1Y", "甲", "永康市", "34", "", ""], "统一社会信用代码", "check digit"),
        (["12345", "甲", "永康市", "34", "", ""], "统一社会信用代码", "18 characters"),
        ([None, "甲", "永康市", "34", "", ""], "统一社会信用代码", "required"),
        ([None, "x" * 201, "永康市", "34", "", ""], "企业名称", "at most 200"),
        ([None, "甲", "火星区", "34", "", ""], "行政区", "Unknown region"),
        ([None, "甲", "永康市", "99", "", ""], "行业", "Unknown industry"),
        ([None, "甲", "永康市", "34", "abc", ""], "用地面积(亩)", "Enter a number"),
        ([None, "甲", "永康市", "34", "-3", ""], "用地面积(亩)", "greater than or equal to 0"),
        ([None, "甲", "永康市", "34", "1e30", ""], "用地面积(亩)", "too large"),
        ([None, "甲", "永康市", "34", "1.234", ""], "用地面积(亩)", "decimal places"),
        ([None, "甲", "永康市", "34", "NaN", ""], "用地面积(亩)", "finite"),
        ([None, "甲", "永康市", "34", "", "2019-13-45"], "成立日期", "Enter a date"),
        ([None, "甲", "永康市", "34", "=SUM(1,2)", ""], "用地面积(亩)", "Formulas"),
    ],
    ids=[
        "check-digit",
        "short-code",
        "missing-code",
        "long-name",
        "region",
        "industry",
        "text-number",
        "negative",
        "huge",
        "decimals",
        "nan",
        "date",
        "formula",
    ],
)
def test_bad_company_cells_are_named_by_row_and_column(city, cells, column, words):
    cells = [
        make_credit_code() if c is None and i == 0 and "required" not in words else c
        for i, c in enumerate(cells)
    ]
    good = [make_credit_code(), "好企业", "永康市", "34", "10", "2010-01-01"]
    before = _counts()
    job = checked("companies", csv_bytes([COMPANY_HEADER, good, cells]), city)
    assert (3, column) in problems(job), job.errors
    assert any(words in e["message"] for e in job.errors), job.errors
    assert all(e["row"] == 3 for e in job.errors)
    assert "1 of 2" in job.message
    assert _counts() == before
    with pytest.raises(ImportNotAllowed):
        import_apply(job=job, user=city)
    assert _counts() == before


def test_annual_data_bad_cells(world, city):
    code = world["own"].credit_code
    job = checked(
        "annual_data",
        csv_bytes(
            [
                ANNUAL_HEADER,
                [code, "2019", "100", "-5", "10"],
                [code, "1999", "100", "5", "10"],
                [code, "2020", "100", "5", "3.5"],
                [code, "2021", "100", "5", "99999999999"],
                [make_credit_code(), "2019", "1", "1", "1"],
                [code, "2019", "1", "1", "1"],
            ]
        ),
        city,
    )
    found = problems(job)
    assert (2, "实缴税金(万元)") in found
    assert (3, "年度") in found
    assert (4, "年平均职工人数") in found
    assert (5, "年平均职工人数") in found
    assert (6, "统一社会信用代码") in found  # no such company
    duplicate = [e for e in job.errors if e["row"] == 7]
    assert duplicate and "row 2" in duplicate[0]["message"]
    assert AnnualData.objects.count() == 0


def test_project_bad_cells(world, city):
    code = world["own"].credit_code
    job = checked(
        "projects",
        csv_bytes(
            [
                PROJECT_HEADER,
                [code, "车间甲", "火箭工厂", "2019-01-01", "2019-12-31"],
                [code, "车间乙", "数字化车间", "2020-01-01", "2019-12-31"],
                [code, "车间丙", "Digital workshop", "2020-01-01", "2020-12-31"],
            ]
        ),
        city,
    )
    assert problems(job) == {(2, "项目类型"), (3, "计划完工")}
    # The allowed labels are listed, in each reader's language.
    assert "Digital workshop" in job.errors[0]["message"]
    assert "数字化车间" in job.errors[0]["messages"]["zh-hans"]
    assert KeyProject.objects.count() == 0


def test_missing_required_and_unknown_columns_are_reported_on_the_header_row(city):
    job = checked(
        "annual_data", csv_bytes([["信用代码", "收入", "年度", "年度"], ["x", "1", "2"]]), city
    )
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert (1, "收入") in messages and "Unknown column" in messages[(1, "收入")]
    assert (1, "年度") in messages and "more than once" in messages[(1, "年度")]
    job = checked("annual_data", csv_bytes([["年度"], ["2019"]]), city)
    assert job.errors[0]["column"] == "Unified social credit code"  # checked in English
    assert job.errors[0]["columns"]["zh-hans"] == "统一社会信用代码"
    assert "missing" in job.errors[0]["message"]


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "empty.csv", "empty"),
        (b"\x81\x30\xff\xff,1\n", "bad.csv", "neither UTF-8 nor GBK"),
    ],
)
def test_unreadable_file_gives_one_file_level_problem(city, data, name, words):
    job = checked("companies", data, city, name=name)
    assert len(job.errors) == 1
    assert job.errors[0]["row"] is None
    assert words in job.errors[0]["message"]
    with pytest.raises(ImportNotAllowed):
        import_apply(job=job, user=city)


def test_xlsx_formula_and_wrong_types(world, city):
    code = world["own"].credit_code
    data = xlsx_bytes(
        [
            ANNUAL_HEADER + ["安全环保事故"],
            [code, 2019, "=B2*2", 5, 10, "否"],
            [code, 2020, 100, 5, 10, "也许"],
            [code, 2021, 100.123456, 5, 10.5, True],
        ]
    )
    job = checked("annual_data", data, city, name="a.xlsx")
    assert problems(job) == {
        (2, "主营业务收入(万元)"),
        (3, "安全环保事故"),
        (4, "主营业务收入(万元)"),
        (4, "年平均职工人数"),
    }


def test_english_headers_and_labels_are_accepted(world, city):
    job = checked(
        "projects",
        csv_bytes(
            [
                ["Unified social credit code", "Project name", "Kind", "Level", "Planned start"],
                [world["own"].credit_code, "Line 1", "IoT factory", "province", "2019/03/01"],
            ]
        ),
        city,
    )
    assert job.errors == []


def test_check_of_unchanged_existing_rows_is_clean(world, city):
    own = world["own"]
    job = checked(
        "companies",
        csv_bytes(
            [
                COMPANY_HEADER,
                [own.credit_code.lower(), own.name, own.region.code, own.industry.code, "50", ""],
            ]
        ),
        city,
    )
    assert job.errors == []


def test_other_regions_company_record_is_out_of_a_county_users_scope(world):
    county = world["users"]["county"]
    other = world["other"]
    job = checked(
        "annual_data",
        csv_bytes([ANNUAL_HEADER, [other.credit_code, "2019", "1", "1", "1"]]),
        county,
    )
    assert problems(job) == {(2, "统一社会信用代码")}
    assert "your region" in job.errors[0]["message"]
    job = checked(
        "companies",
        csv_bytes([COMPANY_HEADER, [make_credit_code(), "外区企业", "义乌市", "34", "", ""]]),
        county,
    )
    assert problems(job) == {(2, "行政区")}
    job = checked(
        "companies",
        csv_bytes([COMPANY_HEADER, [world["own"].credit_code, "改名", "义乌市", "34", "", ""]]),
        county,
    )
    assert problems(job) == {(2, "行政区")}
    assert CompanyFactory._meta.model.objects.get(pk=world["own"].pk).region.code == "330784"
