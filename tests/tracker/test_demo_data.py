"""`manage.py load_demo`: a deterministic Jinhua dataset, the demo accounts, --reset and
--if-empty; and, once at the default scale, the seed article's figures."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.utils import translation

from companies.choices import AssessmentKind, CertificationStatus
from companies.models import (
    AnnualData,
    Certification,
    Company,
    DemonstrationBatch,
    Designation,
    MaturityAssessment,
    Membership,
    SurveillanceAudit,
)
from companies.models.programme import IMS_GRADED_FROM
from companies.validators import validate_credit_code
from core.roles import Role
from projects.choices import ProjectKind, ProjectLevel, ProjectStatus
from projects.models import KeyProject, ProgressReport, ProjectStatusChange
from rankings.models import DirtyYear
from rankings.selectors import run_current
from tests.factories import CompanyFactory
from tracker.demo import profile
from tracker.demo.loader import demo_load
from tracker.selectors import seed_figures
from tracker.templatetags.tracker_ui import pct

SMALL = ["--companies", "300", "--as-of", "2020-04-14"]


@pytest.fixture(autouse=True)
def _demo_settings(settings):
    settings.DEMO_PASSWORD = "demo-Pass-2020"
    # The messages asserted on are the English msgids; the default language is Chinese.
    with translation.override("en"):
        yield


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """What a load produced, in a form two loads can be compared by."""
    return {
        "figures": seed_figures(),
        "companies": list(
            Company.objects.order_by("credit_code").values_list(
                "credit_code", "name", "region__code", "industry__code", "is_pilot", "above_size"
            )
        ),
        "projects": list(
            # Every compared column is in the ordering: two projects of one company may share a
            # name, and PostgreSQL returns ties in any order.
            KeyProject.objects.order_by(
                "company__credit_code", "name", "kind", "status", "planned_investment"
            ).values_list("company__credit_code", "name", "kind", "status", "planned_investment")
        ),
        "annual": AnnualData.objects.aggregate(
            rows=Count("id"),
            added_value=Sum("added_value"),
            employees=Sum("avg_employees"),
            profit=Sum("total_profit"),
        ),
        "counts": [
            model.objects.count()
            for model in (
                Designation,
                Certification,
                MaturityAssessment,
                ProjectStatusChange,
                ProgressReport,
            )
        ],
    }


@pytest.mark.django_db
def test_same_seed_gives_the_same_dataset_and_another_seed_another():
    load(*SMALL)
    first = snapshot()
    load(*SMALL, "--reset")
    assert snapshot() == first
    load(*SMALL, "--reset", "--seed", "7")
    other = snapshot()
    assert other["companies"] != first["companies"]
    assert other["figures"]["companies_total"] == 300


@pytest.mark.django_db
def test_the_small_dataset_is_well_formed():
    load(*SMALL)
    assert Company.objects.count() == 300
    codes = list(Company.objects.values_list("credit_code", flat=True))
    assert len(set(codes)) == 300
    for code in codes:
        validate_credit_code(code)
    # Every project's recorded moves end at its status and start from a declaration.
    for project in KeyProject.objects.prefetch_related("status_changes")[:60]:
        moves = list(project.status_changes.order_by("changed_at", "id"))
        assert moves[0].from_status == "" and moves[0].to_status == ProjectStatus.DECLARED
        assert moves[-1].to_status == project.status
    assert set(KeyProject.objects.values_list("status", flat=True)) >= {
        ProjectStatus.DECLARED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ACCEPTED,
    }
    # Open projects are scheduled around --as-of: some lag behind on that day, some do not.
    as_of = datetime.date(2020, 4, 14)
    assert KeyProject.objects.lagging(as_of).exists()
    assert KeyProject.objects.filter(status=ProjectStatus.IN_PROGRESS).not_lagging(as_of).exists()
    assert set(AnnualData.objects.values_list("year", flat=True)) == {2017, 2018, 2019}
    regions = Company.objects.values("region__code").annotate(n=Count("id"))
    assert len(regions) == 11


@pytest.mark.django_db
def test_the_loaders_writes_mark_their_years_stale_through_the_rankings_receiver():
    demo_load(companies=300, seed=1, as_of=datetime.date(2020, 4, 14), out=lambda line: None)
    years = sorted(DirtyYear.objects.values_list("year", flat=True))
    assert years == sorted(profile.ANNUAL_YEARS)


@pytest.mark.django_db
def test_the_command_leaves_every_demo_year_ranked_and_none_stale():
    load(*SMALL)
    assert not DirtyYear.objects.exists()
    for year in profile.ANNUAL_YEARS:
        assert run_current(year=year).rated_count > 0


@pytest.mark.django_db
def test_the_loaders_rows_follow_the_models_own_rules():
    """Written in bulk, yet as a save would store them: the schedule verdict of every
    progress report and the default expiry of every issued certificate."""
    load(*SMALL)
    reports = ProgressReport.objects.select_related("project")
    assert reports.filter(behind_schedule=True).exists()
    for report in reports:
        stored = (report.expected_percent, report.behind_schedule)
        report.apply_schedule()
        assert stored == (report.expected_percent, report.behind_schedule)
    issued = Certification.objects.filter(issued_on__isnull=False)
    assert issued.exists() and not issued.filter(expires_on__isnull=True).exists()


@pytest.mark.django_db
def test_the_default_as_of_is_the_fixed_article_date_not_today():
    """`make run` loads without --as-of: every newcomer gets the same data, the README's."""
    load("--companies", "300")
    default = snapshot()
    load(*SMALL, "--reset")
    assert snapshot() == default


@pytest.mark.django_db
def test_the_demo_follows_the_domain_rules_of_issue_12():
    load(*SMALL)
    # Robots per employee within what real plants report (profile.MAX_ROBOT_DENSITY).
    # (A single robot, or the year's own purchases of the article's total, may go beyond.)
    rows = AnnualData.objects.filter(avg_employees__gt=0).values_list(
        "robots_in_service", "avg_employees", "robots_added"
    )
    for in_service, employees, added in rows:
        assert in_service <= max(1, employees * profile.MAX_ROBOT_DENSITY, added)
    density = AnnualData.objects.filter(year=2019).aggregate(
        robots=Sum("robots_in_service"), employees=Sum("avg_employees")
    )
    assert 0.005 < density["robots"] / density["employees"] < 0.05
    # No machines-replace-manpower category; county-level and new kinds are drawn.
    kinds = set(KeyProject.objects.values_list("kind", flat=True))
    assert ProjectKind.MACHINES_REPLACE_MANPOWER not in kinds
    assert {ProjectKind.LIGHTWEIGHT_RETROFIT, ProjectKind.DIGITAL_RETROFIT} <= kinds
    assert KeyProject.objects.filter(level=ProjectLevel.COUNTY).exists()
    assert not KeyProject.objects.filter(
        level=ProjectLevel.NATIONAL, kind__in=(ProjectKind.ENTERPRISE_CLOUD, ProjectKind.OTHER)
    ).exists()
    # The investment split adds up to the planned investment.
    for project in KeyProject.objects.all()[:200]:
        assert project.equipment_investment + project.construction_investment == (
            project.planned_investment
        )
    # Grades only from the graded scheme on; every demo row passes the models' validation.
    assert (
        not Certification.objects.filter(issued_on__lt=IMS_GRADED_FROM).exclude(level="").exists()
    )
    for certificate in Certification.objects.all():
        certificate.full_clean()
    # Batches carry their level and document number; audits are recorded.
    assert not DemonstrationBatch.objects.filter(document_no="").exists()
    assert SurveillanceAudit.objects.exists()
    assert MaturityAssessment.objects.filter(kind=AssessmentKind.SELF_DIAGNOSIS).exists()


@pytest.mark.django_db
def test_accounts_have_their_roles_and_bindings():
    output = load(*SMALL)
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["admin"].is_superuser
    for name in ("admin", "city", "county", "company"):
        assert users[name].check_password("demo-Pass-2020")
    assert users["city"].membership.role == Role.CITY
    county = users["county"].membership
    assert county.role == Role.COUNTY and county.region.code == "330784"
    membership = users["company"].membership
    company = membership.company
    assert membership.role == Role.COMPANY
    assert company.region.code == "330784" and company.is_pilot
    assert company.projects.filter(status=ProjectStatus.ACCEPTED).exists()
    assert company.certifications.filter(status=CertificationStatus.CERTIFIED).exists()
    assert list(Company.objects.visible_to(users["company"])) == [company]
    assert "http://127.0.0.1:8000/" in output and "http://127.0.0.1:8000/admin/" in output
    for name in ("admin", "city", "county", "company"):
        assert f"  {name} " in output
    assert "demo-Pass-2020" in output


@pytest.mark.django_db
def test_a_random_password_is_printed_when_none_is_configured(settings):
    settings.DEMO_PASSWORD = ""
    output = load(*SMALL)
    line = next(line for line in output.splitlines() if line.startswith("  city "))
    password = line.rsplit("password: ", 1)[1].strip()
    assert get_user_model().objects.get(username="city").check_password(password)


@pytest.mark.django_db
def test_reset_empties_the_domain_tables_first():
    stranger = CompanyFactory(name="不属于演示数据的企业")
    with pytest.raises(CommandError, match="--reset"):
        load(*SMALL)
    assert Company.objects.count() == 1
    load(*SMALL, "--reset")
    assert not Company.objects.filter(pk=stranger.pk).exists()
    assert Company.objects.count() == 300
    load(*SMALL, "--reset")
    assert Company.objects.count() == 300
    # The `company` account and the three company users who filed the demo's objections
    # (tracker.demo.notice), once each however often the demo is reloaded.
    assert Membership.objects.filter(role=Role.COMPANY).count() == 4


@pytest.mark.django_db
def test_if_empty_loads_once_and_then_only_prints_the_accounts():
    load(*SMALL, "--if-empty")
    before = snapshot()
    output = load(*SMALL, "--if-empty")
    assert snapshot() == before
    assert "300 companies already exist" in output
    assert "  county " in output and "永康市" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--companies", "10"], "--companies must be at least"),
        (["--as-of", "14/04/2020"], "--as-of must be a date"),
    ],
)
def test_bad_arguments_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        load(*args)
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_default_dataset_reproduces_the_article():
    """The one slow test: the default scale, where the article's figures hold."""
    load()
    figures = seed_figures()
    assert figures["batches"] == 8
    assert 950 <= figures["pilot_companies"] <= 1000
    assert 4800 <= figures["companies_above_size"] <= 5200
    assert figures["companies_total"] > figures["companies_above_size"]
    assert figures["ims_projects"] == {"count": 483, "investment_rmb": 1_800_000_000}
    assert figures["demo_projects"] == {"count": 64, "investment_rmb": 2_100_000_000}
    assert figures["robots_added"]["2019"] > 2000
    comparison = figures["transformed_vs_rest"]
    assert comparison["year"] == 2019
    assert comparison["productivity_gap_pct"] > 30
    assert comparison["unskilled_change_pct"] < -18
    assert comparison["added_value_change_pct"] > 20
    assert comparison["profit_change_pct"] > 15
    assert figures["smart_practice_share_pct"] > 90
    assert figures["ims_certified_companies"] > 0
    # The README's figures, which `make run` (no --as-of: the fixed default) shows everyone.
    assert (figures["pilot_companies"], figures["companies_above_size"]) == (993, 5010)
    assert figures["robots_added"]["2019"] == 2546
    assert comparison["cohort_companies"] == 370
    assert comparison["not_applicable"] == {}
    # As the dashboard shows them (its `pct` filter).
    shown = [
        pct(comparison[key])
        for key in (
            "productivity_gap_pct",
            "unskilled_change_pct",
            "added_value_change_pct",
            "profit_change_pct",
        )
    ]
    assert shown == ["+33.4%", "-24.2%", "+27.4%", "+23.8%"]
    assert round(figures["smart_practice_share_pct"], 1) == 94.2
