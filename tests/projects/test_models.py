"""Key-project and progress-report constraints, and the lagging flag."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from projects.choices import ProjectStatus
from projects.models import KeyProject, ProgressReport
from projects.services import project_transition
from tests.factories import KeyProjectFactory, ProgressReportFactory


@pytest.fixture(autouse=True)
def _english_messages():
    # The assertions below read the English msgids; the default language is Chinese.
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
S = ProjectStatus
TODAY = datetime.date(2019, 10, 15)  # a fixed "today" for the lagging rule


def refused_by_database(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def clean_errors(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as err:
        obj.full_clean()
    return err.value.message_dict


def walk(project, *steps):
    for step in steps:
        project_transition(project=project, to_status=step, user=None)
    return project


def under_way(**kwargs):
    """A project in progress, planned over 2019."""
    return walk(KeyProjectFactory(**kwargs), S.COUNTY_REVIEWED, S.APPROVED, S.IN_PROGRESS)


def lagging_ids():
    return set(KeyProject.objects.lagging(today=TODAY).values_list("pk", flat=True))


def not_lagging_ids():
    return set(KeyProject.objects.not_lagging(today=TODAY).values_list("pk", flat=True))


# --- Lagging -------------------------------------------------------------------------------


def test_latest_report_behind_schedule_flags_the_project():
    project = under_way(planned_completion=datetime.date(2019, 12, 31))
    report = ProgressReportFactory(project=project, year=2019, quarter=3, percent_complete=40)
    assert report.expected_percent == 75 and report.behind_schedule
    assert project.pk in lagging_ids() and project.pk not in not_lagging_ids()


def test_within_the_tolerance_is_not_lagging():
    project = under_way(planned_completion=datetime.date(2019, 12, 31))
    report = ProgressReportFactory(project=project, year=2019, quarter=3, percent_complete=65)
    assert report.expected_percent == 75 and not report.behind_schedule
    assert project.pk in not_lagging_ids() and project.pk not in lagging_ids()


def test_only_the_latest_report_counts():
    project = under_way(planned_completion=datetime.date(2019, 12, 31))
    ProgressReportFactory(project=project, year=2019, quarter=2, percent_complete=5)
    ProgressReportFactory(project=project, year=2019, quarter=3, percent_complete=80)
    assert project.pk not in lagging_ids()
    ProgressReportFactory(project=project, year=2019, quarter=4, percent_complete=81)
    assert project.pk in lagging_ids()  # Q4 expects 100


def test_past_planned_completion_is_lagging_even_without_reports():
    late = under_way(
        planned_start=datetime.date(2018, 1, 1), planned_completion=datetime.date(2019, 6, 30)
    )
    on_time = under_way(planned_completion=datetime.date(2019, 12, 31))
    assert late.pk in lagging_ids()
    assert on_time.pk in not_lagging_ids()


def test_a_project_without_dates_or_reports_is_not_lagging():
    project = under_way(planned_start=None, planned_completion=None)
    report = ProgressReportFactory(project=project, percent_complete=0)
    assert report.expected_percent is None and not report.behind_schedule
    assert project.pk in not_lagging_ids() and project.pk not in lagging_ids()


@pytest.mark.parametrize("status", [S.ACCEPTED, S.CANCELLED, S.DECLARED, S.ACCEPTANCE_REQUESTED])
def test_projects_not_under_construction_are_never_lagging(status):
    project = KeyProjectFactory(
        planned_start=datetime.date(2018, 1, 1), planned_completion=datetime.date(2019, 3, 31)
    )
    ProgressReportFactory(project=project, year=2019, quarter=1, percent_complete=10)
    path = {
        S.DECLARED: [],
        S.CANCELLED: [S.CANCELLED],
        S.ACCEPTANCE_REQUESTED: [
            S.COUNTY_REVIEWED,
            S.APPROVED,
            S.IN_PROGRESS,
            S.ACCEPTANCE_REQUESTED,
        ],
        S.ACCEPTED: [
            S.COUNTY_REVIEWED,
            S.APPROVED,
            S.IN_PROGRESS,
            S.ACCEPTANCE_REQUESTED,
            S.ACCEPTED,
        ],
    }[status]
    walk(project, *path)
    assert project.pk not in lagging_ids() and project.pk in not_lagging_ids()


def test_rectification_counts_as_under_construction():
    project = under_way(
        planned_start=datetime.date(2018, 1, 1), planned_completion=datetime.date(2019, 3, 31)
    )
    walk(project, S.ACCEPTANCE_REQUESTED, S.RECTIFICATION)
    assert project.pk in lagging_ids()


def test_lagging_and_not_lagging_partition_all_projects():
    projects = [
        under_way(planned_completion=datetime.date(2019, 12, 31)),
        under_way(planned_completion=datetime.date(2019, 1, 31)),
        under_way(planned_start=None, planned_completion=None),
        KeyProjectFactory(),
    ]
    ProgressReportFactory(project=projects[0], year=2019, quarter=3, percent_complete=1)
    everything = set(KeyProject.objects.values_list("pk", flat=True))
    assert lagging_ids() | not_lagging_ids() == everything == {p.pk for p in projects}
    assert not lagging_ids() & not_lagging_ids()


# --- Key-project constraints ---------------------------------------------------------------


def test_completion_not_before_start():
    project = KeyProjectFactory()
    project.planned_completion = project.planned_start - datetime.timedelta(days=1)
    assert "planned completion cannot come before the planned start" in " ".join(
        clean_errors(project)["__all__"]
    )
    refused_by_database(
        lambda: KeyProject.objects.filter(pk=project.pk).update(
            planned_completion=datetime.date(2018, 12, 31)
        )
    )


@pytest.mark.parametrize("field", ["planned_investment", "actual_investment"])
def test_investment_cannot_be_negative(field):
    project = KeyProjectFactory()
    setattr(project, field, -1)
    assert field in clean_errors(project)
    refused_by_database(lambda: KeyProject.objects.filter(pk=project.pk).update(**{field: -1}))


def test_an_accepted_project_needs_its_acceptance_date():
    project = KeyProjectFactory()
    refused_by_database(lambda: KeyProject.objects.filter(pk=project.pk).update(status="accepted"))
    project.refresh_from_db()
    assert project.status == S.DECLARED


# --- Progress-report constraints -----------------------------------------------------------


def test_one_report_per_project_and_quarter():
    first = ProgressReportFactory()
    duplicate = ProgressReport(
        project=first.project, year=first.year, quarter=first.quarter, percent_complete=60
    )
    assert "already has a report for this quarter" in " ".join(clean_errors(duplicate)["__all__"])
    refused_by_database(lambda: ProgressReport.objects.bulk_create([duplicate]))


@pytest.mark.parametrize(
    ("field", "value"),
    [("quarter", 0), ("quarter", 5), ("percent_complete", 101), ("year", 1999), ("year", 2101)],
)
def test_report_fields_in_range(field, value):
    report = ProgressReportFactory()
    setattr(report, field, value)
    assert field in clean_errors(report)
    refused_by_database(
        lambda: ProgressReport.objects.filter(pk=report.pk).update(**{field: value})
    )
