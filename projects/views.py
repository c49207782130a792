"""Key-project pages: list with filters (lagging flagged), detail with the status moves the
user may make, progress reports, status history; create and edit."""

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
from core.exports import BOOL, CHOICE, CODE, DATE, NAME, NUMBER, ExportColumn
from core.scoping import user_can_edit
from core.views import ScopedDetailView, ScopedQuerysetMixin
from projects.choices import ProjectKind, ProjectLevel, ProjectStatus
from projects.filter_forms import ProjectFilterForm
from projects.filtersets import KeyProjectFilterSet
from projects.forms import KeyProjectForm, ProgressReportForm, TransitionForm, move_choices
from projects.models import KeyProject, ProgressReport
from projects.services import project_transition
from projects.workflow import takes_progress_reports


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
        "region": "company__region__sort_order",
        "kind": "kind",
        "level": "level",
        "status": "status",
        "lagging": "is_lagging",
        "planned_investment": "planned_investment",
        "actual_investment": "actual_investment",
        "planned_completion": "planned_completion",
    }
    default_sort = "-planned_completion"
    export_resource = "key-projects"
    export_title = _("Key projects")
    export_columns = [
        ExportColumn("company__credit_code", _("unified social credit code"), CODE),
        ExportColumn("company__name", _("company"), width=32),
        ExportColumn("company__region__name", _("region"), NAME),
        ExportColumn("name", _("name"), width=36),
        ExportColumn("kind", _("kind"), CHOICE, labels=dict(ProjectKind.choices), width=20),
        ExportColumn("level", _("level"), CHOICE, labels=dict(ProjectLevel.choices)),
        ExportColumn("status", _("status"), CHOICE, labels=dict(ProjectStatus.choices)),
        ExportColumn("is_lagging", _("lagging"), BOOL),
        ExportColumn("batch__number", _("batch"), NUMBER, width=8),
        ExportColumn("planned_investment", _("planned investment (10k RMB)"), NUMBER),
        ExportColumn(
            "equipment_investment", _("equipment and software investment (10k RMB)"), NUMBER
        ),
        ExportColumn("construction_investment", _("construction investment (10k RMB)"), NUMBER),
        ExportColumn("actual_investment", _("actual investment (10k RMB)"), NUMBER),
        ExportColumn("planned_start", _("planned start"), DATE),
        ExportColumn("planned_completion", _("planned completion"), DATE),
        ExportColumn("accepted_on", _("accepted on"), DATE),
        ExportColumn("robots_planned", _("robots planned"), NUMBER),
        ExportColumn("robots_added", _("robots added"), NUMBER),
        ExportColumn("meets_ims_standard", _("meets the IMS standard"), BOOL),
    ]

    def get_base_queryset(self):
        # Lagging as a column (one expression with the filter's test), to show, sort and export.
        return KeyProject.objects.with_lagging()

    def list_queryset(self, queryset):
        return queryset.with_list_relations()


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
                # A finished project reports no more progress: no form for it.
                "report_form": ProgressReportForm(user=self.request.user, project=project)
                if can_edit and takes_progress_reports(project.status)
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

    def get(self, request, *args, **kwargs):
        return self.refuse_when_closed() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refuse_when_closed() or super().post(request, *args, **kwargs)

    def refuse_when_closed(self):
        """A project whose work is not under way takes no report: say so, back to its page."""
        if takes_progress_reports(self.project.status):
            return None
        messages.error(
            self.request,
            _("“%(project)s” is %(status)s: it takes no more progress reports.")
            % {"project": self.project.name, "status": self.project.get_status_display()},
        )
        return redirect(project_url(self.project) + "#reports")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.project
        return kwargs

    def url_of(self, obj):
        return project_url(obj.project) + "#reports"

    def get_cancel_url(self):
        return project_url(self.project)
