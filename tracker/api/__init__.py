"""Pieces every app's REST API shares: pagination, permissions, error mapping, export
renderers, the base viewset and serializer, and the site-wide endpoints (status, figures,
token, ping). App APIs import from here; nothing here imports an app's API."""
