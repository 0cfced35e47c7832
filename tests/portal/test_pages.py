"""The portal's own pages: health check, statutory pages, error pages, sign-in limits, logs."""

import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from portal.logging import JsonFormatter
from portal.settings.base import cache_from_url
from tests.factories import StaffUserFactory
from tests.portal.pages import make_gone_review, make_public_content

pytestmark = pytest.mark.django_db


def test_health_check_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response.headers["Cache-Control"]


def test_health_check_answers_503_when_the_database_does_not(client, monkeypatch):
    from portal import views

    class Broken:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Broken())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert "refused" not in response.content.decode()


def test_accessibility_statement_and_privacy_notice_show_the_boards_words(client):
    make_public_content()

    statement = client.get(reverse("accessibility")).content.decode()
    notice = client.get(reverse("privacy")).content.decode()

    assert "<strong>WCAG 2.2 AA</strong>" in statement
    assert "server logs for 30 days" in notice


def test_statutory_pages_say_so_plainly_before_the_board_has_written_them(client):
    html = client.get(reverse("accessibility")).content.decode()
    assert "has not published its accessibility statement" in html


@pytest.mark.parametrize("url", ["/", "/reviews/", "/themes/", "/reviews/no-such/"])
def test_every_page_footer_links_to_the_statement_and_the_notice(client, url):
    make_public_content()
    html = client.get(url).content.decode()
    footer = html[html.index("<footer") :]
    assert f'href="{reverse("accessibility")}"' in footer
    assert f'href="{reverse("privacy")}"' in footer


def test_not_found_page_looks_like_the_site_and_echoes_nothing(client):
    make_public_content()

    response = client.get("/reviews/<script>alert(1)</script>/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "site.css" in html and 'class="site-header"' in html
    # The address may appear URL-encoded (the page's canonical link), never as markup.
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert" not in html


def test_gone_page_says_the_review_was_withdrawn(client):
    gone = make_gone_review()

    response = client.get(gone.get_absolute_url())

    assert response.status_code == 410
    html = response.content.decode()
    assert "site.css" in html and "Withdrawn at the family" in html


def test_generic_gone_template_renders_a_notice(client):
    from django.template.loader import render_to_string

    html = render_to_string("410.html", {"notice": "Removed by the board."})
    assert "Removed by the board." in html and "no longer" in html


def test_server_error_page_needs_no_database_and_leaks_nothing(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert "problem with the service" in html and "site.css" in html
    assert "Traceback" not in html and "Exception" not in html


def test_server_errors_from_views_use_the_styled_page(client, monkeypatch):
    from learning.discovery import views

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.HomeView, "get", explode)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assert "problem with the service" in response.content.decode()
    assert "secret internals" not in response.content.decode()


def sign_in(client, username: str, password: str):
    return client.post("/admin/login/", {"username": username, "password": password})


@pytest.fixture
def limits(settings):
    from django.core.cache import cache

    settings.LOGIN_FAILURES_PER_USERNAME = 3
    settings.LOGIN_FAILURES_PER_ADDRESS = 5
    cache.clear()
    yield settings
    cache.clear()


def test_admin_sign_in_is_refused_after_too_many_wrong_passwords_even_with_the_right_one(
    client, limits
):
    StaffUserFactory(username="editor")
    for _ in range(3):
        assert sign_in(client, "editor", "guess").status_code == 200

    refused = sign_in(client, "editor", "correct horse battery staple")

    assert refused.status_code == 429
    assert "Too many sign-in attempts" in refused.content.decode()
    assert int(refused.headers["Retry-After"]) > 0


def test_one_address_guessing_many_usernames_is_refused_too(client, limits):
    for number in range(5):
        sign_in(client, f"user{number}", "guess")

    assert sign_in(client, "someone-else", "guess").status_code == 429


def test_a_successful_sign_in_clears_the_usernames_failures(client, limits):
    StaffUserFactory(username="editor")
    sign_in(client, "editor", "guess")
    sign_in(client, "editor", "guess")
    assert sign_in(client, "editor", "correct horse battery staple").status_code == 302
    client.logout()

    for _ in range(2):
        assert sign_in(client, "editor", "guess").status_code == 200


def test_behind_a_proxy_the_limit_counts_the_visitors_address(client, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        client.post(
            "/admin/login/",
            {"username": f"u{number}", "password": "x"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    other = client.post(
        "/admin/login/", {"username": "v", "password": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )

    assert other.status_code == 200


def test_log_records_become_one_json_object_a_line():
    record = logging.LogRecord("portal", logging.WARNING, __file__, 1, "Hello %s", ("world",), None)
    record.status_code = 503

    entry = json.loads(JsonFormatter().format(record))

    assert entry["message"] == "Hello world"
    assert entry["level"] == "WARNING" and entry["status_code"] == 503
    assert "time" in entry


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_cache_url_picks_local_memory_or_redis(url, backend):
    assert cache_from_url(url)["BACKEND"] == backend


def test_an_unknown_cache_url_is_refused_clearly():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1")
