"""The public page cache: fast for anonymous readers, never stale, never someone else's."""

import datetime

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from learning.services import theme_save
from portal import cache as public_cache
from portal.middleware import PublicPageCacheMiddleware
from reviews.models import Review, Theme
from tests.factories import StaffUserFactory, build_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    settings.PUBLIC_CACHE_SECONDS = 600
    settings.PUBLIC_CACHE_GENERATION_FILE = str(tmp_path / "generation")
    cache.clear()
    yield
    cache.clear()


def test_an_anonymous_page_is_stored_once_and_then_served_from_the_cache(client):
    build_review(title="Baby Q", slug="baby-q")

    first = client.get("/reviews/")
    second = client.get("/reviews/")

    assert first.headers["X-Cache"] == "miss"
    assert second.headers["X-Cache"] == "hit"
    assert second.content == first.content
    # Headers inner middleware added travel with the stored page.
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]


def test_query_strings_are_separate_pages(client):
    for day in range(1, 23):
        build_review(title=f"Child {day:02d}", published_on=datetime.date(2024, 1, day), events=0)

    client.get(reverse("reviews:list"))
    second_page = client.get(reverse("reviews:list") + "?page=2")

    assert second_page.headers["X-Cache"] == "miss"
    assert "Child 01" in second_page.content.decode()


def test_a_new_publication_shows_at_once_on_every_cached_page(client):
    build_review(title="Baby Q", slug="baby-q")
    for url in ("/", "/reviews/"):
        client.get(url)
        assert client.get(url).headers["X-Cache"] == "hit"

    build_review(title="Child Fresh", slug="child-fresh")  # publishing invalidates

    for url in ("/", "/reviews/"):
        assert "Child Fresh" in client.get(url).content.decode(), url


def test_withdrawing_a_review_removes_it_from_cached_pages(client):
    from tests.portal.pages import withdraw

    review = build_review(title="Child W", slug="child-w")
    assert "Child W" in client.get("/reviews/").content.decode()
    assert client.get("/reviews/child-w/").status_code == 200

    withdraw(review)

    assert "Child W" not in client.get("/reviews/").content.decode()
    assert client.get("/reviews/child-w/").status_code == 410


def test_renaming_a_theme_shows_at_once(client):
    build_review(title="Baby Q", slug="baby-q")
    client.get("/themes/")
    theme = Theme.objects.get(slug="voice-of-the-child")

    theme.name = "Hearing the child"
    theme_save(theme=theme)

    assert "Hearing the child" in client.get("/themes/").content.decode()


def test_renaming_a_theme_in_the_admin_shows_at_once(admin_client, client):
    build_review(title="Baby Q", slug="baby-q")
    client.get("/themes/")
    theme = Theme.objects.get(slug="voice-of-the-child")

    response = admin_client.post(
        reverse("admin:learning_theme_change", args=[theme.pk]),
        {"name": "Hearing the child", "slug": theme.slug, "description": theme.description},
    )

    assert response.status_code == 302
    assert "Hearing the child" in client.get("/themes/").content.decode()


def test_a_change_nobody_announced_stays_hidden_until_invalidated(client):
    """Shows the cache really serves stored pages (and so that invalidation is needed)."""
    build_review(title="Baby Q", slug="baby-q")
    client.get("/reviews/")
    Review.objects.filter(title="Baby Q").update(title="Baby Renamed")

    assert "Baby Renamed" not in client.get("/reviews/").content.decode()
    public_cache.public_cache_invalidate()
    assert "Baby Renamed" in client.get("/reviews/").content.decode()


def test_signed_in_staff_always_get_a_fresh_page(client):
    build_review(title="Baby Q", slug="baby-q")
    client.get("/reviews/")
    Review.objects.filter(title="Baby Q").update(title="Baby Renamed")
    client.force_login(StaffUserFactory())

    response = client.get("/reviews/")

    assert "Baby Renamed" in response.content.decode()
    assert "X-Cache" not in response.headers


def test_a_visitor_with_a_session_is_never_served_or_stored(client):
    build_review(title="Baby Q", slug="baby-q")
    session = client.session
    session["pack"] = [1]
    session.save()

    first = client.get("/reviews/")
    second = client.get("/reviews/")

    assert "X-Cache" not in first.headers and "X-Cache" not in second.headers


def test_admin_pages_and_the_health_check_are_never_cached(client):
    for url in ("/admin/login/", "/healthz"):
        client.get(url)
        assert "X-Cache" not in client.get(url).headers


def test_not_found_pages_are_not_stored(client):
    client.get("/reviews/nothing-here/")
    assert "X-Cache" not in client.get("/reviews/nothing-here/").headers


@pytest.mark.parametrize(
    ("status", "headers", "cookie"),
    [
        (404, {}, False),
        (500, {}, False),
        (302, {}, False),
        (200, {"Cache-Control": "private"}, False),
        (200, {"Cache-Control": "no-store"}, False),
        (200, {"Cache-Control": "max-age=0, no-cache"}, False),
        (200, {"Vary": "Accept-Language"}, False),
        (200, {"Content-Security-Policy": "script-src 'nonce-abc'"}, False),
        (200, {}, True),
    ],
)
def test_responses_that_are_personal_or_not_ok_are_never_stored(status, headers, cookie):
    response = HttpResponse("page", status=status, headers=headers)
    if cookie:
        response.set_cookie("csrftoken", "secret")

    assert not PublicPageCacheMiddleware.may_store(response)


def test_an_ordinary_page_may_be_stored():
    response = HttpResponse("page", headers={"Vary": "Cookie"})
    assert PublicPageCacheMiddleware.may_store(response)


def test_a_page_with_a_csrf_form_is_not_stored_for_anyone(client):
    assert "X-Cache" not in client.get("/admin/login/").headers
    response = HttpResponse("x")
    response.set_cookie("csrftoken", "t")
    assert not PublicPageCacheMiddleware.may_store(response)


def test_the_generation_is_shared_through_a_file_that_other_workers_read(settings, tmp_path):
    before = public_cache.public_cache_generation()
    # Another worker process bumps the generation: it replaces the file.
    (tmp_path / "other").write_text("x")
    (tmp_path / "other").replace(tmp_path / "generation")

    assert public_cache.public_cache_generation() != before


def test_a_scheduled_go_live_limits_how_long_pages_are_kept():
    review = build_review(title="Baby Q", slug="baby-q")
    soon = timezone.now() + datetime.timedelta(seconds=90)
    Review.objects.filter(is_live=True, slug=review.slug).update(go_live_at=soon)
    public_cache.public_cache_invalidate()

    timeout = public_cache.page_timeout(public_cache.public_cache_generation())

    assert 0 < timeout <= 90


def test_without_scheduled_changes_pages_are_kept_for_the_configured_time():
    build_review(title="Baby Q", slug="baby-q")
    assert public_cache.page_timeout(public_cache.public_cache_generation()) == 600


def redis_reachable() -> bool:
    try:
        import redis

        return redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except Exception:
        return False


@pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379")
def test_with_redis_the_generation_is_a_counter_every_app_server_shares(settings, redis_key_prefix):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": redis_key_prefix,
        }
    }
    caches["default"].delete(public_cache.GENERATION_KEY)
    before = public_cache.public_cache_generation()

    public_cache.public_cache_invalidate()

    assert int(public_cache.public_cache_generation()) == int(before) + 1
    caches["default"].delete(public_cache.GENERATION_KEY)


def page_entries() -> int:
    return sum(1 for key in cache._cache if ":public:page:" in key)


def test_parameters_the_view_does_not_read_neither_defeat_nor_grow_the_cache(client):
    build_review(title="Baby Q", slug="baby-q")
    client.get("/reviews/")

    answers = [client.get(f"/reviews/?x={number}") for number in range(100)]

    assert {answer.headers["X-Cache"] for answer in answers} == {"hit"}
    assert page_entries() == 1


def test_declared_parameters_in_another_order_share_one_stored_page(client):
    build_review(title="Baby Q", slug="baby-q")

    first = client.get("/search/?q=baby&page=1&utm_source=x")
    second = client.get("/search/?page=1&q=baby")

    assert first.headers["X-Cache"] == "miss"
    assert second.headers["X-Cache"] == "hit"
    assert page_entries() == 1


def test_declared_parameters_still_make_different_pages(client):
    build_review(title="Baby Q", slug="baby-q")

    client.get("/search/?q=baby")
    other = client.get("/search/?q=neglect")

    assert other.headers["X-Cache"] == "miss"
    assert page_entries() == 2


def test_a_request_with_too_many_or_too_long_values_is_answered_without_the_cache(client):
    long_query = "/search/?q=" + "a" * 400
    many_themes = "/reviews/?" + "&".join(f"theme=t{number}" for number in range(11))

    for url in (long_query, many_themes):
        client.get(url)
        assert "X-Cache" not in client.get(url).headers
    assert page_entries() == 0


def test_a_route_that_declares_nothing_is_keyed_on_its_path_alone(client):
    build_review(title="Baby Q", slug="baby-q")
    client.get("/reviews/baby-q/")

    assert client.get("/reviews/baby-q/?page=7").headers["X-Cache"] == "hit"


def test_a_page_larger_than_the_bound_is_served_but_not_stored(settings):
    settings.PUBLIC_CACHE_MAX_PAGE_BYTES = 10
    assert not PublicPageCacheMiddleware.may_store(HttpResponse("x" * 11))


def test_the_local_memory_cache_holds_a_bounded_number_of_entries(settings):
    from portal.settings.base import cache_from_url

    assert cache_from_url("")["OPTIONS"]["MAX_ENTRIES"] > 0


def test_the_cache_never_holds_more_entries_than_its_bound(client, settings, monkeypatch):
    from django.core.cache import caches

    from portal.settings.base import cache_from_url

    monkeypatch.setenv("CACHE_MAX_ENTRIES", "12")
    settings.CACHES = {"default": cache_from_url("")}
    build_review(title="Baby Q", slug="baby-q")

    answers = [client.get("/search/", {"q": f"word{number}"}) for number in range(40)]

    assert {answer.headers["X-Cache"] for answer in answers} == {"miss"}
    assert 0 < len(caches["default"]._cache) <= 12
