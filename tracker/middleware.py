"""Site-wide response headers that Django 5.2 does not set by itself."""

import secrets

from django.conf import settings
from django.utils.functional import SimpleLazyObject

CSP_HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    """Send a Content-Security-Policy that allows only this site's own files.

    Scripts, styles, images, fonts and fetches may come from 'self' only, so a script that an
    attacker manages to inject into a page does not run, and nothing is ever loaded from
    another host (the intranet has none). A template that truly needs an inline
    `<script>` or `<style>` marks it with `nonce="{{ request.csp_nonce }}"`; the nonce is random
    per response and only appears in the header when a template used it.

    The policy text is `settings.CONTENT_SECURITY_POLICY` with `{nonce_sources}` replaced, or
    the one of `settings.CONTENT_SECURITY_POLICY_EXCEPTIONS` whose path prefix matches (for
    third-party pages that cannot work without inline styles). A view that sets its own header
    keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        used = []

        def make_nonce():
            used.append(secrets.token_urlsafe(18))
            return used[0]

        request.csp_nonce = SimpleLazyObject(make_nonce)
        response = self.get_response(request)
        if CSP_HEADER not in response:
            nonce_sources = f" 'nonce-{used[0]}'" if used else ""
            policy = next(
                (
                    text
                    for prefix, text in settings.CONTENT_SECURITY_POLICY_EXCEPTIONS.items()
                    if request.path.startswith(prefix)
                ),
                settings.CONTENT_SECURITY_POLICY,
            )
            response[CSP_HEADER] = policy.format(nonce_sources=nonce_sources)
        return response
