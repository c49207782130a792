"""Reference data: regions, GB/T 4754 industries, key subdivision industries. Administrators
maintain them; staff may look them up."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from companies.admin.scoping import AdministratorOnlyMixin, is_autocomplete_request
from companies.models import Industry, KeyIndustry, Region
from core.roles import Role
from core.scoping import selectable_regions


@admin.register(Region)
class RegionAdmin(AdministratorOnlyMixin, admin.ModelAdmin):
    # Reference data, set by administrators: not listed on a county clerk's index.
    index_roles = (Role.ADMIN, Role.CITY)
    list_display = ("code", "name_zh", "name_en", "kind", "sort_order", "company_count")
    list_filter = ("kind",)
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("sort_order", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_company_count=Count("companies"))

    @admin.display(description=_("companies"), ordering="_company_count")
    def company_count(self, obj):
        return obj._company_count

    def get_search_results(self, request, queryset, search_term):
        if is_autocomplete_request(request):
            # County staff may only place a company in their own region.
            queryset = selectable_regions(request.user, queryset)
        return super().get_search_results(request, queryset, search_term)


@admin.register(Industry)
class IndustryAdmin(AdministratorOnlyMixin, admin.ModelAdmin):
    # Reference data, set by administrators: not listed on a county clerk's index.
    index_roles = (Role.ADMIN, Role.CITY)
    list_display = ("code", "name_zh", "name_en")
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("code",)


@admin.register(KeyIndustry)
class KeyIndustryAdmin(AdministratorOnlyMixin, admin.ModelAdmin):
    # Reference data, set by administrators: not listed on a county clerk's index.
    index_roles = (Role.ADMIN, Role.CITY)
    list_display = ("code", "name_zh", "name_en", "year", "active")
    list_filter = ("active", "year")
    search_fields = ("code", "name_zh", "name_en")
