"""Django admin for the companies app, one module per concern. Importing the package
registers every model (admin.autodiscover imports `companies.admin`)."""

from companies.admin import companies, programme, reference, roles  # noqa: F401
from companies.admin.companies import register_company_inline
from companies.admin.scoping import ScopedAdminMixin, ScopedInlineMixin

__all__ = ["ScopedAdminMixin", "ScopedInlineMixin", "register_company_inline"]
