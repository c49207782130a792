"""Staff pages of the companies app, namespace "companies". Mounted at the site root by
tracker/web_urls.py, which also adds the company list and detail pages (they show projects
and rankings, which this app may not import)."""

from django.urls import path

from companies.models import AnnualData, Certification, Designation, MaturityAssessment
from companies.views import annual, batches, companies, records
from core.views import RecordVoidView

app_name = "companies"

urlpatterns = [
    path("companies/add/", companies.CompanyCreateView.as_view(), name="create"),
    path("companies/<int64:pk>/edit/", companies.CompanyUpdateView.as_view(), name="update"),
    path(
        "companies/<int64:company_pk>/annual-data/add/",
        annual.AnnualDataCreateView.as_view(),
        name="annual_create_for",
    ),
    path(
        "companies/<int64:company_pk>/certifications/add/",
        records.CertificationCreateView.as_view(),
        name="certification_create",
    ),
    path(
        "certifications/<int64:pk>/edit/",
        records.CertificationUpdateView.as_view(),
        name="certification_update",
    ),
    path(
        "companies/<int64:company_pk>/maturity/add/",
        records.MaturityCreateView.as_view(),
        name="maturity_create",
    ),
    path("batches/", batches.BatchListView.as_view(), name="batch_list"),
    path("batches/add/", records.BatchCreateView.as_view(), name="batch_create"),
    path("batches/<int64:pk>/edit/", records.BatchUpdateView.as_view(), name="batch_update"),
    path(
        "batches/<int64:pk>/designate/",
        records.DesignationCreateView.as_view(),
        name="designation_create",
    ),
    path("batches/<int64:pk>/", batches.BatchDetailView.as_view(), name="batch_detail"),
    path("annual-data/", annual.AnnualDataListView.as_view(), name="annual_list"),
    path("annual-data/add/", annual.AnnualDataCreateView.as_view(), name="annual_create"),
    path(
        "annual-data/<int64:pk>/edit/", annual.AnnualDataUpdateView.as_view(), name="annual_update"
    ),
]

# Void and restore of each voidable record: <prefix>/<pk>/void/ and …/restore/.
for prefix, name, model in (
    ("annual-data", "annual", AnnualData),
    ("certifications", "certification", Certification),
    ("maturity", "maturity", MaturityAssessment),
    ("designations", "designation", Designation),
):
    urlpatterns += [
        path(
            f"{prefix}/<int64:pk>/void/", RecordVoidView.as_view(model=model), name=f"{name}_void"
        ),
        path(
            f"{prefix}/<int64:pk>/restore/",
            RecordVoidView.as_view(model=model, restore=True),
            name=f"{name}_restore",
        ),
    ]
