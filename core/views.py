"""The base views of the pages: their rows are cut to the user's scope here, once.

A page names its `model` (or overrides `get_base_queryset` to add its `select_related`); the
base applies `visible_to(user)`, or `editable_by(user)` on an edit page, so a new page cannot
forget it. A model without scoping (a city-wide table) does not fit these bases: its view
says so by writing its own `get_queryset`.
"""

from django.views.generic import DetailView, ListView, UpdateView


class ScopedQuerysetMixin:
    """`get_queryset()` is `get_base_queryset()` cut to what the user may see (or edit, when
    `editing`); `get_object()` of a detail or edit page reads through it, so a row outside
    the scope answers 404."""

    model = None
    editing = False

    def get_base_queryset(self):
        """The rows before scoping; override to add select_related or annotations."""
        return self.model._default_manager.all()

    def get_queryset(self):
        rows = self.get_base_queryset()
        user = self.request.user
        return rows.editable_by(user) if self.editing else rows.visible_to(user)


class ScopedListView(ScopedQuerysetMixin, ListView):
    pass


class ScopedDetailView(ScopedQuerysetMixin, DetailView):
    pass


class ScopedUpdateView(ScopedQuerysetMixin, UpdateView):
    """Records the user may not change answer 404, whether or not they may see them."""

    editing = True
