"""The shared rate limiter and the admin sign-in limiter built on it."""

import threading
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from portal import urls as portal_urls
from portal.middleware import RateLimitedMiddleware, fold_username
from portal.ratelimit import RateLimited, client_ip, rate_limit_client, rate_limit_hit
from tests.factories import StaffUserFactory
from tests.portal.test_pages import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    settings.LOGIN_FAILURES_PER_ADDRESS = 50
    cache.clear()
    yield settings
    cache.clear()


@pytest.mark.parametrize(
    "spelling",
    ["EDITOR", "ｅｄｉｔｏｒ", " Editor ", "ＥＤＩＴＯＲ"],
)
def test_usernames_that_differ_only_by_unicode_form_or_case_share_one_count(
    client, limits, spelling
):
    StaffUserFactory(username="editor")
    sign_in(client, "editor", "guess")
    sign_in(client, "Editor", "guess")
    sign_in(client, spelling, "guess")

    assert sign_in(client, "editor", "correct horse battery staple").status_code == 429


def test_folding_joins_composed_and_decomposed_accents():
    assert fold_username("Zoe\u0301") == fold_username("ZO\u00c9")


def test_counts_survive_a_worker_whose_local_cache_is_empty(client, limits):
    """Every worker has its own local-memory cache; a fresh one must not mean fresh tries."""
    StaffUserFactory(username="editor")
    for _ in range(3):
        sign_in(client, "editor", "guess")
        cache.clear()  # the next attempt lands on a worker that has seen none of them

    assert sign_in(client, "editor", "correct horse battery staple").status_code == 429


def test_behind_two_trusted_proxies_the_visitors_address_is_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.2", REMOTE_ADDR="10.0.0.3"
    )

    assert client_ip(request) == "203.0.113.7"


def test_without_trusted_proxies_a_forged_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.3")

    assert client_ip(request) == "10.0.0.3"


def test_hits_beyond_the_limit_are_refused_with_the_time_to_wait():
    answers = [rate_limit_hit(scope="t", identity="a", limit=3, window=60) for _ in range(5)]

    assert answers[:3] == [None, None, None]
    assert all(0 < wait <= 60 for wait in answers[3:])
    assert rate_limit_hit(scope="t", identity="b", limit=3, window=60) is None


def test_a_client_past_its_limit_is_refused_with_the_reason_and_others_are_not():
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    other = RequestFactory().post("/", REMOTE_ADDR="10.0.0.8")
    for _ in range(2):
        rate_limit_client(request, scope="c", limit=2, window=60, reason="Slow down.")

    with pytest.raises(RateLimited, match="Slow down.") as refused:
        rate_limit_client(request, scope="c", limit=2, window=60, reason="Slow down.")

    assert 0 < refused.value.retry_after <= 60
    rate_limit_client(other, scope="c", limit=2, window=60, reason="Slow down.")


def test_a_raised_rate_limited_becomes_a_429_page_that_says_why_and_when(rf):
    def view(request):
        raise RateLimited(retry_after=125, reason="You have made many PDFs in a short time.")

    middleware = RateLimitedMiddleware(lambda request: HttpResponse())
    request = rf.get("/themes/neglect/discussion-sheet.pdf")
    try:
        view(request)
    except RateLimited as error:
        response = middleware.process_exception(request, error)

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "125"
    assert response.headers["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "You have made many PDFs in a short time." in page
    assert "3 minutes" in page


def limited_view(request):
    raise RateLimited(retry_after=5, reason="Too many PDFs.")


# i18n_patterns may not be include()d: the portal's own list, with one route added.
urlpatterns = [path("limited/", limited_view), *portal_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_the_middleware_is_installed_so_any_view_may_raise_rate_limited(client):
    response = client.get("/limited/")

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "5"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_hits_from_many_connections_allow_exactly_the_limit():
    allowed = []
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait()
        for _ in range(5):
            if rate_limit_hit(scope="race", identity="one", limit=17, window=600) is None:
                allowed.append(1)
        connection.close()

    run_together(worker, threads=8)

    assert len(allowed) == 17


def run_together(worker, *, threads: int) -> None:
    running = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()


@pytest.fixture
def redis_cache(settings, redis_key_prefix):
    """Redis as the cache; yields an identity no earlier run has counted (nothing is
    cleared, so other tests using the same Redis keep their keys), under keys of this test's
    own (parallel workers share the Redis)."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": redis_key_prefix,
        }
    }
    return uuid.uuid4().hex


def test_concurrent_hits_through_redis_allow_exactly_the_limit(redis_cache):
    allowed = []
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait()
        for _ in range(5):
            if rate_limit_hit(scope="race", identity=redis_cache, limit=17, window=600) is None:
                allowed.append(1)

    run_together(worker, threads=8)

    assert len(allowed) == 17


def test_with_a_shared_cache_the_counts_live_there(redis_cache):
    from portal.models import RateCounter

    answers = [
        rate_limit_hit(scope="r", identity=redis_cache, limit=2, window=60) for _ in range(3)
    ]

    assert answers[:2] == [None, None] and answers[2] is not None
    assert not RateCounter.objects.exists()


@pytest.fixture
def budget(settings, tmp_path):
    settings.PUBLIC_REQUESTS_PER_ADDRESS = 3
    settings.PUBLIC_REQUEST_WINDOW = 60
    settings.PUBLIC_CACHE_GENERATION_FILE = str(tmp_path / "generation")
    cache.clear()
    yield settings
    cache.clear()


def test_one_address_gets_a_budget_of_uncached_requests_then_429(client, budget):
    answers = [client.get("/reviews/", {"theme": f"t{n}"}).status_code for n in range(4)]

    assert answers == [200, 200, 200, 429]
    refused = client.get("/search/", {"q": "neglect"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "more than one person reading would" in refused.content.decode()
    assert client.get("/reviews/", REMOTE_ADDR="192.0.2.44").status_code == 200


def test_pages_served_from_the_cache_are_never_counted(client, budget):
    budget.PUBLIC_CACHE_SECONDS = 600

    answers = {client.get("/reviews/").status_code for _ in range(20)}

    assert answers == {200}


def test_the_admin_and_the_health_check_are_never_counted(client, budget):
    client.force_login(StaffUserFactory(username="editor", is_superuser=True))

    answers = {client.get(url).status_code for url in ["/admin/", "/healthz"] * 5}

    assert answers == {200}


def test_a_refusal_carries_the_security_headers(client, budget):
    for number in range(3):
        client.get("/reviews/", {"theme": f"t{number}"})

    refused = client.get("/reviews/")

    assert refused.status_code == 429
    assert "frame-ancestors 'none'" in refused.headers["Content-Security-Policy"]
    assert refused.headers["X-Frame-Options"] == "DENY"
