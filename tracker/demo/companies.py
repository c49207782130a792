"""Company rows and the programme records hanging off them: designations, IMS
certifications and maturity assessments."""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from companies.choices import AssessmentKind, AuditResult, CertificationLevel, CertificationStatus
from companies.models import (
    Certification,
    Company,
    DemonstrationBatch,
    Designation,
    Industry,
    KeyIndustry,
    MaturityAssessment,
    Region,
    SurveillanceAudit,
)
from companies.models.programme import IMS_GRADED_FROM, SURVEILLANCE_GRACE_DAYS, add_years
from tracker.demo import names, profile
from tracker.demo.plan import CompanyPlan, weighted_pick

ISSUING_BODIES = (
    "中国电子技术标准化研究院",
    "中国船级社质量认证有限公司",
    "中国质量认证中心",
    "华信咨询设计研究院有限公司",
    "浙江省电子信息产品检验研究院",
)
ASSESSORS = (
    "中国电子技术标准化研究院",
    "浙江省智能制造专家委员会",
    "浙江省经济和信息化研究院",
    "金华市智能制造促进中心",
)
REVOCATION_REASONS = ("复评未通过", "发生重大安全生产事故", "企业主动退出", "迁出本市")
CERT_STATUS_WEIGHTS = {
    CertificationStatus.ADOPTING: 25,
    CertificationStatus.APPLIED: 15,
    CertificationStatus.CERTIFIED: 50,
    CertificationStatus.SUSPENDED: 6,
    CertificationStatus.REVOKED: 4,
}
LEVEL_WEIGHTS = {CertificationLevel.A: 60, CertificationLevel.AA: 30, CertificationLevel.AAA: 10}
MATURITY_WEIGHTS_PILOT = (20, 35, 28, 13, 4)
MATURITY_WEIGHTS_OTHER = (50, 30, 13, 5, 2)


@dataclass
class Lookups:
    """Reference rows by code, fetched once per load."""

    regions: dict[str, Region]
    industries: dict[str, Industry]
    key_industries: dict[str, KeyIndustry]
    batches: dict[int, DemonstrationBatch]

    @classmethod
    def fetch(cls, batches: dict[int, DemonstrationBatch]) -> Lookups:
        return cls(
            regions={r.code: r for r in Region.objects.all()},
            industries={i.code: i for i in Industry.objects.all()},
            key_industries={k.code: k for k in KeyIndustry.objects.all()},
            batches=batches,
        )


@dataclass
class Draft:
    """One company while its chunk is being built: its plan, the traits the other builders
    share (size, robot use, whether it is transformed) and the saved row."""

    plan: CompanyPlan
    revenue_2019: float
    robot_user: bool
    company: Company | None = None
    transformed: bool = False
    ims_accepted_on: datetime.date | None = None


def random_day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def draft_company(rng: random.Random, plan: CompanyPlan) -> Draft:
    return Draft(
        plan=plan,
        revenue_2019=plan.revenue_2019,
        robot_user=plan.robot_user,
        transformed=plan.transformed,
    )


def build_company(
    rng: random.Random, draft: Draft, *, seed: int, lookups: Lookups, used_names: set
) -> Company:
    plan = draft.plan
    key_industry = None
    options = profile.KEY_INDUSTRIES_BY_DIVISION.get(plan.division)
    if plan.showcase:
        key_industry = lookups.key_industries.get("vacuum-flasks")
    elif options and rng.random() < profile.KEY_INDUSTRY_SHARE:
        key_industry = lookups.key_industries.get(rng.choice(options))
    # Land from tax paid and a per-mu tax typical of the county (亩均税收, 万元 per mu).
    tax = draft.revenue_2019 * 0.035
    land = round(tax / rng.uniform(6.0, 45.0), 2) if plan.above_size else rng.uniform(2, 15)
    missing_land = not plan.above_size and rng.random() < 0.15
    if not plan.above_size:
        land, missing_land = _small_company_land(seed, plan.index)
    founded_on = datetime.date(plan.founded_year, rng.randint(1, 12), rng.randint(1, 28))
    return Company(
        credit_code=names.credit_code(plan.index, seed, plan.region),
        name=names.unique_company_name(rng, plan.region, plan.division, used_names),
        region=lookups.regions[plan.region],
        industry=lookups.industries[plan.division],
        key_industry=key_industry,
        address="" if rng.random() < 0.03 else names.address(rng, plan.region),
        founded_on=None if rng.random() < 0.02 and not plan.showcase else founded_on,
        above_size=plan.above_size,
        land_area_mu=None if missing_land else Decimal(f"{max(land, 1.0):.2f}"),
        is_pilot=plan.pilot,
        pilot_year=plan.pilot_year,
        # Spread over the year by index, not drawn: the random streams stay as they were.
        pilot_designated_on=(
            datetime.date(plan.pilot_year, 3 + plan.index % 9, 1 + plan.index % 28)
            if plan.pilot_year
            else None
        ),
        # Counties evaluate companies below designated size too (RANKING.md part 2).
        rated=True,
        contact_person="" if rng.random() < 0.05 else names.person_name(rng),
        contact_phone="" if rng.random() < 0.06 else names.mobile_number(rng),
    )


def _small_company_land(seed: int, index: int) -> tuple[float, bool]:
    """Land of a company below designated size (规下): workshops of a few mu, a median of
    about 4.3 mu (lognormal), so that about 70 % reach the 3-mu threshold of the 规下
    evaluation; about one in eight has no land figure on file — about 60 % are rated. Drawn from a stream of
    its own, so every other figure of the demo (and the article's figures) stays as it was."""
    own = random.Random(f"{seed}-small-land-{index}")
    missing = own.random() < 0.13
    return min(own.lognormvariate(math.log(4.3), 0.7), 40.0), missing


def build_designations(rng: random.Random, draft: Draft, lookups: Lookups) -> list[Designation]:
    """Pilots named in a demonstration batch of their pilot year or later."""
    plan = draft.plan
    if not plan.pilot or not (plan.showcase or rng.random() < 0.3):
        return []
    years = [y for y in profile.BATCH_YEARS if y >= (plan.pilot_year or 2012)] or [2019]
    batch = lookups.batches[2016 if plan.showcase else rng.choice(years)]
    revoked = not plan.showcase and rng.random() < 0.04
    return [
        Designation(
            company=draft.company,
            batch=batch,
            designated_on=batch.announced_on,
            active=not revoked,
            revoked_reason=rng.choice(REVOCATION_REASONS) if revoked else "",
        )
    ]


class CertificateNumbers:
    """Certificate numbers, unique across the whole load."""

    def __init__(self):
        self.last = 0

    def next(self, year: int) -> str:
        self.last += 1
        return f"AIITRE-{year}IIIMS{self.last:06d}"


def _certificate(
    rng: random.Random,
    draft: Draft,
    numbers: CertificateNumbers,
    *,
    status: str,
    issued_on: datetime.date | None,
    level: str | None = None,
) -> Certification:
    if issued_on is None:
        return Certification(company=draft.company, status=status)
    if issued_on < IMS_GRADED_FROM:
        level = CertificationLevel.NONE  # passed (达标): the graded scheme came later
    elif level is None:
        level = weighted_pick(rng, LEVEL_WEIGHTS)
    return Certification(
        company=draft.company,
        standard="GB/T 23001-2017" if issued_on.year >= 2018 else "GB/T 23001-2013",
        level=level,
        certificate_no=numbers.next(issued_on.year),
        issuing_body=rng.choice(ISSUING_BODIES),
        issued_on=issued_on,
        status=status,
    )


def build_certifications(
    rng: random.Random, draft: Draft, numbers: CertificateNumbers, *, as_of: datetime.date
) -> list[Certification]:
    """IMS assessments: most companies with a counted IMS project hold a certificate issued
    around its acceptance; some other pilots and a few others are at some stage of one."""
    plan = draft.plan
    if not plan.practising:
        return []
    if plan.showcase:
        # An early certificate, then one from 2019 renewed every three years up to `as_of`
        # (AA once grades exist), so the portal shows a lapsed one and a current one.
        certificates = [
            _certificate(
                rng,
                draft,
                numbers,
                status=CertificationStatus.CERTIFIED,
                issued_on=datetime.date(2015, 11, 20),
                level=CertificationLevel.NONE,
            )
        ]
        issued = datetime.date(2019, 5, 16)
        while issued <= as_of:
            certificates.append(
                _certificate(
                    rng,
                    draft,
                    numbers,
                    status=CertificationStatus.CERTIFIED,
                    issued_on=issued,
                    level=CertificationLevel.AA if issued >= IMS_GRADED_FROM else None,
                )
            )
            issued = add_years(issued, 3)
        return certificates
    if draft.ims_accepted_on is not None and rng.random() < 0.9:
        issued = draft.ims_accepted_on + datetime.timedelta(days=rng.randint(20, 150))
        status = CertificationStatus.CERTIFIED
        if rng.random() < 0.05:
            status = rng.choice((CertificationStatus.SUSPENDED, CertificationStatus.REVOKED))
        return [_certificate(rng, draft, numbers, status=status, issued_on=issued)]
    chance = 0.25 if plan.pilot else (0.05 if plan.above_size else 0.01)
    if rng.random() >= chance:
        return []
    status = weighted_pick(rng, CERT_STATUS_WEIGHTS)
    issued = None
    if status not in (CertificationStatus.ADOPTING, CertificationStatus.APPLIED):
        issued = random_day(rng, datetime.date(2015, 1, 1), datetime.date(2020, 3, 31))
    return [_certificate(rng, draft, numbers, status=status, issued_on=issued)]


def build_maturity(rng: random.Random, draft: Draft) -> list[MaturityAssessment]:
    """GB/T 39116 assessments, skewed to the low levels. A practising company without robots
    always has one at level 2 or above: that is what makes it practising."""
    plan = draft.plan
    needs_level2 = plan.practising and not draft.robot_user
    if plan.showcase:
        level = 3
    elif needs_level2:
        level = rng.choices((2, 3, 4), (70, 25, 5))[0]
    else:
        if not plan.practising:
            chance = 0.1
        elif plan.pilot:
            chance = 0.6
        else:
            chance = 0.15 if plan.above_size else 0.03
        if rng.random() >= chance:
            return []
        weights = MATURITY_WEIGHTS_PILOT if plan.pilot else MATURITY_WEIGHTS_OTHER
        level = 1 if not plan.practising else rng.choices((1, 2, 3, 4, 5), weights)[0]
    # The sign of practice counts at the end of the year compared, so the assessment that
    # makes a company practising is dated in 2019; a few companies only diagnosed themselves.
    last = datetime.date(2019, 12, 31) if needs_level2 else datetime.date(2020, 3, 31)
    self_diagnosis = not needs_level2 and not plan.showcase and rng.random() < 0.2
    return [
        MaturityAssessment(
            company=draft.company,
            level=level,
            kind=AssessmentKind.SELF_DIAGNOSIS if self_diagnosis else AssessmentKind.THIRD_PARTY,
            assessed_on=random_day(rng, datetime.date(2019, 3, 1), last),
            assessor="" if self_diagnosis else rng.choice(ASSESSORS),
        )
    ]


def build_audits(
    rng: random.Random, certificates: list[Certification], *, as_of: datetime.date
) -> list[SurveillanceAudit]:
    """Yearly surveillance audits of the certified certificates, up to `as_of`: each one in
    the weeks around its anniversary; a suspended certificate missed its last one."""
    audits = []
    for certificate in certificates:
        if not certificate.issued_on or certificate.status not in (
            CertificationStatus.CERTIFIED,
            CertificationStatus.SUSPENDED,
        ):
            continue
        for k in (1, 2):
            anniversary = add_years(certificate.issued_on, k)
            if anniversary >= certificate.expires_on or anniversary > as_of:
                break
            missed = certificate.status == CertificationStatus.SUSPENDED
            if missed:
                break
            day = anniversary + datetime.timedelta(days=rng.randint(-45, SURVEILLANCE_GRACE_DAYS))
            if day > as_of:
                break
            audits.append(
                SurveillanceAudit(
                    certification=certificate,
                    audited_on=day,
                    result=AuditResult.PASSED,
                    auditor=certificate.issuing_body,
                )
            )
    return audits
