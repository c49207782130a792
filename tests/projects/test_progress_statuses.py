"""R8: only a project whose work is under way (approved, in progress, under rectification)
takes progress reports; a declared one, not yet approved, is refused on every path."""

import pytest
from django.core.exceptions import ValidationError

from projects.choices import UNDER_CONSTRUCTION, ProjectStatus
from projects.models import ProgressReport
from projects.workflow import takes_progress_reports
from reporting.services import progress_report_file
from tests.api.conftest import client_for
from tests.factories import KeyProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ProjectStatus.values)
def test_which_statuses_take_reports(status):
    assert takes_progress_reports(status) is (status in UNDER_CONSTRUCTION)
    assert not takes_progress_reports(ProjectStatus.DECLARED)
    assert not takes_progress_reports(ProjectStatus.COUNTY_REVIEWED)


def test_a_declared_project_takes_no_report_from_the_company_or_the_api(world):
    project = KeyProjectFactory(company=world["own"], status=ProjectStatus.DECLARED)
    report = ProgressReport(project=project, year=2020, quarter=1, percent_complete=10)
    with pytest.raises(ValidationError) as refused:
        progress_report_file(report=report, user=world["users"]["company"])
    assert "project" in refused.value.message_dict
    api = client_for(world["users"]["county"])
    response = api.post(
        "/api/v1/progress-reports/",
        {"project": project.pk, "year": 2020, "quarter": 1, "percent_complete": 10},
        format="json",
    )
    assert response.status_code == 400 and "project" in response.json()
    assert not ProgressReport.objects.filter(project=project).exists()
    project.status = ProjectStatus.APPROVED
    project.save()
    progress_report_file(report=report, user=world["users"]["company"])
    assert ProgressReport.objects.filter(project=project).count() == 1
