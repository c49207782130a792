"""Issue 12, item 5: a certificate's displayed state, surveillance audits and the
suspension a missed one brings, IMS grades by the standard in force, the kind of a maturity
assessment, demonstration batches' level and document number."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from companies.choices import (
    AssessmentKind,
    AuditResult,
    BatchLevel,
    CertificateState,
    CertificationLevel,
    CertificationStatus,
)
from companies.models import Certification, DemonstrationBatch, SurveillanceAudit
from companies.models.programme import IMS_GRADED_FROM, SURVEILLANCE_GRACE_DAYS
from companies.services import certifications_suspend_missed_audits
from rankings.models import DirtyYear
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    MaturityFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def audits_checked(settings):
    settings.IMS_AUDITS_CHECKED_FROM = D(2015, 1, 1)


def certificate(**fields):
    defaults = {"issued_on": D(2020, 5, 1), "level": CertificationLevel.A}
    return CertificationFactory(**{**defaults, **fields})


def audit(cert, day, result=AuditResult.PASSED):
    return SurveillanceAudit.objects.create(certification=cert, audited_on=day, result=result)


# --- the displayed state -------------------------------------------------------------------


def test_a_certified_certificate_past_its_expiry_shows_expired_never_valid():
    cert = certificate(issued_on=D(2015, 5, 1), level="")
    assert cert.status == CertificationStatus.CERTIFIED
    assert cert.state == CertificateState.EXPIRED
    assert cert.state_display == "Expired"
    assert cert.state_on(D(2016, 1, 1)) == CertificateState.VALID
    assert cert.state_on(D(2015, 1, 1)) == CertificateState.NOT_YET_VALID


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (CertificationStatus.SUSPENDED, CertificateState.SUSPENDED),
        (CertificationStatus.REVOKED, CertificateState.REVOKED),
        (CertificationStatus.ADOPTING, CertificateState.ADOPTING),
        (CertificationStatus.APPLIED, CertificateState.APPLIED),
    ],
)
def test_the_status_shows_through_while_the_dates_allow(status, state):
    cert = certificate(status=status)
    assert cert.state_on(D(2021, 1, 1)) == state


def test_pages_and_api_show_the_displayed_state(client, django_user_model):
    from tests.factories import UserFactory

    cert = certificate(issued_on=D(2015, 5, 1), level="")
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    page = client.get(f"/en/companies/{cert.company_id}/")
    assert page.status_code == 200
    row = page.content.decode().split(cert.certificate_no)[1].split("</tr>")[0]
    assert "Expired" in row and "Certified" not in row and ">Valid<" not in row
    data = client.get(f"/api/v1/certifications/{cert.pk}/").json()
    assert data["state"] == "expired"
    assert data["status"] == "certified"


# --- IMS grades follow the standard in force at the issue date ------------------------------


def test_a_grade_before_the_graded_scheme_is_refused_naming_the_field():
    cert = Certification(
        company=CompanyFactory(),
        issued_on=IMS_GRADED_FROM - datetime.timedelta(days=1),
        level=CertificationLevel.AA,
        status=CertificationStatus.CERTIFIED,
    )
    with pytest.raises(ValidationError) as error:
        cert.full_clean()
    assert "level" in error.value.message_dict
    assert "passed without a grade" in error.value.message_dict["level"][0]
    cert.level = CertificationLevel.NONE
    cert.full_clean()
    assert cert.get_level_display() == "Passed (no grade)"


def test_a_grade_from_the_graded_scheme_on_is_accepted():
    cert = Certification(
        company=CompanyFactory(),
        issued_on=IMS_GRADED_FROM,
        level=CertificationLevel.AAA,
        status=CertificationStatus.CERTIFIED,
    )
    cert.full_clean()


def test_the_api_refuses_a_grade_before_the_scheme(client):
    from tests.factories import UserFactory

    company = CompanyFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        "/api/v1/certifications/",
        {
            "company": company.pk,
            "level": "AA",
            "issued_on": "2018-05-01",
            "status": "certified",
            "certificate_no": "X-1",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "level" in response.json()
    assert not Certification.objects.exists()


# --- surveillance audits ---------------------------------------------------------------------


def test_a_missed_audit_is_the_first_anniversary_without_a_passed_one(audits_checked):
    cert = certificate(issued_on=D(2020, 5, 1))
    grace = datetime.timedelta(days=SURVEILLANCE_GRACE_DAYS)
    # Until the first anniversary's deadline has passed, nothing is missed.
    assert cert.audit_missed_on(D(2021, 5, 1) + grace) is None
    assert cert.audit_missed_on(D(2021, 5, 2) + grace) == D(2021, 5, 1)
    assert cert.state_on(D(2021, 9, 1)) == CertificateState.SUSPENDED_AUDIT
    # A failed audit is no audit; a passed one within the window is.
    audit(cert, D(2021, 4, 20), AuditResult.FAILED)
    assert cert.audit_missed_on(D(2021, 9, 1)) == D(2021, 5, 1)
    audit(cert, D(2021, 7, 25))  # within the grace
    assert cert.audit_missed_on(D(2021, 9, 1)) is None
    assert cert.state_on(D(2021, 9, 1)) == CertificateState.VALID
    # The second anniversary needs its own audit: the first does not count twice.
    assert cert.audit_missed_on(D(2022, 9, 1)) == D(2022, 5, 1)
    audit(cert, D(2022, 4, 1))
    assert cert.audit_missed_on(D(2023, 4, 30)) is None


def test_anniversaries_before_audits_were_recorded_are_not_checked(settings):
    settings.IMS_AUDITS_CHECKED_FROM = D(2022, 1, 1)
    cert = certificate(issued_on=D(2020, 5, 1))
    assert cert.audit_missed_on(D(2021, 12, 31)) is None
    assert cert.audit_missed_on(D(2022, 9, 1)) == D(2022, 5, 1)


def test_an_audit_before_the_issue_is_refused():
    cert = certificate(issued_on=D(2020, 5, 1))
    with pytest.raises(ValidationError) as error:
        SurveillanceAudit(certification=cert, audited_on=D(2020, 4, 1)).full_clean()
    assert "audited_on" in error.value.message_dict


def test_the_service_suspends_a_certificate_that_missed_its_audit_and_marks_years_stale(
    audits_checked,
):
    cert = certificate(issued_on=D(2020, 5, 1))
    kept = certificate(issued_on=D(2020, 6, 1))
    audit(kept, D(2021, 6, 1))
    AnnualDataFactory(company=cert.company, year=2020)
    AnnualDataFactory(company=cert.company, year=2021)
    DirtyYear.objects.all().delete()
    suspended = certifications_suspend_missed_audits(day=D(2021, 10, 1))
    assert suspended == [cert.pk]
    cert.refresh_from_db()
    kept.refresh_from_db()
    assert cert.status == CertificationStatus.SUSPENDED
    assert kept.status == CertificationStatus.CERTIFIED
    assert cert.state_on(D(2021, 10, 1)) == CertificateState.SUSPENDED_AUDIT
    # The ranking input sees it: the years the certificate counted in are stale.
    assert set(DirtyYear.objects.values_list("year", flat=True)) >= {2020, 2021}
    # Run again: nothing more to do.
    assert certifications_suspend_missed_audits(day=D(2021, 10, 1)) == []


def test_audits_are_recorded_through_the_api(client):
    from tests.factories import UserFactory

    cert = certificate()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        "/api/v1/surveillance-audits/",
        {"certification": cert.pk, "audited_on": "2021-05-03", "result": "passed"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert cert.audits.get().audited_on == D(2021, 5, 3)
    bad = client.post(
        "/api/v1/surveillance-audits/",
        {"certification": cert.pk, "audited_on": "2019-05-03", "result": "passed"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "audited_on" in bad.json()


# --- maturity assessments and batches --------------------------------------------------------


def test_a_maturity_assessment_records_its_kind_third_party_by_default():
    assessment = MaturityFactory()
    assert assessment.kind == AssessmentKind.THIRD_PARTY
    assessment.kind = AssessmentKind.SELF_DIAGNOSIS
    assessment.full_clean()
    assert assessment.get_kind_display() == "Self-diagnosis"


def test_a_batch_carries_its_level_document_number_and_year():
    batch = BatchFactory(number=3, year=2014)
    assert batch.level == BatchLevel.CITY
    batch.level = BatchLevel.PROVINCE
    batch.document_no = "浙经信技术〔2014〕123号"
    batch.announced_on = D(2014, 7, 1)
    batch.full_clean()
    batch.announced_on = D(2015, 1, 5)
    with pytest.raises(ValidationError) as error:
        batch.full_clean()
    assert "announced_on" in error.value.message_dict


def test_the_batch_api_reads_and_writes_level_and_document_number(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        "/api/v1/batches/",
        {
            "number": 9,
            "year": 2020,
            "level": "province",
            "document_no": "浙经信技术〔2020〕12号",
            "title": "第九批",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    batch = DemonstrationBatch.objects.get(number=9)
    assert (batch.level, batch.document_no) == ("province", "浙经信技术〔2020〕12号")


# --- being a pilot is a designation with a date -----------------------------------------------


def test_a_pilot_designation_date_makes_the_company_a_pilot_of_that_year():
    company = CompanyFactory(is_pilot=False, pilot_year=None)
    company.pilot_designated_on = D(2017, 6, 8)
    company.full_clean()
    company.save()
    company.refresh_from_db()
    assert (company.is_pilot, company.pilot_year) == (True, 2017)


def test_a_pilot_year_contradicting_the_designation_date_is_refused():
    company = CompanyFactory()
    company.pilot_designated_on = D(2017, 6, 8)
    company.pilot_year = 2016
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert "pilot_year" in error.value.message_dict
    company.pilot_year = None
    company.pilot_designated_on = D.today() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert "pilot_designated_on" in error.value.message_dict


def test_the_api_takes_the_designation_date_and_derives_the_flag(client):
    from tests.factories import UserFactory

    company = CompanyFactory(is_pilot=False, pilot_year=None)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.patch(
        f"/api/v1/companies/{company.pk}/",
        {"pilot_designated_on": "2018-04-02", "version": company.version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["is_pilot"] is True
    assert response.json()["pilot_year"] == 2018


def test_the_admin_lists_the_displayed_state_and_records_audits(client):
    from django.urls import reverse

    from tests.factories import UserFactory

    cert = certificate(issued_on=D(2015, 5, 1), level="")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    client.cookies["django_language"] = "en"
    listing = client.get(reverse("admin:companies_certification_changelist"))
    assert listing.status_code == 200
    assert "Expired" in listing.content.decode()
    change = client.get(reverse("admin:companies_certification_change", args=[cert.pk]))
    assert change.status_code == 200
    assert "surveillance audit" in change.content.decode().lower()
    audits = client.get(reverse("admin:companies_surveillanceaudit_changelist"))
    assert audits.status_code == 200
