"""factory_boy factories for every domain model. Reference rows (regions, industries, key
industries) come from the data migrations, so factories pick existing ones."""

import datetime
import random

import factory
from django.contrib.auth import get_user_model

from companies.choices import CertificationLevel, CertificationStatus
from companies.models import (
    AnnualData,
    Certification,
    Company,
    DemonstrationBatch,
    Designation,
    Industry,
    MaturityAssessment,
    Membership,
    Region,
    SurveillanceAudit,
)
from companies.models.programme import IMS_GRADED_FROM, add_years
from companies.validators import CREDIT_CODE_ALPHABET, credit_code_check_char
from core.roles import Role
from projects.choices import ProjectKind, ProjectLevel, ProjectStatus
from projects.models import KeyProject, ProgressReport

_rng = random.Random(20191231)


def make_credit_code(rng: random.Random = _rng) -> str:
    """A random but valid unified social credit code (GB 32100-2015 check digit)."""
    body = "91" + "330700" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    return body + credit_code_check_char(body)


def region(code: str = "330784") -> Region:
    return Region.objects.get(code=code)


def industry(code: str = "34") -> Industry:
    return Industry.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    credit_code = factory.LazyFunction(make_credit_code)
    name = factory.Sequence(lambda n: f"金华测试企业{n}有限公司")
    region = factory.LazyFunction(region)
    industry = factory.LazyFunction(industry)
    founded_on = datetime.date(2005, 6, 1)
    above_size = True
    land_area_mu = 50
    rated = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.CITY


def make_user(role: str | None, *, region=None, company=None, username=None):
    """A user of the given role (None: an authenticated user with no role at all)."""
    kwargs = {"username": username} if username else {}
    if role == Role.ADMIN:
        return UserFactory(is_superuser=True, is_staff=True, **kwargs)
    user = UserFactory(is_staff=role in (Role.CITY, Role.COUNTY), **kwargs)
    if role is not None:
        Membership.objects.create(user=user, role=role, region=region, company=company)
    return user


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemonstrationBatch
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n + 1)
    # Batch 1 is 2012; the sequence runs on across the whole session, so wrap the year
    # to stay inside the 2000–2100 check constraint.
    year = factory.LazyAttribute(lambda o: 2012 + (o.number - 1) % 80)
    title = factory.LazyAttribute(lambda o: f"第{o.number}批智能制造示范企业")


class DesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Designation

    company = factory.SubFactory(CompanyFactory)
    batch = factory.SubFactory(BatchFactory)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    company = factory.SubFactory(CompanyFactory)
    # AA where the graded scheme applies; passed without a grade before it (issue 12).
    level = factory.LazyAttribute(
        lambda o: (
            CertificationLevel.AA
            if o.issued_on is None or o.issued_on >= IMS_GRADED_FROM
            else CertificationLevel.NONE
        )
    )
    certificate_no = factory.Sequence(lambda n: f"IMS-2019-{n:05d}")
    issuing_body = "中国电子技术标准化研究院"
    issued_on = datetime.date(2018, 5, 1)
    status = CertificationStatus.CERTIFIED


class SurveillanceAuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveillanceAudit

    certification = factory.SubFactory(CertificationFactory)
    audited_on = factory.LazyAttribute(
        lambda o: add_years(o.certification.issued_on or datetime.date(2019, 5, 1), 1)
    )
    auditor = "中国电子技术标准化研究院"


class MaturityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaturityAssessment

    company = factory.SubFactory(CompanyFactory)
    level = 2
    assessed_on = datetime.date(2019, 6, 1)


class AnnualDataFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualData

    company = factory.SubFactory(CompanyFactory)
    year = 2019
    main_revenue = 20000
    industrial_output = 21000
    added_value = 5000
    total_profit = 1500
    tax_paid = 800
    avg_employees = 200
    unskilled_workers = 80
    energy_use_tce = 1000
    emissions = 50
    rd_expense = 600
    electricity = 900
    robots_in_service = 10
    robots_added = 2


class KeyProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyProject

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"数字化车间项目{n}")
    kind = ProjectKind.DIGITAL_WORKSHOP
    level = ProjectLevel.CITY
    planned_investment = 1000
    planned_start = datetime.date(2019, 1, 1)
    planned_completion = datetime.date(2019, 12, 31)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    # Only a project under way takes progress reports (projects.workflow.takes_progress_reports).
    project = factory.SubFactory(KeyProjectFactory, status=ProjectStatus.IN_PROGRESS)
    year = 2019
    quarter = 2
    percent_complete = 50
