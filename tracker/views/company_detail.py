"""A company's page: profile, batches, certifications, maturity, annual data, key projects,
score breakdown, rank history and change history. It gathers three apps, so it lives in
tracker (companies may import neither projects nor rankings)."""

from django.utils import timezone

from companies.models import (
    AnnualData,
    Certification,
    Company,
    Designation,
    MaturityAssessment,
)
from companies.views.access import StaffRequiredMixin
from core.scoping import user_can_edit
from core.views import ScopedDetailView
from projects.models import KeyProject
from rankings.selectors import rank_labels
from tracker.views import scorecard
from tracker.views.history import change_entries


class CompanyDetailView(StaffRequiredMixin, ScopedDetailView):
    model = Company
    template_name = "companies/company_detail.html"
    context_object_name = "company"

    def get_base_queryset(self):
        return Company.objects.with_list_relations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, company = self.request.user, self.object
        today = timezone.localdate()
        certifications = list(Certification.objects.visible_to(user).filter(company=company))
        for certification in certifications:
            certification.expiry_state = scorecard.certification_state(certification, today)
        projects = list(
            KeyProject.objects.visible_to(user).filter(company=company).select_related("batch")
        )
        lagging = set(
            KeyProject.objects.visible_to(user)
            .filter(company=company)
            .lagging(today)
            .values_list("pk", flat=True)
        )
        for project in projects:
            project.is_lagging = project.pk in lagging
        score = scorecard.current_score(user=user, company_id=company.pk)
        annual_rows = list(
            AnnualData.objects.visible_to(user).filter(company=company).order_by("-year")
        )
        context.update(
            {
                "can_edit": user_can_edit(user, company),
                "designations": Designation.objects.visible_to(user)
                .filter(company=company)
                .select_related("batch"),
                "certifications": certifications,
                "maturity": MaturityAssessment.objects.visible_to(user).filter(company=company),
                "annual_rows": annual_rows,
                # A voided year without a live row waits for its corrected figures.
                "live_years": {row.year for row in annual_rows if row.voided_at is None},
                "projects": projects,
                "score": score,
                "indicators": scorecard.indicator_lines(score) if score and score.rated else [],
                "smart_lines": scorecard.smart_lines(score) if score and score.rated else [],
                "ranks": rank_labels(score) if score and score.rated else {},
                "rank_history": scorecard.rank_history(user=user, company_id=company.pk),
                "changes": self.changes(company),
            }
        )
        return context

    def changes(self, company):
        entries = change_entries(
            Company.history.filter(id=company.pk),
            label=Company._meta.verbose_name,
            describe=lambda record: record.name,
        )
        entries += change_entries(
            AnnualData.history.filter(company_id=company.pk),
            label=AnnualData._meta.verbose_name,
            describe=lambda record: str(record.year),
        )
        entries += change_entries(
            Certification.history.filter(company_id=company.pk),
            label=Certification._meta.verbose_name,
            describe=lambda record: record.certificate_no or record.standard,
        )
        entries += change_entries(
            MaturityAssessment.history.filter(company_id=company.pk),
            label=MaturityAssessment._meta.verbose_name,
            describe=lambda record: str(record.assessed_on),
        )
        entries += change_entries(
            Designation.history.filter(company_id=company.pk).select_related("batch"),
            label=Designation._meta.verbose_name,
            describe=lambda record: str(record.batch),
        )
        entries.sort(key=lambda entry: entry["when"], reverse=True)
        return entries[:60]
