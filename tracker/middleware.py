"""Site-wide request and response handling that Django 5.2 does not do by itself."""

import secrets

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
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


class PreferredLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, plus: a page without a language prefix follows the visitor's
    choice (the language cookie the switch sets) or, until they choose, their browser's
    Accept-Language.

    Pages use i18n_patterns with prefix_default_language=False: Chinese at /, English at /en/.
    Django then answers every unprefixed URL in the default language, whatever the browser
    asks for. Here a GET of an unprefixed page whose preferred language is not the default is
    redirected to the same page under that language's prefix, so the URL still says which
    language a page is in (links, bookmarks and caches stay right). Someone who chose Chinese
    has the cookie, which outranks Accept-Language, and stays on /. URLs outside
    i18n_patterns (the API, the switch itself, static files) are left as they were.
    """

    def process_request(self, request):
        redirect = self._redirect_to_preferred_language(request)
        if redirect is not None:
            return redirect
        return super().process_request(request)

    def _redirect_to_preferred_language(self, request):
        if request.method not in ("GET", "HEAD"):
            return None
        if translation.get_language_from_path(request.path_info):
            return None
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if not is_language_prefix_patterns_used(urlconf)[0]:
            return None
        # The cookie first, then Accept-Language, then LANGUAGE_CODE (Django's own order).
        preferred = translation.get_language_from_request(request, check_path=False)
        if preferred == settings.LANGUAGE_CODE:
            return None
        # The prefix that i18n_patterns matches is the active language's.
        with translation.override(preferred):
            if not is_valid_path(f"/{preferred}{request.path_info}", urlconf):
                return None
        script_prefix = get_script_prefix()
        url = request.get_full_path().replace(script_prefix, f"{script_prefix}{preferred}/", 1)
        response = self.response_redirect_class(url)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


class RequestSizeLimitMiddleware:
    """Refuse (413) a request whose body is larger than `settings.MAX_REQUEST_BYTES` before
    anything reads it. Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) and the number
    of files (DATA_UPLOAD_MAX_NUMBER_FILES) but not the size of the files sent, which are
    streamed to disk: without this a single POST could fill the disk. Each file's own limit
    (10 MB) is core.uploads'; this is the whole request's (the largest form: an objection's
    files)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            return render(
                request,
                "413.html",
                {"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Give a page's blank 405 a page: a form's target opened by its address (a bookmark, the
    back button, a link copied from the bar) says what happened and leads back, instead of an
    empty screen. The API's 405s (JSON, with a body) are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.method != "GET":
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
