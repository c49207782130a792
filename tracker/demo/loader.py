"""Writing the whole demo dataset: batches, then companies and everything that hangs off
them, chunk by chunk, through the write path's bulk service (`records_bulk_write`) without
history rows: demo data has no past edits to audit. Companies and projects come back with
their ids; the rows hanging off them, whose ids nobody needs, go in through the driver."""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from collections.abc import Callable

from companies.choices import BatchLevel
from companies.models import (
    AnnualData,
    Certification,
    Company,
    DemonstrationBatch,
    Designation,
    MaturityAssessment,
    SurveillanceAudit,
)
from core.services import records_bulk_write
from projects.models import KeyProject, ProgressReport, ProjectStatusChange
from tracker.demo import profile
from tracker.demo.annual import build_annual_data
from tracker.demo.companies import (
    CertificateNumbers,
    Lookups,
    build_audits,
    build_certifications,
    build_company,
    build_designations,
    build_maturity,
    draft_company,
)
from tracker.demo.plan import DatasetPlan, plan_dataset
from tracker.demo.projects import build_progress_reports, build_projects, build_status_changes

CHUNK_SIZE = 2000
BATCH_SIZE = 1000
# Rows per driver-level insert (executemany or COPY) of the rows without ids.
ROWS_PER_INSERT = 5000


def ensure_batches() -> dict[int, DemonstrationBatch]:
    """The eight yearly batches of demonstration companies, 2012–2019."""
    batches = {}
    for number, year in enumerate(profile.BATCH_YEARS, start=1):
        batch, _created = DemonstrationBatch.objects.update_or_create(
            number=number,
            defaults={
                "year": year,
                "title": f"金华市第{number}批智能制造示范企业",
                "level": BatchLevel.CITY,
                # The announcing document of the city's economy and IT bureau (文号).
                "document_no": f"金经信技术〔{year}〕{40 + 7 * number}号",
                "announced_on": datetime.date(year, 6 + number % 5, 8 + number),
            },
        )
        batches[year] = batch
    return batches


def demo_load(
    *,
    companies: int,
    seed: int,
    as_of: datetime.date,
    out: Callable[[str], None],
    chunk_size: int = CHUNK_SIZE,
) -> Counter:
    """Write the dataset and return how many rows of each kind were written. The caller
    holds the transaction."""
    started = time.monotonic()
    batches = ensure_batches()
    out(f"  batches: {len(batches)}")
    plan = plan_dataset(companies=companies, seed=seed)
    out(
        f"  plan: {companies} companies, {sum(p.above_size for p in plan.companies)} above size, "
        f"{sum(p.pilot for p in plan.companies)} pilots, {len(plan.ims_projects)} IMS and "
        f"{len(plan.demo_projects)} demonstration projects counted"
    )
    lookups = Lookups.fetch(batches)
    state = _LoadState(plan=plan, lookups=lookups, as_of=as_of)
    totals = Counter()
    for start in range(0, companies, chunk_size):
        totals += _write_chunk(state, start, start + chunk_size)
        end = min(start + chunk_size, companies)
        out(
            f"  companies {start + 1}–{end} of {companies}: {totals['projects']} projects, "
            f"{totals['annual data']} annual rows so far ({time.monotonic() - started:.1f} s)"
        )
    return totals


class _LoadState:
    """What carries over from one chunk to the next."""

    def __init__(self, *, plan: DatasetPlan, lookups: Lookups, as_of: datetime.date):
        self.plan = plan
        self.lookups = lookups
        self.as_of = as_of
        self.used_names: set[str] = set()
        self.certificate_numbers = CertificateNumbers()


def _write_chunk(state: _LoadState, start: int, end: int) -> Counter:
    plan = state.plan
    # One random stream per chunk, so a chunk's rows do not depend on the ones before it.
    rng = random.Random(f"jinhua-{plan.seed}-{start}")
    drafts = [draft_company(rng, company_plan) for company_plan in plan.companies[start:end]]
    for draft in drafts:
        draft.company = build_company(
            rng, draft, seed=plan.seed, lookups=state.lookups, used_names=state.used_names
        )
    _write_with_ids(Company, [d.company for d in drafts])

    bundles = []
    for draft in drafts:
        index = draft.plan.index
        own = build_projects(
            rng,
            draft,
            ims_amount=plan.ims_projects.get(index),
            demo=plan.demo_projects.get(index),
            lookups=state.lookups,
            as_of=state.as_of,
        )
        bundles.extend(own)
    _write_with_ids(KeyProject, [b.project for b in bundles])
    changes = [c for b in bundles for c in build_status_changes(rng, b)]
    _insert(ProjectStatusChange, changes)
    reports = [r for b in bundles for r in build_progress_reports(rng, b)]
    _insert(ProgressReport, reports)

    designations = [d for draft in drafts for d in build_designations(rng, draft, state.lookups)]
    _insert(Designation, designations)
    certificates = [
        c
        for draft in drafts
        for c in build_certifications(rng, draft, state.certificate_numbers, as_of=state.as_of)
    ]
    _write_with_ids(Certification, certificates)
    audits = build_audits(rng, certificates, as_of=state.as_of)
    _insert(SurveillanceAudit, audits)
    assessments = [m for draft in drafts for m in build_maturity(rng, draft)]
    _insert(MaturityAssessment, assessments)
    annual = [row for draft in drafts for row in build_annual_data(rng, draft)]
    _insert(AnnualData, annual)
    return Counter(
        {
            "companies": len(drafts),
            "projects": len(bundles),
            "status changes": len(changes),
            "progress reports": len(reports),
            "designations": len(designations),
            "certifications": len(certificates),
            "surveillance audits": len(audits),
            "maturity assessments": len(assessments),
            "annual data": len(annual),
        }
    )


def _write_with_ids(model, rows) -> None:
    records_bulk_write(model=model, creates=rows, history=False, batch_size=BATCH_SIZE)


def _insert(model, rows) -> None:
    records_bulk_write(
        model=model, creates=rows, history=False, returning_ids=False, batch_size=ROWS_PER_INSERT
    )
