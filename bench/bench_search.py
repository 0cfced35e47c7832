"""Search and faceted listing at 1,000 and 10,000 generated reviews, on PostgreSQL.

Makes its own database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench),
generates reviews with `generate_reviews`, and times whole pages through Django's test
client (the page cache off, so every request does the work): 50 fixed searches, and the
review list with facet selections. Also reports the search index's size on disk against
the text it indexes, and the memory (RSS) of a fresh worker process that has served the
same pages. Prints BENCH lines for bench/run.py, then drops the database. Without a
reachable PostgreSQL it says so and exits 0.

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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import bench, on_scratch_database, percentile  # noqa: E402

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


def index_size() -> tuple[int, int]:
    """(bytes on disk of what search keeps beyond the entries' text, bytes of that text).

    Counted generically, so one figure serves every design: every learning_search* table
    but the entries themselves (with their indexes and TOAST), the entries' GIN and GiST
    indexes, and the stored size of a `vector` column on the entries if there is one.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "WHERE c.relkind IN ('r', 'm') AND c.relname LIKE %s "
            "AND c.relname <> 'learning_searchentry'",
            ["learning\\_search%"],
        )
        tables = cursor.fetchone()[0]
        cursor.execute(
            "SELECT coalesce(sum(pg_relation_size(i.indexrelid)), 0) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid = 'learning_searchentry'::regclass AND a.amname IN ('gin', 'gist')"
        )
        indexes = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'learning_searchentry' AND column_name = 'vector'"
        )
        vectors = 0
        if cursor.fetchone()[0]:
            cursor.execute(
                "SELECT coalesce(sum(pg_column_size(vector)), 0) FROM learning_searchentry"
            )
            vectors = cursor.fetchone()[0]
        cursor.execute(
            "SELECT sum(octet_length(title) + octet_length(body) + octet_length(detail)) "
            "FROM learning_searchentry"
        )
        text = cursor.fetchone()[0] or 0
    return int(tables + indexes + vectors), int(text)


def worker() -> int:
    """A fresh process serving the benchmark's pages once (`--worker`): its peak RSS is what
    a web worker needs for search (catalogue, caches, Django)."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.PUBLIC_CACHE_SECONDS = 0
    client = Client()
    for query in QUERIES:
        assert client.get("/search/", {"q": query}).status_code == 200
    for params in FACETED:
        assert client.get("/reviews/", params).status_code == 200
    for params in FACETED[:4]:
        assert client.get("/search/", {"q": "neglect", **params}).status_code == 200
    # VmHWM, not getrusage's ru_maxrss: that carries the parent's peak across exec (the
    # benchmark's own process, grown by generating the reviews).
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    print(json.dumps({"peak_kb": int(status["VmHWM"].split()[0])}))
    return 0


def worker_rss_mb() -> float:
    import subprocess

    completed = subprocess.run(
        [sys.executable, __file__, "--worker"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DATABASE_URL": DATABASE_URL},
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])["peak_kb"] / 1024


def main() -> int:
    return on_scratch_database(database_url=DATABASE_URL, label="bench_search", run=run)


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

        samples, by_query = [], {}
        for _ in range(ROUNDS):
            for query in QUERIES:
                began = time.perf_counter()
                response = client.get("/search/", {"q": query})
                took = (time.perf_counter() - began) * 1000
                samples.append(took)
                by_query[query] = max(by_query.get(query, 0), took)
                assert response.status_code == 200, (query, response.status_code)
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        big = scale >= 10_000
        bench(f"search p50 at {scale:,} reviews", round(p50, 1), "ms",
              "< 15 ms" if big else None, p50 < 15 if big else None)  # fmt: skip
        bench(f"search p95 at {scale:,} reviews", round(p95, 1), "ms",
              "< 30 ms" if big else None, p95 < 30 if big else None)  # fmt: skip
        worst = max(by_query, key=by_query.get)
        bench(f"slowest of the mix at {scale:,} reviews ({worst})", round(by_query[worst], 1))

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
        bench(f"faceted review list p50 at {scale:,} reviews", round(statistics.median(samples), 1))
        bench(f"faceted review list p95 at {scale:,} reviews", round(p95, 1), "ms",
              "< 50 ms" if big else None, p95 < 50 if big else None)  # fmt: skip
        samples = []
        for _ in range(ROUNDS):
            for params in FACETED[:9]:
                began = time.perf_counter()
                response = client.get("/search/", {"q": "neglect", **params})
                samples.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (params, response.status_code)
        bench(f"faceted search p50 at {scale:,} reviews", round(statistics.median(samples), 1))
        bench(f"faceted search p95 at {scale:,} reviews", round(percentile(samples, 0.95), 1))

        index, text = index_size()
        bench(f"search index on disk at {scale:,} reviews", round(index / 2**20, 1), "MB")
        bench(f"indexed text at {scale:,} reviews", round(text / 2**20, 1), "MB")
        ratio = index / text if text else 0
        bench(f"search index / indexed text at {scale:,} reviews", round(ratio, 2), "x",
              "<= 3" if big else None, ratio <= 3 if big else None)  # fmt: skip
        rss = worker_rss_mb()
        bench(f"worker peak RSS, serving the pages at {scale:,} reviews", round(rss, 1), "MB",
              "< 150 MB" if big else None, rss < 150 if big else None)  # fmt: skip

        # The most expensive queries within the length cap (issue 14): a hundred short
        # distinct words, and a long run of broad ones. Each must cost under 300 ms.
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
              "< 300 ms", slowest < 300)  # fmt: skip
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
    if sys.argv[1:] == ["--worker"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
        sys.exit(worker())
    sys.exit(main())
