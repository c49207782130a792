"""REST API routes (/api/v1/...), OpenAPI schema and docs."""

urlpatterns = []
