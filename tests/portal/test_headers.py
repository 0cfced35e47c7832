"""Headers a security audit checks, on every public page type, errors and static files."""

import importlib
import re

import pytest
from django.test import override_settings

from tests.portal.pages import PAGE_IDS, PAGE_TYPES, make_gone_review, make_public_content, page_url

pytestmark = pytest.mark.django_db


def assert_hardened(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp, "no Content-Security-Policy"
    assert "unsafe-" not in csp
    assert "frame-ancestors 'none'" in csp
    assert re.search(r"script-src 'self'(;|$)", csp), csp
    assert re.search(r"style-src 'self'(;|$)", csp), csp
    assert "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def assert_no_inline_code_or_third_parties(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html, "inline style element"
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    # Nothing loaded from elsewhere: stylesheets, scripts, images, fonts, frames.
    assert not re.search(r"<(script|img|iframe|source)[^>]+src=\"(https?:)?//", html)
    assert not re.search(r"<link[^>]+href=\"(https?:)?//", html)


@pytest.mark.parametrize(("page_type", "names", "needs"), PAGE_TYPES, ids=PAGE_IDS)
def test_every_public_page_type_sends_the_security_headers(client, page_type, names, needs):
    make_public_content()
    url = page_url(names, needs)

    response = client.get(url)

    assert response.status_code == 200, url
    assert_hardened(response)
    assert_no_inline_code_or_third_parties(response.content.decode())


def test_not_found_and_gone_pages_send_the_security_headers(client):
    gone = make_gone_review()

    for url, status in (("/reviews/no-such-review/", 404), (gone.get_absolute_url(), 410)):
        response = client.get(url)
        assert response.status_code == status
        assert_hardened(response)
        assert_no_inline_code_or_third_parties(response.content.decode())


def test_static_files_and_the_health_check_send_nosniff_and_permissions_policy(client):
    for url in ("/healthz",):
        response = client.get(url)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.fixture
def production(monkeypatch, settings):
    """The security settings of portal.settings.production, on top of the test settings."""
    monkeypatch.setenv("SECRET_KEY", "p" * 60)
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.org")
    # A fresh base first: production changes base's DATABASES dict, which the test
    # settings share.
    importlib.reload(importlib.import_module("portal.settings.base"))
    module = importlib.reload(importlib.import_module("portal.settings.production"))
    for name in dir(module):
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_")):
            setattr(settings, name, getattr(module, name))
    return module


def test_production_sends_hsts_and_redirects_plain_http_to_https(client, production):
    make_public_content()

    plain = client.get("/")
    secure = client.get("/", secure=True)

    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    hsts = secure.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


def test_hsts_lifetime_is_configurable(monkeypatch, production):
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "600")
    importlib.reload(importlib.import_module("portal.settings.base"))
    module = importlib.reload(production)
    assert module.SECURE_HSTS_SECONDS == 600


def test_production_cookies_are_secure_httponly_samesite_and_host_only(client, production):
    from tests.factories import StaffUserFactory

    StaffUserFactory(username="editor")
    page = client.get("/admin/login/", secure=True)
    csrf = page.cookies[production.CSRF_COOKIE_NAME]

    response = client.post(
        "/admin/login/",
        {
            "username": "editor",
            "password": "correct horse battery staple",
            "csrfmiddlewaretoken": page.context["csrf_token"],
        },
        secure=True,
    )

    session = response.cookies[production.SESSION_COOKIE_NAME]
    assert response.status_code == 302
    for cookie in (csrf, session):
        assert cookie.key.startswith("__Host-")
        assert cookie["secure"] and cookie["httponly"]
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/" and not cookie["domain"]


def test_production_refuses_to_start_without_an_email_host(monkeypatch, production):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("EMAIL_HOST")
    importlib.reload(importlib.import_module("portal.settings.base"))
    with pytest.raises(ImproperlyConfigured, match="EMAIL_HOST"):
        importlib.reload(production)


def test_the_health_check_is_reachable_over_plain_http_for_load_balancers(client, production):
    assert client.get("/healthz").status_code == 200


@override_settings(DEBUG=False)
def test_the_page_has_no_debug_details_for_unknown_addresses(client):
    html = client.get("/reviews/no-such-review/").content.decode()
    assert "Traceback" not in html and "No published review" not in html
    assert "urlpatterns" not in html.lower()
