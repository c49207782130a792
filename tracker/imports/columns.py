"""The columns of each import kind: the template's headers, the aliases a header may use
instead (Chinese and English), and how a cell is read.

Keys (what makes a row update an existing record instead of adding one):
companies by credit code; annual data by (credit code, year); key projects by
(credit code, project name). A project's status is not imported: new projects start as
declared and move only through their lifecycle (projects.services.project_transition).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from companies.models.annual import MAX_YEAR, MIN_YEAR
from projects.choices import ProjectKind, ProjectLevel
from tracker.models import ImportKind


@dataclass(frozen=True)
class Column:
    field: str
    zh: str
    en: str
    # How the cell is read: text, credit_code, int, year, decimal, date, bool, choice,
    # region, industry, key_industry, batch.
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    # For decimals: (max_digits, decimal_places); for ints: (min, max).
    limits: tuple = ()
    # For choices: the TextChoices class whose values and labels a cell may use.
    choices: type[models.TextChoices] | None = None
    # What the template's notes sheet says of the column's format (translated there).
    note: str = ""

    def header(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh

    @property
    def choice_labels(self) -> dict[str, tuple[str, str]]:
        """{stored value: (Chinese label, English label)} of a choice column."""
        return bilingual_labels(self.choices) if self.choices is not None else {}

    def names(self) -> tuple[str, ...]:
        return (self.field, self.zh, self.en, *self.aliases)


MONEY = (16, 2)
QUANTITY = (14, 2)
AREA = (12, 2)
POSITIVE_INT = (0, 2_147_483_647)
YEAR = (MIN_YEAR, MAX_YEAR)


@cache
def bilingual_labels(choices: type[models.TextChoices]) -> dict[str, tuple[str, str]]:
    """The labels of a choices class in Chinese and in English, as the pages show them (the
    choices module and the catalogues are their one source). Cached: read once per process."""
    labels = {}
    for value, label in choices.choices:
        with translation.override("zh-hans"):
            chinese = str(label)
        with translation.override("en"):
            english = str(label)
        labels[value] = (chinese, english)
    return labels


CREDIT_CODE = Column(
    "credit_code",
    "统一社会信用代码",
    "Unified social credit code",
    "credit_code",
    required=True,
    aliases=("信用代码", "社会信用代码", "credit code", "USCC"),
    note=_("18 characters, GB 32100-2015"),
)

COMPANY_COLUMNS = (
    CREDIT_CODE,
    Column("name", "企业名称", "Company name", "text", True, ("名称", "name", "company")),
    Column(
        "region",
        "行政区",
        "Region",
        "region",
        True,
        ("所属区域", "县市区", "区域"),
        note=_("region code (330784) or name (永康市 / Yongkang)"),
    ),
    Column(
        "industry",
        "行业",
        "Industry",
        "industry",
        True,
        ("行业代码", "所属行业", "国民经济行业", "industry code"),
        note=_("GB/T 4754 division code (34) or name"),
    ),
    Column(
        "key_industry",
        "重点细分行业",
        "Key subdivision industry",
        "key_industry",
        aliases=("细分行业", "key industry"),
    ),
    Column("address", "地址", "Address", "text", aliases=("企业地址",)),
    Column("founded_on", "成立日期", "Founded on", "date", aliases=("成立时间", "founded")),
    Column("above_size", "规上企业", "Above designated size", "bool", aliases=("规上", "是否规上")),
    Column(
        "land_area_mu",
        "用地面积(亩)",
        "Land area (mu)",
        "decimal",
        aliases=("用地面积", "land area"),
        limits=AREA,
    ),
    Column("is_pilot", "试点企业", "Pilot company", "bool", aliases=("试点", "是否试点", "pilot")),
    Column("pilot_year", "试点年份", "Pilot since", "year", aliases=("pilot year",), limits=YEAR),
    Column(
        "pilot_designated_on",
        "试点认定日期",
        "Designated pilot on",
        "date",
        aliases=("认定日期", "pilot designation date"),
    ),
    Column("rated", "参评", "Rated", "bool", aliases=("是否参评",)),
    Column("contact_person", "联系人", "Contact person", "text", aliases=("contact",)),
    Column("contact_phone", "联系电话", "Contact phone", "text", aliases=("电话", "phone")),
)


def _money(field_name, zh, en, *aliases):
    return Column(field_name, zh, en, "decimal", aliases=aliases, limits=MONEY)


ANNUAL_COLUMNS = (
    CREDIT_CODE,
    Column("year", "年度", "Year", "year", True, ("年份",), limits=YEAR),
    _money("main_revenue", "主营业务收入(万元)", "Main business revenue", "主营业务收入"),
    _money("industrial_output", "工业总产值(万元)", "Industrial output", "工业总产值"),
    _money("added_value", "工业增加值(万元)", "Industrial added value", "工业增加值"),
    _money("total_profit", "利润总额(万元)", "Total profit", "利润总额", "利润"),
    _money("tax_paid", "实缴税金(万元)", "Tax paid", "实缴税金", "税收"),
    Column(
        "avg_employees",
        "年平均职工人数",
        "Average employees",
        "int",
        aliases=("职工人数", "平均职工人数"),
        limits=POSITIVE_INT,
    ),
    Column(
        "unskilled_workers",
        "普工人数",
        "Unskilled workers",
        "int",
        aliases=("普工",),
        limits=POSITIVE_INT,
    ),
    Column(
        "energy_use_tce",
        "综合能耗(吨标煤)",
        "Energy use (tce)",
        "decimal",
        aliases=("综合能耗", "energy use"),
        limits=QUANTITY,
    ),
    Column(
        "emissions",
        "排放当量",
        "Emissions",
        "decimal",
        aliases=("排放",),
        limits=QUANTITY,
    ),
    _money("rd_expense", "R&D经费(万元)", "R&D expense", "R&D经费", "研发经费"),
    Column(
        "electricity",
        "用电量(万千瓦时)",
        "Electricity (10k kWh)",
        "decimal",
        aliases=("用电量", "electricity"),
        limits=QUANTITY,
    ),
    Column(
        "robots_in_service",
        "工业机器人保有量",
        "Robots in service",
        "int",
        aliases=("机器人保有量",),
        limits=POSITIVE_INT,
    ),
    Column(
        "robots_added",
        "新增机器人",
        "Robots added",
        "int",
        aliases=("新增工业机器人",),
        limits=POSITIVE_INT,
    ),
    Column(
        "major_incident",
        "安全环保事故",
        "Major incident",
        "bool",
        aliases=("重大安全环保事故", "major safety or environmental incident"),
    ),
    # RANKING.md part 2: the year's size class and land used; empty keeps the company's.
    Column(
        "above_size",
        "当年规上",
        "Above designated size this year",
        "bool",
        aliases=("规上", "是否规上", "规上企业"),
    ),
    Column(
        "land_area_mu",
        "当年用地面积(亩)",
        "Land used this year (mu)",
        "decimal",
        aliases=("用地面积", "用地面积(亩)", "land area"),
        limits=AREA,
    ),
)

PROJECT_COLUMNS = (
    CREDIT_CODE,
    Column("name", "项目名称", "Project name", "text", True, ("项目", "project")),
    Column(
        "kind",
        "项目类型",
        "Kind",
        "choice",
        True,
        ("类型", "project kind"),
        choices=ProjectKind,
    ),
    Column("level", "项目级别", "Level", "choice", aliases=("级别",), choices=ProjectLevel),
    Column("batch", "示范批次", "Batch", "batch", aliases=("批次",), note=_("batch number")),
    _money("planned_investment", "计划投资(万元)", "Planned investment", "计划投资"),
    _money(
        "equipment_investment",
        "设备及软件投资(万元)",
        "Equipment and software investment",
        "设备及软件投资",
    ),
    _money("construction_investment", "土建投资(万元)", "Construction investment", "土建投资"),
    _money("actual_investment", "实际投资(万元)", "Actual investment", "实际投资"),
    Column("planned_start", "计划开工", "Planned start", "date", aliases=("计划开工日期",)),
    Column(
        "planned_completion",
        "计划完工",
        "Planned completion",
        "date",
        aliases=("计划完工日期", "计划竣工"),
    ),
    Column(
        "robots_planned",
        "计划机器人数",
        "Robots planned",
        "int",
        aliases=("计划机器人",),
        limits=POSITIVE_INT,
    ),
    Column(
        "robots_added",
        "新增机器人",
        "Robots added",
        "int",
        aliases=("新增工业机器人",),
        limits=POSITIVE_INT,
    ),
    Column(
        "meets_ims_standard",
        "两化融合达标",
        "Meets the IMS standard",
        "bool",
        aliases=("达标", "meets IMS standard"),
    ),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.COMPANIES: COMPANY_COLUMNS,
    ImportKind.ANNUAL_DATA: ANNUAL_COLUMNS,
    ImportKind.PROJECTS: PROJECT_COLUMNS,
}

# The fields that identify an existing record for each kind (see the module docstring).
KEYS: dict[str, tuple[str, ...]] = {
    ImportKind.COMPANIES: ("credit_code",),
    ImportKind.ANNUAL_DATA: ("credit_code", "year"),
    ImportKind.PROJECTS: ("credit_code", "name"),
}


def key_headers(kind: str, language: str) -> list[str]:
    """The headers of the columns that identify a record of `kind`, in `language`."""
    by_field = {column.field: column for column in COLUMNS[kind]}
    return [by_field[name].header(language) for name in KEYS[kind]]


_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "　": " "})


def normalise_header(text: str) -> str:
    """Compare headers ignoring case, spaces, required-marks and full-width brackets."""
    return re.sub(r"[\s*＊]", "", str(text).translate(_FULLWIDTH)).casefold()


def _without_unit(text: str) -> str:
    return re.sub(r"\(.*?\)$", "", text)


def match_headers(kind: str, headers: list[str]) -> tuple[dict[int, Column], list[str], list[str]]:
    """Map file column positions to columns.

    Returns (position -> column, headers that match nothing, headers used twice).
    """
    lookup: dict[str, Column] = {}
    for column in COLUMNS[kind]:
        for name in column.names():
            key = normalise_header(name)
            lookup.setdefault(key, column)
            lookup.setdefault(_without_unit(key), column)
    matched: dict[int, Column] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    seen: set[str] = set()
    for position, header in enumerate(headers):
        if not header.strip():
            continue
        key = normalise_header(header)
        column = lookup.get(key) or lookup.get(_without_unit(key))
        if column is None:
            unknown.append(header)
        elif column.field in seen:
            duplicated.append(header)
        else:
            seen.add(column.field)
            matched[position] = column
    return matched, unknown, duplicated
