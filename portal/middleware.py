"""Middleware for running on the public internet: headers, the public page cache, and a
limit on admin password guessing."""

import hashlib
import re
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.cache import canonical_query, page_timeout, public_cache_generation
from portal.ratelimit import (
    RateLimited,
    client_ip,
    rate_limit_exceeded,
    rate_limit_hit,
    rate_limit_reset,
)

# Browser features no page of the portal uses, switched off for the page and any frame.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


def path_excluded_from_cache(path: str) -> bool:
    """Whether `path` is one PUBLIC_CACHE_EXCLUDED_PATHS names, in any language: /cy/use/...
    is the Welsh /use/... and is excluded with it."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            path = path[len(prefix) - 1 :]
            break
    return path.startswith(tuple(settings.PUBLIC_CACHE_EXCLUDED_PATHS))


class SecurityHeadersMiddleware:
    """Headers Django does not set itself, on every response (pages, errors, static files)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


_COMMA = re.compile(r"\s*,\s*")

# Response headers that may be kept with a stored page; anything else is dropped.
_VARY_ALLOWED = {"cookie", "accept-encoding"}


class PublicPageCacheMiddleware:
    """Serves anonymous GET requests for public pages from the cache.

    Never for: requests carrying a session cookie (staff, and anonymous visitors whose pack
    lives in the session), the admin and health check, responses that are not 200, set a
    cookie (CSRF tokens included), say `Cache-Control: private`/`no-store`/`no-cache`
    (previews), carry a CSP nonce or vary on anything the key does not include.
    Placed early, so a hit skips sessions, CSRF, auth and the view; headers that inner
    middleware added (CSP, X-Frame-Options) are stored with the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self.key_for(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key[1])
        if stored is not None:
            return self.rebuild(stored)
        response = self.get_response(request)
        if self.may_store(response):
            timeout = page_timeout(key[0])
            if timeout:
                cache.set(key[1], self.freeze(response), timeout)
                response.headers["X-Cache"] = "miss"
        return response

    def key_for(self, request: HttpRequest) -> tuple[str, str] | None:
        if (
            not settings.PUBLIC_CACHE_SECONDS
            or request.method != "GET"
            or path_excluded_from_cache(request.path)
            or "HTTP_AUTHORIZATION" in request.META
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        # Resolved in the address's language (this runs before PathLocaleMiddleware): /cy/...
        # only resolves with Welsh active. The language is part of the key as well as of the
        # path, so that no way of asking (a cookie, Accept-Language, a later change to how it
        # is chosen) can be answered with a page stored in the other language.
        language = path_language(request.path_info)
        try:
            with translation.override(language):
                view = resolve(request.path_info).func
        except Resolver404:
            return None
        query = canonical_query(request.GET, getattr(view, "public_cache_params", ()))
        if query is None:
            return None
        generation = public_cache_generation()
        address = f"{request.scheme}://{host}{request.path}?{query}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        return generation, f"public:page:{generation}:{language}:{digest}"

    @staticmethod
    def may_store(response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if len(response.content) > settings.PUBLIC_CACHE_MAX_PAGE_BYTES:
            return False
        cache_control = {
            part.split("=")[0].strip().lower()
            for part in _COMMA.split(response.headers.get("Cache-Control", ""))
        }
        if cache_control & {"private", "no-store", "no-cache"}:
            return False
        vary = {part.strip().lower() for part in _COMMA.split(response.headers.get("Vary", ""))} - {
            ""
        }
        if vary - _VARY_ALLOWED:
            return False
        csp = response.headers.get("Content-Security-Policy", "")
        return "'nonce-" not in csp

    @staticmethod
    def freeze(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
        return response.content, list(response.headers.items())

    @staticmethod
    def rebuild(stored: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers:
            response.headers[name] = value
        response.headers["X-Cache"] = "hit"
        return response


def path_language(path_info: str) -> str:
    """The language of an address: the one its prefix names (/cy/...), else English."""
    return translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE


class PathLocaleMiddleware:
    """Django's LocaleMiddleware, reduced to what this portal does: the address alone says
    the language (English at today's addresses, Welsh under /cy/, portal/urls.py).

    Django's own would also read Accept-Language for addresses outside i18n_patterns and so
    add `Vary: Accept-Language` to every English page, which the page cache (rightly) refuses
    to store. A language switch link, not the browser's settings, takes a visitor to Welsh.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = path_language(request.path_info)
        # For this request only: the thread's next request, or code after it (tests), starts
        # from the default again. Responses are rendered before they come back through here.
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class AdminLoginRateLimitMiddleware:
    """Refuses admin sign-in attempts after too many failures, per address and per username.

    A failed attempt is a POST to the admin login that answers 200 (the form shown again
    with an error); a success (302) clears the username's count. Usernames are folded
    (NFKC, then casefold) before counting, so "ＡＤＭＩＮ" and "Admin" share one count.
    The counts live in portal.ratelimit's store, which every worker shares. See
    docs/deploy.md for why this is our own and not django-axes.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.login_path = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.login_path is None:
            self.login_path = reverse("admin:login")
        if request.method != "POST" or request.path != self.login_path:
            return self.get_response(request)
        window = settings.LOGIN_FAILURE_WINDOW
        limits = [
            ("login-address", client_ip(request), settings.LOGIN_FAILURES_PER_ADDRESS),
            ("login-username", fold_username(request.POST.get("username", "")),
             settings.LOGIN_FAILURES_PER_USERNAME),
        ]  # fmt: skip
        for scope, identity, limit in limits:
            if rate_limit_exceeded(scope=scope, identity=identity, limit=limit, window=window):
                return too_many_attempts(request)
        response = self.get_response(request)
        if response.status_code == 200:
            for scope, identity, limit in limits:
                rate_limit_hit(scope=scope, identity=identity, limit=limit, window=window)
        elif response.status_code == 302:
            rate_limit_reset(scope="login-username", identity=limits[1][1], window=window)
        return response


def fold_username(username: str) -> str:
    """One spelling for every way of writing the same name: Unicode compatibility forms
    (full-width letters, composed and decomposed accents) and case."""
    return unicodedata.normalize("NFKC", username[:150]).casefold().strip()


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    minutes = max(1, settings.LOGIN_FAILURE_WINDOW // 60)
    response = render(request, "portal/too_many_attempts.html", {"minutes": minutes}, status=429)
    response.headers["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
    response.headers["Cache-Control"] = "no-store"
    return response


class RateLimitedMiddleware:
    """Answers a RateLimited raised by a view with a 429 page that says why and when."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, RateLimited):
            return None
        return rate_limited_response(request, exception)


def rate_limited_response(request: HttpRequest, exception: RateLimited) -> HttpResponse:
    """The 429 page: why, and when to try again."""
    minutes, seconds = divmod(exception.retry_after, 60)
    if seconds and not minutes:
        wait = ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    else:
        minutes += 1 if seconds else 0
        wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    context = {"reason": exception.reason, "wait": wait}
    response = render(request, "portal/rate_limited.html", context, status=429)
    response.headers["Retry-After"] = str(exception.retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response


class PublicRequestRateLimitMiddleware:
    """A budget of uncached requests per visitor's address, so that no one address can keep
    every worker busy: PUBLIC_REQUESTS_PER_ADDRESS per PUBLIC_REQUEST_WINDOW seconds.

    Only work counts: a page served from the public cache never reaches this middleware,
    and the admin (which has its own sign-in limit), static files and the health check are
    not counted. It runs before sessions are read, so a refusal costs one counter and a
    small page. Short windows keep a burst small: at most one window's budget at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.PUBLIC_REQUESTS_PER_ADDRESS
        if limit and not path_excluded_from_cache(request.path):
            wait = rate_limit_hit(
                scope="public-requests",
                identity=client_ip(request),
                limit=limit,
                window=settings.PUBLIC_REQUEST_WINDOW,
            )
            if wait:
                reason = _(
                    "Many pages have been asked for from your address in the last few "
                    "seconds, more than one person reading would."
                )
                return rate_limited_response(request, RateLimited(retry_after=wait, reason=reason))
        return self.get_response(request)
