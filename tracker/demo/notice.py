"""The demo's public notice: the 2019 ranking published by the `city` account, and a few
objections to it in every state of RANKING.md part 2 (filed; remarked by the county;
rejected with a reason; upheld, with the correction run naming it), all through the
services (notices.services, rankings.services), so `make run` shows the notice period in
every role.

Dates: publishing and filing are stamped by the services with the real time of the load, so
the notice period runs from the load day for the scheme's days: the `company` account can
still file an objection when the demo is opened (the demo's own "today", `--as-of`, dates
only its records and the 2020 campaign)."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model

from companies.models import AnnualData, Company
from companies.services import user_assign_role
from core.roles import Role
from core.services import record_save
from notices.services import (
    objection_file,
    objection_reject,
    objection_remark,
    objections_uphold,
)
from rankings.models import CompanyScore
from rankings.services import rankings_process_dirty, rankings_publish
from tracker.demo.accounts import USERNAMES

YEAR = 2019
# (subject, claimed value, explanation) of each demo objection, in the order of their fates.
OBJECTIONS = [
    (
        "tax_paid",
        "1260.50",
        "2019年实缴税金应为1260.50万元，附完税证明，统计时漏计第四季度入库税款。",
    ),
    (
        "energy_use_tce",
        "3120",
        "综合能耗按能源审计报告应为3120吨标煤，原数据误含外购蒸汽折标重复部分。",
    ),
    ("rd_expense", "890", "研发费用应含加计扣除备案项目，合计890万元，附研发费用专项审计报告。"),
    ("main_revenue", "15200", "主营业务收入应以审计报告为准，为15200万元。"),
]


def demo_notice(*, showcase_company_id: int | None) -> Counter:
    """Publish 2019 and file, remark and decide the demo's objections; returns the counts."""
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES.values())
    }
    city, county = users[USERNAMES[Role.CITY]], users[USERNAMES[Role.COUNTY]]
    run = rankings_publish(year=YEAR, user=city)
    region_id = county.membership.region_id
    # The showcase company (the `company` account's) and three more of the county's region
    # that have a 2019 result; each of the others gets a company user to file with.
    ranked = CompanyScore.objects.filter(run=run, company__region_id=region_id, rated=True)
    others = list(
        ranked.exclude(company_id=showcase_company_id)
        .order_by("position", "company_id")
        .values_list("company_id", flat=True)[:3]
    )
    filers = []
    for number, company_id in enumerate(others, start=1):
        user, _created = get_user_model().objects.get_or_create(username=f"demo-company-{number}")
        user.set_unusable_password()
        user.save()
        user_assign_role(user=user, role=Role.COMPANY, company=Company.objects.get(pk=company_id))
        filers.append(user)
    company_user = users.get(USERNAMES[Role.COMPANY])
    if company_user is not None and ranked.filter(company_id=showcase_company_id).exists():
        filers.insert(2, company_user)  # the showcase company's objection is rejected
    filed = [
        objection_file(user=user, run=run, subject=subject, claimed_value=claimed, explanation=why)
        for user, (subject, claimed, why) in zip(filers, OBJECTIONS, strict=False)
    ]
    # filed[0] stays filed; the county remarks on the others; the city rejects one and
    # upholds one, once its record is corrected (a correction run naming it).
    for objection in filed[1:]:
        objection_remark(
            objection=objection,
            user=county,
            opinion="supported" if objection is not filed[2] else "not_supported",
            text="经核对企业提交的佐证材料，情况属实。"
            if objection is not filed[2]
            else "企业所附材料与统计口径不符，不支持更正。",
        )
    if len(filed) > 2:
        objection_reject(
            objection=filed[2],
            user=city,
            reason="研发费用以税务备案口径为准，所附专项审计报告口径不一致，维持原结果。",
        )
    if len(filed) > 3:
        # Upholding needs the record corrected first (notices.services._check_corrected):
        # the city enters the claimed figure through the write path, the year is ranked
        # again, then the correction run is published.
        upheld = filed[3]
        row = AnnualData.objects.live().get(company_id=upheld.company_id, year=YEAR)
        setattr(row, upheld.subject, Decimal(upheld.claimed_value))
        record_save(instance=row, user=city)
        rankings_process_dirty(year=YEAR, quiet_period=datetime.timedelta(0))
        objections_uphold(
            objections=[filed[3]],
            user=city,
            reason="经核实，主营业务收入以审计报告为准，予以更正。",
        )
    return Counter({"published runs": 1 + (len(filed) > 3), "objections": len(filed)})
