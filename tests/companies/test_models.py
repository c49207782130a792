"""Every database constraint of the companies app: the database refuses a bad row even when
validation is bypassed, and full_clean explains the problem naming the field."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from companies.models import (
    AnnualData,
    Certification,
    Company,
    DemonstrationBatch,
    Designation,
    MaturityAssessment,
    Membership,
)
from companies.models.annual import NON_NEGATIVE_FIELDS
from companies.validators import validate_credit_code
from tests.factories import (
    AnnualDataFactory,
    BatchFactory,
    CertificationFactory,
    CompanyFactory,
    DesignationFactory,
    MaturityFactory,
    UserFactory,
    industry,
    make_credit_code,
    region,
)


@pytest.fixture(autouse=True)
def _english_messages():
    # The assertions below read the English msgids; the default language is Chinese.
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def refused_by_database(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def clean_errors(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as err:
        obj.full_clean()
    return err.value.message_dict


# --- Company -------------------------------------------------------------------------------


def test_credit_code_is_unique():
    first = CompanyFactory()
    duplicate = Company(
        credit_code=first.credit_code, name="重复", region=region(), industry=industry()
    )
    assert "credit_code" in clean_errors(duplicate)
    refused_by_database(lambda: Company.objects.bulk_create([duplicate]))
    assert Company.objects.count() == 1


def test_credit_code_check_digit_is_enforced_with_a_message_naming_the_field():
    code = make_credit_code()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    company = Company(credit_code=wrong, name="校验位错误", region=region(), industry=industry())
    errors = clean_errors(company)
    assert "check digit" in " ".join(errors["credit_code"])
    assert f"expected {code[17]}" in " ".join(errors["credit_code"])


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91330700MA28", "18 characters"),
        ("91330700MA2800000I", "not allowed"),
        ("91330700MA2800000O", "not allowed"),
    ],
)
def test_credit_code_length_and_alphabet(code, problem):
    with pytest.raises(ValidationError) as err:
        validate_credit_code(code)
    assert problem in err.value.messages[0]


def test_a_valid_code_in_lower_case_is_accepted_and_stored_upper_case():
    code = make_credit_code()
    company = Company(
        credit_code=code.lower(), name="小写代码", region=region(), industry=industry()
    )
    company.full_clean()
    company.save()
    company.refresh_from_db()
    assert company.credit_code == code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110108551385082Q", "91330000142916567N"])
def test_published_codes_pass(code):
    # Codes printed on real business licences (and the standard's worked example).
    validate_credit_code(code)


def test_land_area_cannot_be_negative():
    company = CompanyFactory()
    company.land_area_mu = Decimal("-1")
    assert "land_area_mu" in clean_errors(company)
    refused_by_database(lambda: Company.objects.filter(pk=company.pk).update(land_area_mu=-1))


@pytest.mark.parametrize("year", [1999, 2101])
def test_pilot_year_range(year):
    company = CompanyFactory()
    company.pilot_year = year
    assert "between 2000 and 2100" in " ".join(clean_errors(company)["__all__"])
    refused_by_database(lambda: Company.objects.filter(pk=company.pk).update(pilot_year=year))


# --- Annual data ---------------------------------------------------------------------------


def test_one_row_per_company_and_year():
    first = AnnualDataFactory()
    duplicate = AnnualData(company=first.company, year=first.year)
    assert "already has data for this year" in " ".join(clean_errors(duplicate)["__all__"])
    refused_by_database(lambda: AnnualData.objects.bulk_create([duplicate]))
    assert AnnualData.objects.count() == 1


@pytest.mark.parametrize("field", NON_NEGATIVE_FIELDS)
def test_money_and_counts_cannot_be_negative(field):
    row = AnnualDataFactory()
    setattr(row, field, -1)
    assert field in clean_errors(row)
    refused_by_database(lambda: AnnualData.objects.filter(pk=row.pk).update(**{field: -1}))
    row.refresh_from_db()
    assert getattr(row, field) is None or getattr(row, field) >= 0  # land of the year: empty


def test_profit_may_be_negative():
    row = AnnualDataFactory(total_profit=Decimal("-250.50"))
    row.full_clean()
    AnnualData.objects.filter(pk=row.pk).update(total_profit=Decimal("-999.99"))
    row.refresh_from_db()
    assert row.total_profit == Decimal("-999.99")


def test_empty_figures_stay_undefined():
    company = CompanyFactory(above_size=False)  # 规上 rows must report their revenue
    row = AnnualData(company=company, year=2019)
    row.full_clean()
    row.save()
    row.refresh_from_db()
    assert row.tax_paid is None and row.avg_employees is None


@pytest.mark.parametrize("year", [1999, 2101])
def test_annual_data_year_range(year):
    row = AnnualData(company=CompanyFactory(), year=year)
    assert "between 2000 and" in " ".join(clean_errors(row)["year"])
    refused_by_database(lambda: AnnualData.objects.bulk_create([row]))


# --- Demonstration batches and designations ------------------------------------------------


def test_one_designation_per_company_and_batch():
    first = DesignationFactory()
    duplicate = Designation(company=first.company, batch=first.batch)
    assert "already in this batch" in " ".join(clean_errors(duplicate)["__all__"])
    refused_by_database(lambda: Designation.objects.bulk_create([duplicate]))


def test_batch_number_starts_at_one_and_year_in_range():
    batch = BatchFactory(number=1)
    refused_by_database(lambda: DemonstrationBatch.objects.filter(pk=batch.pk).update(number=0))
    refused_by_database(lambda: DemonstrationBatch.objects.filter(pk=batch.pk).update(year=1990))
    batch.year = 1990
    assert "between 2000 and 2100" in " ".join(clean_errors(batch)["__all__"])


# --- IMS certifications --------------------------------------------------------------------


def test_expiry_defaults_to_three_years_after_issue():
    cert = CertificationFactory(issued_on=datetime.date(2018, 5, 1), expires_on=None)
    assert cert.expires_on == datetime.date(2021, 5, 1)
    leap = CertificationFactory(issued_on=datetime.date(2020, 2, 29), expires_on=None)
    assert leap.expires_on == datetime.date(2023, 2, 28)


@pytest.mark.parametrize("expires_on", [datetime.date(2018, 5, 1), datetime.date(2018, 4, 30)])
def test_expiry_must_come_after_issue(expires_on):
    cert = CertificationFactory(issued_on=datetime.date(2018, 5, 1))
    cert.expires_on = expires_on
    assert "expiry date must come after the issue date" in " ".join(clean_errors(cert)["__all__"])
    refused_by_database(
        lambda: Certification.objects.filter(pk=cert.pk).update(expires_on=expires_on)
    )


def test_certificate_number_is_unique_when_present():
    first = CertificationFactory(certificate_no="IMS-2019-00001")
    duplicate = Certification(company=first.company, certificate_no="IMS-2019-00001")
    assert "already has this number" in " ".join(clean_errors(duplicate)["__all__"])
    refused_by_database(lambda: Certification.objects.bulk_create([duplicate]))
    # Older certificates without a number may be many.
    for _ in range(2):
        blank = Certification(company=first.company, certificate_no="")
        blank.full_clean()
        blank.save()
    assert Certification.objects.filter(certificate_no="").count() == 2


def test_a_certified_assessment_needs_an_issue_date():
    cert = Certification(company=CompanyFactory(), status="certified", issued_on=None)
    assert "issued_on" in clean_errors(cert)


# --- Maturity assessments ------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 6])
def test_maturity_level_lies_between_one_and_five(level):
    assessment = MaturityFactory()
    assessment.level = level
    assert "level" in clean_errors(assessment)
    refused_by_database(
        lambda: MaturityAssessment.objects.filter(pk=assessment.pk).update(level=level)
    )


# --- Memberships ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "binding"),
    [
        ("county", {}),
        ("county", {"company": True}),
        ("company", {}),
        ("company", {"region": True}),
        ("city", {"region": True}),
        ("admin", {"company": True}),
    ],
)
def test_membership_binding_matches_role(role, binding):
    company = CompanyFactory()
    membership = Membership(
        user=UserFactory(),
        role=role,
        region=company.region if binding.get("region") else None,
        company=company if binding.get("company") else None,
    )
    assert "County staff need a region" in " ".join(clean_errors(membership)["__all__"])
    refused_by_database(lambda: Membership.objects.bulk_create([membership]))


@pytest.mark.parametrize(
    ("role", "binding"),
    [("county", "region"), ("company", "company"), ("city", None), ("admin", None)],
)
def test_membership_with_the_right_binding_is_accepted(role, binding):
    company = CompanyFactory()
    membership = Membership(
        user=UserFactory(),
        role=role,
        region=company.region if binding == "region" else None,
        company=company if binding == "company" else None,
    )
    membership.full_clean()
    membership.save()
