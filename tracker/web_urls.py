"""Server-rendered pages."""

urlpatterns = []
