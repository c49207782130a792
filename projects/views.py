"""Key-project pages: list with filters (lagging flagged), detail with the status moves the
user may make, progress reports, status history; create and edit."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic.detail import SingleObjectMixin

from companies.views.access import StaffRequiredMixin
from companies.views.edit import ForCompanyMixin, RecordCreateView, RecordUpdateView
from companies.views.lists import FilteredListView
from core.scoping import user_can_edit
from core.views import ScopedDetailView, ScopedQuerysetMixin
from projects.filter_forms import ProjectFilterForm
from projects.filtersets import KeyProjectFilterSet
from projects.forms import KeyProjectForm, ProgressReportForm, TransitionForm, move_choices
from projects.models import KeyProject, ProgressReport
from projects.services import project_transition


def project_url(project) -> str:
    return reverse("projects:detail", args=[project.pk])


class ProjectListView(FilteredListView):
    model = KeyProject
    filterset_class = KeyProjectFilterSet
    filter_form_class = ProjectFilterForm
    template_name = "projects/project_list.html"
    sort_fields = {
        "name": "name",
        "company": "company__name_sort",
        "kind": "kind",
        "status": "status",
        "planned_investment": "planned_investment",
        "actual_investment": "actual_investment",
        "planned_completion": "planned_completion",
    }
    default_sort = "-planned_completion"
    export_resource = "key-projects"
    export_columns = [
        ("company__credit_code", _("unified social credit code")),
        ("company__name", _("company")),
        ("company__region__name_zh", _("region")),
        ("name", _("name")),
        ("kind", _("kind")),
        ("level", _("level")),
        ("status", _("status")),
        ("batch__number", _("batch")),
        ("planned_investment", _("planned investment (10k RMB)")),
        ("actual_investment", _("actual investment (10k RMB)")),
        ("planned_start", _("planned start")),
        ("planned_completion", _("planned completion")),
        ("accepted_on", _("accepted on")),
        ("robots_planned", _("robots planned")),
        ("robots_added", _("robots added")),
        ("meets_ims_standard", _("meets the IMS standard")),
    ]

    def list_queryset(self, queryset):
        return queryset.with_list_relations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        lagging = set(
            KeyProject.objects.filter(pk__in=[p.pk for p in page])
            .lagging(datetime.date.today())
            .values_list("pk", flat=True)
        )
        for project in page:
            project.is_lagging = project.pk in lagging
        context["object_list"] = page
        return context


class ProjectDetailView(StaffRequiredMixin, ScopedDetailView):
    model = KeyProject
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_base_queryset(self):
        return KeyProject.objects.with_list_relations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        can_edit = user_can_edit(self.request.user, project)
        context.update(
            {
                "can_edit": can_edit,
                "moves": move_choices(project, self.request.user) if can_edit else [],
                "today": timezone.localdate(),
                "report_form": ProgressReportForm(user=self.request.user, project=project)
                if can_edit
                else None,
                "is_lagging": KeyProject.objects.filter(pk=project.pk).lagging().exists(),
                "status_changes": project.status_changes.select_related("changed_by"),
                "reports": project.progress_reports.all(),
            }
        )
        return context


class ProjectTransitionView(StaffRequiredMixin, ScopedQuerysetMixin, SingleObjectMixin, View):
    """POST one status move (a button on the project page) to a project the user may edit."""

    model = KeyProject
    editing = True

    def post(self, request, pk):
        project = self.get_object()
        form = TransitionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(project_url(project))
        try:
            project_transition(
                project=project,
                to_status=form.cleaned_data["to_status"],
                user=request.user,
                comment=form.cleaned_data["comment"],
                accepted_on=form.cleaned_data["accepted_on"],
            )
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The project is now “%(status)s”.") % {"status": project.get_status_display()},
            )
        return redirect(project_url(project))


class ProjectCreateView(ForCompanyMixin, RecordCreateView):
    model = KeyProject
    form_class = KeyProjectForm

    def url_of(self, obj):
        return project_url(obj)

    def get_cancel_url(self):
        if self.company is not None:
            return reverse("companies:detail", args=[self.company.pk])
        return reverse("projects:list")


class ProjectUpdateView(RecordUpdateView):
    model = KeyProject
    form_class = KeyProjectForm

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("company")

    def url_of(self, obj):
        return project_url(obj)


class ProgressReportCreateView(RecordCreateView):
    model = ProgressReport
    form_class = ProgressReportForm

    def dispatch(self, request, *args, **kwargs):
        self.project = None
        if request.user.is_authenticated:
            self.project = get_object_or_404(
                KeyProject.objects.editable_by(request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        return kwargs

    def url_of(self, obj):
        return project_url(obj.project) + "#reports"

    def get_cancel_url(self):
        return project_url(self.project)
