"""Every role against every scoped model: what `visible_to` and `editable_by` return, and
that writes outside a user's scope are refused and change nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from companies.models import (
    AnnualData,
    Certification,
    Company,
    Designation,
    MaturityAssessment,
)
from core.services import record_delete, record_save
from projects.choices import ProjectStatus
from projects.models import KeyProject, ProgressReport, ProjectStatusChange
from projects.services import project_transition
from tests.factories import (
    AnnualDataFactory,
    CertificationFactory,
    CompanyFactory,
    DesignationFactory,
    KeyProjectFactory,
    MaturityFactory,
    ProgressReportFactory,
    region,
)

ROLES = ["admin", "city", "county", "company", "norole", "anonymous"]
MODELS = [
    Company,
    Designation,
    Certification,
    MaturityAssessment,
    AnnualData,
    KeyProject,
    ProjectStatusChange,
    ProgressReport,
]
# Which of the two rows (one per region) each role sees and may change.
SEES = {
    "admin": {"own", "other"},
    "city": {"own", "other"},
    "county": {"own"},
    "company": {"own"},
    "norole": set(),
    "anonymous": set(),
}
CHANGES = {
    "admin": {"own", "other"},
    "city": {"own", "other"},
    "county": {"own"},
    "company": set(),
    "norole": set(),
    "anonymous": set(),
}
# A harmless, valid edit per model, used to try writes.
EDITS = {
    Company: ("name", "改名后的企业"),
    Designation: ("revoked_reason", "edited"),
    Certification: ("issuing_body", "edited body"),
    MaturityAssessment: ("assessor", "edited assessor"),
    AnnualData: ("tax_paid", Decimal("999.00")),
    KeyProject: ("name", "edited project"),
    ProjectStatusChange: ("comment", "edited comment"),
    ProgressReport: ("note", "edited note"),
}


def _row_for(model, company):
    if model is Company:
        return company
    if model is Designation:
        return DesignationFactory(company=company)
    if model is Certification:
        return CertificationFactory(company=company)
    if model is MaturityAssessment:
        return MaturityFactory(company=company)
    if model is AnnualData:
        return AnnualDataFactory(company=company)
    if model is KeyProject:
        return KeyProjectFactory(company=company)
    if model is ProjectStatusChange:
        project = KeyProjectFactory(company=company)
        project_transition(project=project, to_status=ProjectStatus.COUNTY_REVIEWED, user=None)
        return project.status_changes.get()
    if model is ProgressReport:
        return ProgressReportFactory(project=KeyProjectFactory(company=company))
    raise AssertionError(model)


@pytest.fixture
def rows(world, model):
    """One row of the model under test in Yongkang ("own") and one in Yiwu ("other"), and
    nothing else of that model."""
    return {"own": _row_for(model, world["own"]), "other": _row_for(model, world["other"])}


def _user(world, role):
    return AnonymousUser() if role == "anonymous" else world["users"][role]


def _snapshot(obj):
    return type(obj)._default_manager.filter(pk=obj.pk).values().get()


def _pks(rows, which):
    return {rows[name].pk for name in which}


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("role", ROLES)
def test_visible_to_returns_exactly_the_rows_of_the_role(world, rows, role, model):
    visible = set(model.objects.visible_to(_user(world, role)).values_list("pk", flat=True))
    assert visible == _pks(rows, SEES[role])


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("role", ROLES)
def test_editable_by_returns_exactly_the_rows_of_the_role(world, rows, role, model):
    editable = set(model.objects.editable_by(_user(world, role)).values_list("pk", flat=True))
    assert editable == _pks(rows, CHANGES[role])


def _refused_cases():
    for role in ROLES:
        for which in ("own", "other"):
            if which not in CHANGES[role]:
                yield role, which


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize(("role", "which"), list(_refused_cases()))
def test_record_save_outside_scope_is_refused_and_changes_nothing(world, rows, role, which, model):
    obj = rows[which]
    before = _snapshot(obj)
    field, value = EDITS[model]
    setattr(obj, field, value)
    with pytest.raises(PermissionDenied):
        record_save(instance=obj, user=_user(world, role))
    assert _snapshot(obj) == before


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize(("role", "which"), list(_refused_cases()))
def test_record_delete_outside_scope_is_refused_and_changes_nothing(
    world, rows, role, which, model
):
    obj = rows[which]
    counts = {m: m.objects.count() for m in MODELS}
    with pytest.raises(PermissionDenied):
        record_delete(instance=obj, user=_user(world, role))
    assert {m: m.objects.count() for m in MODELS} == counts


def _allowed_cases():
    for role in ROLES:
        for which in sorted(CHANGES[role]):
            yield role, which


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [m for m in MODELS if m is not ProjectStatusChange], ids=lambda m: m.__name__
)
@pytest.mark.parametrize(("role", "which"), list(_allowed_cases()))
def test_record_save_inside_scope_saves_and_stamps_the_author(world, rows, role, which, model):
    obj = rows[which]
    user = _user(world, role)
    field, value = EDITS[model]
    setattr(obj, field, value)
    record_save(instance=obj, user=user)
    obj.refresh_from_db()
    assert getattr(obj, field) == value
    assert obj.updated_by == user
    assert obj.version == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("city", True),
        ("county", False),
        ("company", False),
        ("norole", False),
        ("anonymous", False),
    ],
)
def test_new_records_for_another_regions_company_only_by_city_wide_roles(world, role, allowed):
    record = AnnualData(company=world["other"], year=2018, main_revenue=100, tax_paid=10)
    if allowed:
        record_save(instance=record, user=_user(world, role))
        assert AnnualData.objects.filter(company=world["other"], year=2018).exists()
    else:
        with pytest.raises(PermissionDenied):
            record_save(instance=record, user=_user(world, role))
        assert not AnnualData.objects.filter(company=world["other"], year=2018).exists()


@pytest.mark.django_db
def test_county_staff_add_records_for_companies_of_their_region(world):
    county = world["users"]["county"]
    row = AnnualData(company=world["own"], year=2018, main_revenue=100)
    record = record_save(instance=row, user=county)
    assert record.created_by == county and record.updated_by == county


@pytest.mark.django_db
def test_county_staff_cannot_move_their_company_to_another_region(world, yiwu):
    company = world["own"]
    company.region = yiwu
    with pytest.raises(PermissionDenied):
        record_save(instance=company, user=world["users"]["county"])
    company.refresh_from_db()
    assert company.region.code == "330784"


@pytest.mark.django_db
def test_county_staff_cannot_take_over_another_regions_company(world, yongkang):
    company = world["other"]
    company.region = yongkang
    with pytest.raises(PermissionDenied):
        record_save(instance=company, user=world["users"]["county"])
    company.refresh_from_db()
    assert company.region.code == "330782"


@pytest.mark.django_db
def test_county_staff_cannot_create_a_company_in_another_region(world, yiwu):
    new = CompanyFactory.build(region=yiwu)
    with pytest.raises(PermissionDenied):
        record_save(instance=new, user=world["users"]["county"])
    assert not Company.objects.filter(credit_code=new.credit_code).exists()


@pytest.mark.django_db
def test_city_staff_may_move_a_company_between_regions(world):
    company = world["own"]
    company.region = region("330782")
    record_save(instance=company, user=world["users"]["city"])
    company.refresh_from_db()
    assert company.region.code == "330782"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "which"),
    [
        ("county", "other"),
        ("company", "own"),
        ("company", "other"),
        ("norole", "own"),
        ("anonymous", "own"),
    ],
)
def test_project_transition_outside_scope_is_refused(world, role, which):
    project = KeyProjectFactory(company=world[which])
    with pytest.raises(PermissionDenied):
        project_transition(
            project=project, to_status=ProjectStatus.COUNTY_REVIEWED, user=_user(world, role)
        )
    project.refresh_from_db()
    assert project.status == ProjectStatus.DECLARED
    assert not project.status_changes.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "which"), [("county", "own"), ("admin", "other")])
def test_project_transition_inside_scope_moves(world, role, which):
    project = KeyProjectFactory(company=world[which])
    project_transition(
        project=project, to_status=ProjectStatus.COUNTY_REVIEWED, user=_user(world, role)
    )
    assert project.status == ProjectStatus.COUNTY_REVIEWED
    assert project.status_changes.get().changed_by == world["users"][role]
