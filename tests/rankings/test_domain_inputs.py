"""Issue 12's domain inputs in the S block: only third-party maturity assessments score, a
county-level project and the new project kinds score 0, and changing an assessment's kind
marks its years stale. Figures worked out by hand: maturity level × 1.5."""

import pytest

from companies.choices import AssessmentKind
from core.services import record_save
from projects.choices import ProjectKind, ProjectLevel
from rankings.models import DirtyYear
from rankings.services import rankings_recompute
from tests.factories import AnnualDataFactory, CompanyFactory, KeyProjectFactory, MaturityFactory
from tests.rankings.helpers import YEAR, d, dirty, rated_company, scores_by_company

pytestmark = pytest.mark.django_db


def test_only_third_party_maturity_assessments_score():
    c = rated_company()
    MaturityFactory(company=c, level=2, assessed_on=d(2018, 6, 1))  # third-party: 3
    MaturityFactory(
        company=c, level=5, kind=AssessmentKind.SELF_DIAGNOSIS, assessed_on=d(2019, 3, 1)
    )  # self-diagnosis: nothing
    only_self = rated_company()
    MaturityFactory(
        company=only_self, level=4, kind=AssessmentKind.SELF_DIAGNOSIS, assessed_on=d(2019, 3, 1)
    )
    rows = scores_by_company(rankings_recompute(year=YEAR))
    assert rows[c.pk].maturity_points == 3
    assert rows[only_self.pk].maturity_points == 0


def test_county_level_projects_and_the_new_kinds_score_zero():
    c = rated_company()
    accepted = {"status": "accepted", "accepted_on": d(2019, 6, 1)}
    KeyProjectFactory(
        company=c, kind=ProjectKind.DIGITAL_WORKSHOP, level=ProjectLevel.COUNTY, **accepted
    )  # 0: RANKING.md scores city, province and national projects
    KeyProjectFactory(
        company=c, kind=ProjectKind.SMART_FACTORY, level=ProjectLevel.COUNTY, **accepted
    )  # 0
    for kind in (
        ProjectKind.LIGHTWEIGHT_RETROFIT,
        ProjectKind.DIGITAL_RETROFIT,
        ProjectKind.INDUSTRIAL_INTERNET_PLATFORM,
    ):
        KeyProjectFactory(company=c, kind=kind, level=ProjectLevel.PROVINCE, **accepted)  # 0
    KeyProjectFactory(
        company=c, kind=ProjectKind.IOT_FACTORY, level=ProjectLevel.CITY, **accepted
    )  # 3
    assert scores_by_company(rankings_recompute(year=YEAR))[c.pk].project_points == 3


def test_changing_an_assessments_kind_marks_its_years_stale():
    company = CompanyFactory()
    for year in (2017, 2018, 2019):
        AnnualDataFactory(company=company, year=year)
    assessment = MaturityFactory(company=company, level=3, assessed_on=d(2018, 5, 1))
    DirtyYear.objects.all().delete()
    assessment.kind = AssessmentKind.SELF_DIAGNOSIS
    record_save(instance=assessment)
    assert dirty() == [2018, 2019]
