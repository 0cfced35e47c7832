"""Counting what one client does, in a place every worker process shares.

Fixed windows: a hit in window `n` (`now // window`) counts towards that window only, so a
client can make at most `2 * limit` hits across a window boundary; simple, and cheap
enough to run before any expensive work.

Where the counts live must be shared by every process serving the site, or four workers
allow four times the limit:
- a shared cache (Redis, `CACHE_URL=redis://...`): `add` then `incr`, both atomic there;
- otherwise (the per-process local-memory cache): a row per key and window in the
  database, incremented by one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement
  (PostgreSQL, and SQLite 3.35 or newer), which is atomic on both.

Used by the admin sign-in limiter (portal.middleware) and the PDF render limiter
(learning.pdf). A caller raises `RateLimited`; `RateLimitedMiddleware` answers 429.
"""

import hashlib
import random
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.http import HttpRequest

from portal.models import RateCounter

# One hit in this many also deletes expired rows of the database store.
PRUNE_ONE_IN = 200


class RateLimited(Exception):
    """The client has done this too often; `reason` is shown to them on the 429 page."""

    def __init__(self, *, retry_after: int, reason: str):
        super().__init__(reason)
        self.retry_after = max(1, int(retry_after))
        self.reason = reason


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, unless the site runs behind trusted proxies.

    Behind N proxies that each append the address they received from to X-Forwarded-For,
    set TRUSTED_PROXY_COUNT=N: the Nth entry from the right is the one the outermost of
    our proxies saw, which a client cannot forge (anything to its left can be). Without
    the setting every client behind a proxy shares the proxy's address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def _shared_cache() -> bool:
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def _key(scope: str, identity: str) -> str:
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{scope[:40]}:{digest}"


def _window(window: int) -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    now = time.time()
    number = int(now // window)
    return number, max(1, int((number + 1) * window - now))


def _database_hit(key: str, number: int, expires: int) -> int:

    quote = connection.ops.quote_name
    table, key_, window_, hits_, expires_ = (
        quote(name) for name in (RateCounter._meta.db_table, "key", "window", "hits", "expires_at")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {window_}, {hits_}, {expires_}) "  # noqa: S608
            f"VALUES (%s, %s, 1, %s) ON CONFLICT ({key_}, {window_}) "
            f"DO UPDATE SET {hits_} = {table}.{hits_} + 1 RETURNING {hits_}",
            [key, number, expires],
        )
        hits = cursor.fetchone()[0]
        if random.randrange(PRUNE_ONE_IN) == 0:  # noqa: S311 - not security, just housekeeping
            RateCounter.objects.filter(expires_at__lt=int(time.time())).delete()
    return hits


def rate_limit_hit(*, scope: str, identity: str, limit: int, window: int) -> int | None:
    """Counts one hit; None while the client is within `limit` hits per `window` seconds,
    else the seconds until it may try again."""
    count = _count(scope=scope, identity=identity, window=window, add=1)
    return None if count <= limit else _window(window)[1]


def rate_limit_client(
    request: HttpRequest, *, scope: str, limit: int, window: int, reason: str
) -> None:
    """Counts one hit from the visitor's address; raises RateLimited (the 429 page, showing
    `reason`) once they are past `limit` hits per `window` seconds."""
    wait = rate_limit_hit(scope=scope, identity=client_ip(request), limit=limit, window=window)
    if wait:
        raise RateLimited(retry_after=wait, reason=reason)


def rate_limit_exceeded(*, scope: str, identity: str, limit: int, window: int) -> int | None:
    """Like `rate_limit_hit` but counts nothing: None if one more hit would be allowed."""
    count = _count(scope=scope, identity=identity, window=window, add=0)
    return None if count < limit else _window(window)[1]


def rate_limit_reset(*, scope: str, identity: str, window: int) -> None:
    """Forgets the client's hits in the current window (a successful sign-in)."""
    number, _ = _window(window)
    key = _key(scope, identity)
    if _shared_cache():
        cache.delete(f"ratelimit:{key}:{number}")
        return

    RateCounter.objects.filter(key=key, window=number).delete()


def _count(*, scope: str, identity: str, window: int, add: int) -> int:
    number, left = _window(window)
    key = _key(scope, identity)
    if _shared_cache():
        cache_key = f"ratelimit:{key}:{number}"
        if not add:
            return int(cache.get(cache_key, 0))
        cache.add(cache_key, 0, left + 1)
        try:
            return cache.incr(cache_key, add)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, add, left + 1)
            return add
    if not add:
        row = RateCounter.objects.filter(key=key, window=number).values_list("hits", flat=True)
        return next(iter(row), 0)
    return _database_hit(key, number, int(time.time()) + left + 1)
