"""Fixtures of the web page tests: a small, fully populated world with a computed ranking."""

import datetime

import pytest
from django.conf import settings
from django.test import TestCase
from django.utils import translation

from projects.choices import ProjectKind, ProjectStatus
from projects.services import project_transition
from rankings.services import rankings_recompute
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    DesignationFactory,
    KeyProjectFactory,
    MaturityFactory,
    ProgressReportFactory,
)

YEAR = 2019


def recompute(year: int = YEAR):
    """`rankings_recompute`, then what it asks for once its run commits (the run's dashboard
    figures task, tracker.figures) — the test's own transaction never commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return rankings_recompute(year=year)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to an /en/ page activates English
    in the test's thread, which would otherwise leak into the next test's reverse()."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def populated(world, yongkang, yiwu):
    """`world` plus, for both companies, annual data for 2018 and 2019, a certificate, a
    maturity assessment, a designation and a project; six more rated Yongkang companies so
    grades spread; and the 2019 ranking computed."""
    own, other = world["own"], world["other"]
    batch = BatchFactory(number=1)
    today = datetime.date.today()
    for company, tax in ((own, 300), (other, 900)):
        AnnualDataFactory(company=company, year=YEAR - 1, tax_paid=tax)
        AnnualDataFactory(company=company, year=YEAR, tax_paid=tax)
        MaturityFactory(company=company, level=3)
        DesignationFactory(company=company, batch=batch)
    CertificationFactory(
        company=own, issued_on=today - datetime.timedelta(days=3 * 365 - 30)
    )  # expires within 90 days
    CertificationFactory(company=other)
    for index in range(6):
        AnnualDataFactory(
            company=CompanyFactory(region=yongkang), year=YEAR, tax_paid=400 + 100 * index
        )
    own_project = KeyProjectFactory(company=own, kind=ProjectKind.DIGITAL_WORKSHOP)
    other_project = KeyProjectFactory(company=other, kind=ProjectKind.IOT_FACTORY)
    ProgressReportFactory(project=own_project, percent_complete=10, quarter=4)
    admin = world["users"]["admin"]
    for status in (
        ProjectStatus.COUNTY_REVIEWED,
        ProjectStatus.APPROVED,
        ProjectStatus.IN_PROGRESS,
    ):
        project_transition(project=own_project, to_status=status, user=admin, comment="ok")
    recompute(YEAR)
    return {**world, "batch": batch, "own_project": own_project, "other_project": other_project}
