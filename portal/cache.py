"""The cache of public pages: whole anonymous responses, dropped the moment content changes.

A page is stored under its host, path and query string plus a "public content generation".
`public_cache_invalidate()` moves the generation on, so every stored page becomes unreachable
at once, in every worker of every app server. Services that change what the public sees
(publishing, withdrawing, scheduling, reverting, editing themes or the board's texts) call it
after their transaction commits.

Where the generation lives must be visible to every process serving the site:
- a shared cache (Redis, `CACHE_URL=redis://...`): a counter in that cache;
- a per-process cache (local memory, the default): a small file whose inode and mtime are the
  generation, so a publish in one gunicorn worker reaches the others on the same machine.
  Several app servers therefore need Redis (docs/deploy.md).

Each page is keyed on the query parameters its view reads, declared beside its route with
`@public_cache_params(...)`, in canonical order; any other parameter is ignored, so
`?x=1`, `?x=2`... neither defeat the cache nor grow it. A request whose declared parameters
are too many or too long is served without the cache.

Scheduled go-live needs no job either: a stored page never outlives the next moment at which
`Review.objects.published()` would give a different answer (a live copy's go-live time, or
midnight after a "keep published until" date).
"""

import datetime
import os
import tempfile
from hashlib import sha256
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.module_loading import import_string

GENERATION_KEY = "public:generation"
# A declared parameter with more values than this, or a value longer than this, is not a
# page anyone shares: the request is answered without the cache.
MAX_VALUES_PER_PARAMETER = 10
MAX_VALUE_LENGTH = 300


def public_cache_params(*names: str):
    """Declares the query parameters a view reads; the page cache keys its pages on those
    alone. Apply it where the route is declared: `public_cache_params("q", "page")(view)`."""

    def declare(view):
        view.public_cache_params = tuple(sorted(set(names)))
        return view

    return declare


def canonical_query(query: QueryDict, names: tuple[str, ...]) -> str | None:
    """The declared parameters as one string, names sorted, each value's order kept (the
    view may print it); None when they are too many or too long to be worth storing."""
    parts = []
    for name in names:
        values = query.getlist(name)
        if len(values) > MAX_VALUES_PER_PARAMETER or any(
            len(value) > MAX_VALUE_LENGTH for value in values
        ):
            return None
        parts.extend((name, value) for value in values)
    return urlencode(parts)


def _uses_process_local_cache() -> bool:
    return isinstance(caches["default"], LocMemCache)


def generation_file() -> Path:
    configured = getattr(settings, "PUBLIC_CACHE_GENERATION_FILE", None)
    if configured:
        return Path(configured)
    # One file per project folder and database, in the machine's temporary folder.
    database = str(settings.DATABASES["default"].get("NAME", ""))
    tag = sha256(f"{settings.BASE_DIR}|{database}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"portal-public-generation-{tag}"


def public_cache_generation() -> str:
    """The current generation; part of every stored page's key."""
    if _uses_process_local_cache():
        try:
            stat = os.stat(generation_file())
        except FileNotFoundError:
            return "0"
        return f"{stat.st_ino}.{stat.st_mtime_ns}"
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # add() so two workers starting together agree on one value.
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return str(generation)


def _bump() -> None:
    if _uses_process_local_cache():
        path = generation_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        # A new file replaces the old one, so the inode changes even if two bumps land in
        # the same clock tick.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
        with os.fdopen(fd, "w") as handle:
            handle.write(str(timezone.now().timestamp()))
        os.replace(tmp, path)
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def public_cache_invalidate() -> None:
    """Forget every stored public page: call it whenever anything public changes.

    Inside a transaction the pages are dropped when it commits (so nobody can store the old
    content again in between) and also right away.
    """
    _bump()
    transaction.on_commit(_bump)


def next_visibility_change(now: datetime.datetime) -> datetime.datetime | None:
    """When what the public sees will next change on its own, with nothing saved (a scheduled
    go-live, an end date). The apps know; settings.PUBLIC_CACHE_NEXT_CHANGE names the
    function that asks them, so this shared module imports none of them."""
    return import_string(settings.PUBLIC_CACHE_NEXT_CHANGE)(now=now)


def page_timeout(generation: str) -> int:
    """Seconds a page stored now may be served: the configured time, or less if a scheduled
    change comes sooner. The answer is remembered per generation, so it costs one query
    per publication, not per page."""
    longest = settings.PUBLIC_CACHE_SECONDS
    key = f"public:next-change:{generation}"
    now = timezone.now()
    stored = cache.get(key)
    if stored is None or (stored and stored <= now.timestamp()):
        moment = next_visibility_change(now)
        stored = moment.timestamp() if moment else 0
        cache.set(key, stored, timeout=longest)
    if not stored:
        return longest
    return max(0, min(longest, int(stored - now.timestamp())))
