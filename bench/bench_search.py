"""Search and faceted listing at 1,000 and 10,000 generated reviews, on PostgreSQL.

Makes its own database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench),
generates reviews with `generate_reviews`, and times whole pages through Django's test
client (the page cache off, so every request does the work): 50 fixed searches, and the
review list with facet selections. Prints BENCH lines for bench/run.py, then drops the
database. Without a reachable PostgreSQL it says so and exits 0.

    .venv/bin/python bench/bench_search.py
"""

import json
import os
import random
import statistics
import string
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
)
SCALES = [int(n) for n in os.environ.get("BENCH_SEARCH_SCALES", "1000,10000").split(",")]
ROUNDS = 3

QUERIES = [
    "neglect", "domestic abuse", "listening to the child", '"safe sleep"', "health visitor",
    "bruising baby", "professional curiosity", "disguised compliance", "escalation", "fathers",
    "missed appointments", "cannabis", "school attendance", "self-harm", "exploitation",
    "interpreter", "strategy discussion", "early help assessment", "thresholds", "supervision",
    "mental health", "drinking", "police", "GP", "midwife", "frequent moves", "coercive control",
    "weight centiles", '"information sharing"', "explanations for injuries", "nobody asked",
    "voice of the child", "assessing the whole household", "referral did not reach threshold",
    "teacher disclosure", "missing overnight", "older men", "parenting support declined",
    "manager", "closed the case", "history not the incident", "transition adult services",
    "nonexistentword", "negelct", "the", "child", "-police neglect", "bath or dog",
    "curiosity is not suspicion", "pattern",
]  # fmt: skip
FACETED = [
    {},
    {"theme": "neglect"},
    {"nation": "wales"},
    {"year": "2020"},
    {"agency": "police"},
    {"age": "under-1"},
    {"outcome": "died"},
    {"type": "serious-case-review"},
    {"theme": ["neglect", "domestic-abuse"], "nation": "england"},
    {"theme": "voice-of-the-child", "age": "under-1", "outcome": "serious-harm"},
    {"agency": ["police", "gp"], "year": ["2019", "2020", "2021"]},
    {"nation": "england", "page": "5"},
]


def bench(name, value, unit="ms", target=None, ok=None):
    row = {"name": name, "value": value, "unit": unit, "target": target, "ok": ok}
    print("BENCH " + json.dumps(row), flush=True)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def admin_connection():
    import psycopg2

    parsed = urlparse(DATABASE_URL)
    connection = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
        connect_timeout=3,
    )
    connection.autocommit = True
    return connection, parsed.path.lstrip("/")


def main() -> int:
    try:
        admin, name = admin_connection()
    except Exception as error:  # noqa: BLE001 - any failure to connect means "skip"
        print(f"SKIP bench_search: PostgreSQL not reachable at {DATABASE_URL} ({error})")
        return 0
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    try:
        return run()
    finally:
        from django.db import connections

        connections.close_all()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def run() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from learning.discovery.catalogue import catalogue_read
    from learning.discovery.facets import ReviewFilters
    from learning.discovery.search import search

    # Not setup_test_environment(): it makes every template render send a signal on which
    # the test client copies the whole context, a cost production never pays.
    settings.ALLOWED_HOSTS = ["*"]
    # The public page cache would answer repeated requests without doing the work.
    settings.PUBLIC_CACHE_SECONDS = 0
    call_command("migrate", verbosity=0)
    # The machine is shared: the load says how far to trust the timings.
    bench("load average at start", round(os.getloadavg()[0], 2), "")
    client = Client()
    generated = 0
    generation_seconds = 0.0
    query_counts: dict[str, set[int]] = {"search": set(), "list": set()}
    for scale in SCALES:
        added = scale - generated
        started = time.perf_counter()
        call_command("generate_reviews", count=added, seed=scale, verbosity=0)
        step = time.perf_counter() - started
        generation_seconds += step
        generated = scale
        bench(f"generate {added:,} reviews (to {scale:,})", round(step, 1), "s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            # Write out what generating left in memory now, so a checkpoint does not land in
            # the middle of the timings (the benchmark times searching, not bulk loading).
            cursor.execute("CHECKPOINT")
        client.get("/search/", {"q": "warm up"})
        # What every process pays once per publication (learning/discovery/catalogue.py).
        began = time.perf_counter()
        catalogue_read(generation="bench")
        seconds = time.perf_counter() - began
        bench(f"catalogue read at {scale:,} reviews", round(seconds * 1000), "ms")
        tracemalloc.start()
        kept = catalogue_read(generation="bench")
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        bench(f"catalogue memory at {scale:,} reviews", round(held / 2**20, 1), "MB")
        del kept

        samples = []
        for _ in range(ROUNDS):
            for query in QUERIES:
                began = time.perf_counter()
                response = client.get("/search/", {"q": query})
                samples.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (query, response.status_code)
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        big = scale >= 10_000
        bench(f"search p50 at {scale:,} reviews", round(p50, 1), "ms",
              "< 20 ms" if big else None, p50 < 20 if big else None)  # fmt: skip
        bench(f"search p95 at {scale:,} reviews", round(p95, 1), "ms",
              "< 50 ms" if big else None, p95 < 50 if big else None)  # fmt: skip

        # The same searches without the page around them: the search service alone
        # (matching, counting every facet, ranking, excerpts), for where the time goes.
        samples = []
        for _ in range(ROUNDS):
            for query in QUERIES:
                began = time.perf_counter()
                search(query=query, filters=ReviewFilters())
                samples.append((time.perf_counter() - began) * 1000)
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        bench(f"search() alone p50 at {scale:,} reviews", round(p50, 1), "ms")
        bench(f"search() alone p95 at {scale:,} reviews", round(p95, 1), "ms")

        samples = []
        for _ in range(ROUNDS):
            for params in FACETED:
                began = time.perf_counter()
                response = client.get("/reviews/", params)
                samples.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (params, response.status_code)
        p95 = percentile(samples, 0.95)
        bench(f"faceted review list p95 at {scale:,} reviews", round(p95, 1), "ms",
              "< 50 ms" if big else None, p95 < 50 if big else None)  # fmt: skip

        # The most expensive queries within the length cap (issue 14): a hundred short
        # distinct words, and a long run of broad ones. Each must cost well under a second.
        rng = random.Random(scale)
        hostile = []
        for _ in range(5):
            words: set[str] = set()
            while len(" ".join(words)) < 290:
                words.add("".join(rng.choices(string.ascii_lowercase, k=2)))
            hostile.append(" ".join(sorted(words))[:299].rsplit(" ", 1)[0])
        hostile.append("child neglect police health visitor school mother father baby care")
        samples, too_broad = [], 0
        for query in hostile:
            began = time.perf_counter()
            response = client.get("/search/", {"q": query, "x": rng.random()})
            samples.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (query[:40], response.status_code)
            too_broad += b"This search is too broad" in response.content
        slowest = max(samples)
        bench(f"slowest hostile search at {scale:,} reviews", round(slowest, 1), "ms",
              "< 1000 ms", slowest < 1000)  # fmt: skip
        bench(f"hostile searches stopped as too broad at {scale:,}", too_broad, "searches")

        for kind, url, params in (
            ("search", "/search/", {"q": "neglect", "theme": "neglect"}),
            ("list", "/reviews/", {"theme": "neglect", "nation": "england"}),
        ):
            with CaptureQueriesContext(connection) as queries:
                client.get(url, params)
            query_counts[kind].add(len(queries))
            bench(f"{kind} page queries at {scale:,} reviews", len(queries), "queries")

    if len(SCALES) > 1:
        constant = all(len(counts) == 1 for counts in query_counts.values())
        bench("queries per page constant across scales", int(constant), "", "1", constant)
    bench("load average at end", round(os.getloadavg()[0], 2), "")
    bench(f"generate {generated:,} reviews in all", round(generation_seconds, 1), "s",
          "< 180 s" if generated >= 10_000 else None,
          generation_seconds < 180 if generated >= 10_000 else None)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
