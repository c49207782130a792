"""The company portal: a company user's own status page, and nothing else."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from companies.models import AnnualData, Certification, Company
from companies.views.access import CompanyUserRequiredMixin
from core.scoping import scope_of
from notices.models import Objection
from notices.selectors import company_official_results, objectionable_runs
from projects.models import KeyProject
from rankings.selectors import rank_labels
from reporting.selectors import campaign_coverage
from tracker.views import scorecard
from tracker.views.glossary import glossary

# How many lagging indicators the portal points out.
LAGGING_SHOWN = 3


class PortalView(CompanyUserRequiredMixin, TemplateView):
    template_name = "portal/portal.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        company = get_object_or_404(
            Company.objects.visible_to(user).with_list_relations(), pk=scope_of(user).company_id
        )
        today = timezone.localdate()
        # A voided record counts for nothing; the company sees only what stands.
        certifications = list(Certification.objects.visible_to(user).live().filter(company=company))
        for certification in certifications:
            certification.expiry_state = scorecard.certification_state(certification, today)
        projects = list(KeyProject.objects.visible_to(user).live().filter(company=company))
        lagging_projects = set(
            KeyProject.objects.visible_to(user)
            .filter(company=company)
            .lagging(today)
            .values_list("pk", flat=True)
        )
        for project in projects:
            project.is_lagging = project.pk in lagging_projects

        # RANKING.md part 2: the official (latest published) result comes first; the
        # provisional one only as "not official", and only when it is of a later year.
        official = company_official_results(user=user, company_id=company.pk)
        provisional = scorecard.current_score(user=user, company_id=company.pk)
        if official and provisional and provisional.run.year <= official[0].year:
            provisional = None
        score = official[0].score if official else provisional
        rated = score is not None and score.rated
        indicators = scorecard.indicator_lines(score) if rated else []
        # The indicators furthest below the baseline, by the points reaching it would add.
        lagging = sorted(
            (line for line in indicators if line.points_to_baseline > 0),
            key=lambda line: line.points_to_baseline,
            reverse=True,
        )[:LAGGING_SHOWN]
        context.update(
            {
                "company": company,
                "certifications": certifications,
                "projects": projects,
                "score": score,
                "indicators": indicators,
                "smart_lines": scorecard.smart_lines(score) if rated else [],
                "ranks": rank_labels(score) if rated else {},
                "gap": scorecard.grade_gap(score) if rated else None,
                "lagging_indicators": lagging,
                # The company's own yearly figures, newest first (the records that stand).
                "annual_rows": AnnualData.objects.visible_to(user)
                .live()
                .filter(company=company)
                .order_by("-year"),
                "glossary": glossary(),
                "official": official[0] if official else None,
                "official_history": official,
                "provisional": provisional,
                "coverage": campaign_coverage(year=provisional.run.year) if provisional else None,
                "objections": Objection.objects.visible_to(user)
                .filter(company=company)
                .select_related("run")[:20],
                "objectionable_runs": objectionable_runs(company.pk),
            }
        )
        return context
