"""Key projects with their recorded status moves and quarterly progress reports.

The counted projects of the plan (IMS implementation accepted to the standard, demonstration
projects in a counted status) are built exactly as planned; the other projects are drawn in
kinds and statuses that can never fall into those two counts, so the counts stay exact.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from projects.choices import TRANSFORMATION_KINDS, ProjectKind, ProjectLevel, ProjectStatus
from projects.models import KeyProject, ProgressReport, ProjectStatusChange
from tracker.demo import names
from tracker.demo.companies import Draft, Lookups, random_day
from tracker.demo.plan import COHORT_YEAR, weighted_pick

S = ProjectStatus
LINE = (
    S.DECLARED,
    S.COUNTY_REVIEWED,
    S.APPROVED,
    S.IN_PROGRESS,
    S.ACCEPTANCE_REQUESTED,
    S.ACCEPTED,
)
REPORTED = (S.IN_PROGRESS, S.ACCEPTANCE_REQUESTED, S.RECTIFICATION, S.ACCEPTED)
FIRST_ACCEPTANCE = datetime.date(2014, 6, 1)
# The article's counted projects were all accepted by the time it appeared.
ARTICLE_DATE = datetime.date(2020, 4, 14)
MAX_REPORTS = 8

PHRASES = {
    ProjectKind.IMS: ("两化融合管理体系贯标项目",),
    ProjectKind.DIGITAL_WORKSHOP: ("数字化车间建设项目", "智能化数字车间改造项目"),
    ProjectKind.IOT_FACTORY: ("物联网工厂建设项目",),
    ProjectKind.SMART_FACTORY: ("智能工厂建设项目",),
    ProjectKind.FUTURE_FACTORY: ("未来工厂培育项目",),
    ProjectKind.LIGHTWEIGHT_RETROFIT: ("轻量化智能化改造项目", "自动化生产线技改项目"),
    ProjectKind.DIGITAL_RETROFIT: ("数字化改造项目", "生产设备数字化联网改造项目"),
    ProjectKind.INDUSTRIAL_INTERNET_PLATFORM: ("行业工业互联网平台建设项目",),
    ProjectKind.ENTERPRISE_CLOUD: ("企业上云项目",),
    ProjectKind.OTHER: ("信息化提升项目", "MES系统集成应用项目"),
}
PRODUCTS = {
    "33": ("保温杯", "防盗门", "五金工具", "智能门锁", "不锈钢制品"),
    "34": ("电动工具", "园林工具", "空压机", "水泵"),
    "38": ("电机", "小家电", "磁性元件", "照明灯具"),
    "36": ("汽车零部件", "新能源汽车电池包", "车灯"),
    "29": ("塑料制品", "橡胶密封件"),
    "24": ("饰品", "文具", "工艺品"),
    "17": ("纺织面料",),
    "18": ("无缝内衣", "袜子"),
    "30": ("水晶制品", "新型建材"),
    "27": ("原料药", "制剂"),
    "39": ("光电元器件", "电子元器件"),
    "21": ("红木家具", "定制家居"),
}
COMMENTS = {
    S.DECLARED: "企业申报，材料齐全",
    S.COUNTY_REVIEWED: "县级初审通过，同意上报",
    S.APPROVED: "列入市级重点项目库",
    S.IN_PROGRESS: "项目开工建设",
    S.ACCEPTANCE_REQUESTED: "项目竣工，申请验收",
    S.ACCEPTED: "专家组验收通过",
    S.RECTIFICATION: "验收意见：限期整改",
    S.CANCELLED: "企业申请撤销",
}

# Kinds and statuses of the projects that are not the article's counted ones.
EXTRA_KIND_WEIGHTS = {
    ProjectKind.LIGHTWEIGHT_RETROFIT: 22,
    ProjectKind.DIGITAL_RETROFIT: 13,
    ProjectKind.INDUSTRIAL_INTERNET_PLATFORM: 2,
    ProjectKind.ENTERPRISE_CLOUD: 18,
    ProjectKind.SMART_FACTORY: 15,
    ProjectKind.IMS: 12,
    ProjectKind.DIGITAL_WORKSHOP: 5,
    ProjectKind.IOT_FACTORY: 3,
    ProjectKind.OTHER: 7,
    ProjectKind.FUTURE_FACTORY: 3,
}
EXTRA_STATUS_WEIGHTS = {
    S.DECLARED: 10,
    S.COUNTY_REVIEWED: 8,
    S.APPROVED: 10,
    S.IN_PROGRESS: 25,
    S.ACCEPTANCE_REQUESTED: 8,
    S.RECTIFICATION: 4,
    S.ACCEPTED: 30,
    S.CANCELLED: 5,
}
# Levels a project of a kind may carry, with weights: the retrofit steps are county- and
# city-led; the demonstration ladder reaches the province and the nation.
RETROFIT_KINDS = (ProjectKind.LIGHTWEIGHT_RETROFIT, ProjectKind.DIGITAL_RETROFIT)
LEVEL_WEIGHTS_RETROFIT = {ProjectLevel.COUNTY: 60, ProjectLevel.CITY: 40}
LEVEL_WEIGHTS_COUNTED = {
    ProjectLevel.CITY: 25,
    ProjectLevel.PROVINCE: 60,
    ProjectLevel.NATIONAL: 15,
}
LEVEL_WEIGHTS_LADDER = {
    ProjectLevel.COUNTY: 15,
    ProjectLevel.CITY: 60,
    ProjectLevel.PROVINCE: 22,
    ProjectLevel.NATIONAL: 3,
}
LEVEL_WEIGHTS_OTHER = {ProjectLevel.COUNTY: 20, ProjectLevel.CITY: 60, ProjectLevel.PROVINCE: 20}
END_OF_COHORT_YEAR = datetime.date(COHORT_YEAR, 12, 31)

# Demonstration-kind projects outside the count: not yet approved, or cancelled.
UNCOUNTED_DEMO_STATUSES = {S.DECLARED: 5, S.COUNTY_REVIEWED: 4, S.CANCELLED: 2}
MEDIAN_INVESTMENT = {
    ProjectKind.LIGHTWEIGHT_RETROFIT: 150,
    ProjectKind.DIGITAL_RETROFIT: 500,
    ProjectKind.INDUSTRIAL_INTERNET_PLATFORM: 1500,
    ProjectKind.ENTERPRISE_CLOUD: 30,
    ProjectKind.SMART_FACTORY: 3000,
    ProjectKind.FUTURE_FACTORY: 8000,
    ProjectKind.IMS: 300,
    ProjectKind.DIGITAL_WORKSHOP: 2500,
    ProjectKind.IOT_FACTORY: 3000,
    ProjectKind.OTHER: 80,
}
ROBOT_KINDS = (
    ProjectKind.LIGHTWEIGHT_RETROFIT,
    ProjectKind.DIGITAL_RETROFIT,
    ProjectKind.SMART_FACTORY,
    ProjectKind.FUTURE_FACTORY,
    ProjectKind.DIGITAL_WORKSHOP,
    ProjectKind.IOT_FACTORY,
)


@dataclass
class Bundle:
    """A project and what is written after it has an id: its moves and its reports."""

    project: KeyProject
    path: list[str]
    lagging: bool
    history_start: datetime.date
    history_end: datetime.date
    changes: list[ProjectStatusChange] = field(default_factory=list)


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def build_projects(
    rng: random.Random,
    draft: Draft,
    *,
    ims_amount: Decimal | None,
    demo: tuple[Decimal, str] | None,
    lookups: Lookups,
    as_of: datetime.date,
) -> list[Bundle]:
    """All projects of one company: its counted ones from the plan, then a few others."""
    plan = draft.plan
    bundles = []
    if ims_amount is not None:
        bundles.append(
            _bundle(
                rng, draft, ProjectKind.IMS, S.ACCEPTED, as_of, lookups, invest=ims_amount,
                meets=True,
            )
        )  # fmt: skip
        draft.ims_accepted_on = bundles[-1].project.accepted_on
    if demo is not None:
        amount, status = demo
        kind = rng.choice((ProjectKind.DIGITAL_WORKSHOP, ProjectKind.IOT_FACTORY))
        bundles.append(_bundle(rng, draft, kind, status, as_of, lookups, invest=amount))
    if plan.transformed and not any(_in_cohort(b.project) for b in bundles):
        # The cohort's demonstration project, outside the article's counted kinds.
        kind = ProjectKind.FUTURE_FACTORY if rng.random() < 0.08 else ProjectKind.SMART_FACTORY
        bundles.append(
            _bundle(rng, draft, kind, S.ACCEPTED, as_of, lookups, accepted_by=END_OF_COHORT_YEAR)
        )
    if plan.showcase:
        bundles.append(
            _bundle(rng, draft, ProjectKind.DIGITAL_RETROFIT, S.IN_PROGRESS, as_of, lookups)
        )
    if not plan.practising:
        # A company that does not practise has, at most, a project it gave up.
        if rng.random() < 0.05:
            kind = weighted_pick(rng, EXTRA_KIND_WEIGHTS)
            bundles.append(_bundle(rng, draft, kind, S.CANCELLED, as_of, lookups))
        return bundles
    if plan.pilot:
        count = rng.choices((0, 1, 2, 3), (25, 40, 25, 10))[0]
    elif plan.above_size:
        count = rng.choices((0, 1, 2), (75, 20, 5))[0]
    else:
        count = rng.choices((0, 1), (93, 7))[0]
    for _ in range(count):
        kind = weighted_pick(rng, EXTRA_KIND_WEIGHTS)
        if kind in (ProjectKind.DIGITAL_WORKSHOP, ProjectKind.IOT_FACTORY):
            status = weighted_pick(rng, UNCOUNTED_DEMO_STATUSES)
        else:
            status = weighted_pick(rng, EXTRA_STATUS_WEIGHTS)
        bundles.append(_bundle(rng, draft, kind, status, as_of, lookups))
    return bundles


def _in_cohort(project: KeyProject) -> bool:
    return (
        project.kind in TRANSFORMATION_KINDS
        and project.status == S.ACCEPTED
        and project.accepted_on <= END_OF_COHORT_YEAR
    )


def _acceptance_window(
    draft: Draft, kind: str
) -> tuple[datetime.date | None, datetime.date | None]:
    """Earliest and latest acceptance of a demonstration project of a pilot outside the
    cohort: after the cohort year, so the plan's cohort is the one the figures find."""
    plan = draft.plan
    if (
        kind in TRANSFORMATION_KINDS
        and plan.pilot
        and not plan.transformed
        and (plan.pilot_year or 0) <= COHORT_YEAR
    ):
        return END_OF_COHORT_YEAR + datetime.timedelta(days=1), None
    return None, None


def _schedule(
    rng: random.Random,
    status: str,
    as_of: datetime.date,
    *,
    lagging: bool,
    counted: bool,
    accepted_from: datetime.date | None = None,
    accepted_by: datetime.date | None = None,
):
    """Planned start and completion and acceptance date fitting `status` on `as_of`; an
    acceptance within accepted_from..accepted_by when they are given."""
    days = datetime.timedelta
    accepted_on = None
    if status == S.ACCEPTED:
        last = (min(as_of, ARTICLE_DATE) if counted else as_of) - days(30)
        first = max(FIRST_ACCEPTANCE, accepted_from or FIRST_ACCEPTANCE)
        accepted_on = random_day(rng, first, min(last, accepted_by or last))
        start = accepted_on - days(rng.randint(200, 720))
        completion = min(accepted_on, start + days(rng.randint(180, 700)))
    elif status == S.CANCELLED:
        start = random_day(rng, datetime.date(2014, 1, 1), as_of - days(60))
        completion = start + days(rng.randint(270, 720))
    elif status in (S.DECLARED, S.COUNTY_REVIEWED):
        start = as_of + days(rng.randint(-60, 180))
        completion = start + days(rng.randint(270, 720))
    elif status == S.APPROVED:
        start = as_of - days(rng.randint(0, 120))
        completion = start + days(rng.randint(300, 720))
    elif status == S.ACCEPTANCE_REQUESTED:
        start = as_of - days(rng.randint(300, 900))
        completion = as_of - days(rng.randint(0, 60))
    else:  # in progress or in rectification
        start = as_of - days(rng.randint(90, 600))
        if lagging and rng.random() < 0.4:
            completion = as_of - days(rng.randint(10, 200))  # past due
        else:
            completion = as_of + days(rng.randint(30, 420))
        completion = max(completion, start + days(90))
    return start, completion, accepted_on


def _bundle(
    rng: random.Random,
    draft: Draft,
    kind: str,
    status: str,
    as_of: datetime.date,
    lookups: Lookups,
    *,
    invest: Decimal | None = None,
    meets: bool = False,
    accepted_by: datetime.date | None = None,
) -> Bundle:
    plan = draft.plan
    lagging = status in (S.IN_PROGRESS, S.RECTIFICATION) and rng.random() < 0.35
    counted = invest is not None
    accepted_from, window_end = _acceptance_window(draft, kind)
    start, completion, accepted_on = _schedule(
        rng,
        status,
        as_of,
        lagging=lagging,
        counted=counted,
        accepted_from=accepted_from,
        accepted_by=accepted_by or window_end,
    )
    if invest is None:
        invest = money(rng.lognormvariate(0, 0.6) * MEDIAN_INVESTMENT[kind])
    # Counted projects are counted at actual investment once accepted, planned before.
    if status == S.ACCEPTED:
        actual = invest
        planned = money(float(invest) * rng.uniform(0.85, 1.1))
    else:
        planned, actual = invest, None
    if not counted and status == S.ACCEPTED:
        planned, actual = invest, money(float(invest) * rng.uniform(0.8, 1.1))
    robots_planned = robots_added = None
    if kind in ROBOT_KINDS:
        robots_planned = rng.randint(3, 40)
        if status == S.ACCEPTED:
            robots_added = max(0, round(robots_planned * rng.uniform(0.8, 1.1)))
    if counted and kind != ProjectKind.IMS:
        level = weighted_pick(rng, LEVEL_WEIGHTS_COUNTED)
    elif kind in RETROFIT_KINDS:
        level = weighted_pick(rng, LEVEL_WEIGHTS_RETROFIT)
    elif kind in TRANSFORMATION_KINDS:
        level = weighted_pick(rng, LEVEL_WEIGHTS_LADDER)
    else:  # no national programme names these kinds
        level = weighted_pick(rng, LEVEL_WEIGHTS_OTHER)
    # The planned investment split into equipment and software and construction (土建).
    equipment = money(float(planned) * rng.uniform(0.55, 0.9))
    construction = planned - equipment
    batch = None
    if counted and accepted_on and kind != ProjectKind.IMS:
        batch = lookups.batches.get(accepted_on.year)
    phrase = rng.choice(PHRASES[kind])
    products = PRODUCTS.get(plan.division)
    if products and kind not in (ProjectKind.IMS, ProjectKind.ENTERPRISE_CLOUD, ProjectKind.OTHER):
        name = f"年产{rng.randint(5, 500)}万件{rng.choice(products)}{phrase}"
    else:
        name = f"{names.short_name(draft.company.name)}{phrase}"
    project = KeyProject(
        company=draft.company,
        name=name,
        kind=kind,
        level=level,
        batch=batch,
        planned_investment=planned,
        equipment_investment=equipment,
        construction_investment=construction,
        actual_investment=actual,
        planned_start=start,
        planned_completion=completion,
        accepted_on=accepted_on,
        robots_planned=robots_planned,
        robots_added=robots_added,
        meets_ims_standard=meets,
        status=status,
    )
    if status in (S.DECLARED, S.COUNTY_REVIEWED):
        history_start = as_of - datetime.timedelta(days=rng.randint(5, 120))
    else:
        history_start = start - datetime.timedelta(days=rng.randint(60, 150))
    history_end = accepted_on or as_of
    return Bundle(
        project=project,
        path=_path_to(rng, status),
        lagging=lagging,
        history_start=history_start,
        history_end=max(history_end, history_start),
    )


def _path_to(rng: random.Random, status: str) -> list[str]:
    """The statuses a project passed through to reach `status`, along the lifecycle."""
    if status == S.CANCELLED:
        return [*LINE[: rng.randint(1, 5)], S.CANCELLED]
    if status == S.RECTIFICATION:
        return [*LINE[:5], S.RECTIFICATION]
    if status == S.ACCEPTED and rng.random() < 0.15:
        return [*LINE[:5], S.RECTIFICATION, S.ACCEPTANCE_REQUESTED, S.ACCEPTED]
    return list(LINE[: LINE.index(status) + 1])


def build_status_changes(rng: random.Random, bundle: Bundle) -> list[ProjectStatusChange]:
    """The recorded moves, spread between the declaration and the last move; the first row
    records the declaration itself (from no status)."""
    span = (bundle.history_end - bundle.history_start).days
    steps = len(bundle.path)
    rows = []
    previous = ""
    for position, status in enumerate(bundle.path):
        day = bundle.history_start + datetime.timedelta(
            days=round(span * position / max(steps - 1, 1))
        )
        moment = datetime.datetime.combine(
            day, datetime.time(rng.randint(8, 17), rng.randint(0, 59))
        )
        rows.append(
            ProjectStatusChange(
                project=bundle.project,
                from_status=previous,
                to_status=status,
                changed_at=timezone.make_aware(moment),
                comment=COMMENTS[status],
            )
        )
        previous = status
    return rows


def _quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarters(first: datetime.date, last: datetime.date) -> list[tuple[int, int]]:
    """The quarters from the one holding `first` to the last one that ended before `last`."""
    year, quarter = _quarter_of(first)
    result = []
    while True:
        report = ProgressReport(year=year, quarter=quarter)
        if report.period_end >= last:
            break
        result.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return result[-MAX_REPORTS:]


def build_progress_reports(rng: random.Random, bundle: Bundle) -> list[ProgressReport]:
    """Quarterly reports from the start of works; lagging projects report well behind the
    linear schedule, the others close to it, accepted ones end at 100 %."""
    project = bundle.project
    if project.status not in REPORTED:
        return []
    end = project.accepted_on or bundle.history_end
    reports = []
    percent = 0
    for year, quarter in _quarters(project.planned_start, end):
        report = ProgressReport(project=project, year=year, quarter=quarter, note="")
        expected = report.schedule_percent() or 0
        if bundle.lagging:
            target = int(expected * rng.uniform(0.35, 0.7))
        else:
            target = expected + rng.randint(-5, 8)
        percent = min(100, max(percent, target, 0))
        reports.append(report)
        report.percent_complete = percent
    if reports and project.status in (S.ACCEPTED, S.ACCEPTANCE_REQUESTED):
        reports[-1].percent_complete = 100
    for report in reports:
        # The write stores the schedule's verdict too; the note needs it now.
        report.apply_schedule()
        report.invested_to_date = money(
            float(project.planned_investment) * report.percent_complete / 100
        )
        if report.behind_schedule:
            report.note = "受设备到货延迟影响，进度滞后"
    return reports
