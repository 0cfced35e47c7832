"""Middleware for running on the public internet: headers, the public page cache, and a
limit on admin password guessing."""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .cache import page_timeout, public_cache_generation

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
            or request.path.startswith(tuple(settings.PUBLIC_CACHE_EXCLUDED_PATHS))
            or "HTTP_AUTHORIZATION" in request.META
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        generation = public_cache_generation()
        address = f"{request.scheme}://{host}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        return generation, f"public:page:{generation}:{digest}"

    @staticmethod
    def may_store(response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
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


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind a proxy that appends to X-Forwarded-For, set
    CLIENT_IP_FROM_X_FORWARDED_FOR so the rightmost entry (the proxy's own) is used."""
    if settings.CLIENT_IP_FROM_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


class AdminLoginRateLimitMiddleware:
    """Refuses admin sign-in attempts after too many failures, per address and per username.

    A failed attempt is a POST to the admin login that answers 200 (the form shown again
    with an error); a success (302) clears the username's count. Counts live in the cache
    for LOGIN_FAILURE_WINDOW seconds, so they are shared by every worker when the cache
    is Redis. See docs/deploy.md for why this is our own and not a library.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.login_path = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.login_path is None:
            self.login_path = reverse("admin:login")
        if request.method != "POST" or request.path != self.login_path:
            return self.get_response(request)
        username = request.POST.get("username", "")[:150].strip().lower()
        keys = {
            "address": "login-failures:address:" + _digest(client_ip(request)),
            "username": "login-failures:username:" + _digest(username),
        }
        counts = cache.get_many(list(keys.values()))
        if (
            counts.get(keys["address"], 0) >= settings.LOGIN_FAILURES_PER_ADDRESS
            or counts.get(keys["username"], 0) >= settings.LOGIN_FAILURES_PER_USERNAME
        ):
            return too_many_attempts(request)
        response = self.get_response(request)
        if response.status_code == 200:
            for key in keys.values():
                cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
                try:
                    cache.incr(key)
                except ValueError:  # expired between add() and incr()
                    cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)
        elif response.status_code == 302:
            cache.delete(keys["username"])
        return response


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def too_many_attempts(request: HttpRequest) -> HttpResponse:
    minutes = max(1, settings.LOGIN_FAILURE_WINDOW // 60)
    response = render(request, "portal/too_many_attempts.html", {"minutes": minutes}, status=429)
    response.headers["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
    response.headers["Cache-Control"] = "no-store"
    return response
