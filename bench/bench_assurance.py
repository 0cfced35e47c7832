"""The assurance report (/admin/assurance/) with 10,000 actions, on PostgreSQL.

Makes its own database (BENCH_ASSURANCE_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/portal_bench_assurance), migrates it, adds 5 boards, 30
agencies and 200 reviews (working copies, through the factories) and 10,000 actions in every
BRAG state (bulk_create: benchmark data, not a write path), runs ANALYZE
(portal/db.database_analyse), then times whole pages through Django's test client as a
signed-in publisher: the report unfiltered and with each filter, its CSV and its PDF.
Target: the page under 300 ms (median). Prints BENCH lines for bench/run.py, then drops the
database. Without a reachable PostgreSQL it says so and exits 0.

    .venv/bin/python bench/bench_assurance.py
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import bench, on_scratch_database, percentile  # noqa: E402
from _pgcpu import timed_get  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_ASSURANCE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_assurance"
)
ACTIONS = int(os.environ.get("BENCH_ASSURANCE_ACTIONS", "10000"))
ROUNDS = 15
TARGET_MS = 300


def main() -> int:
    return on_scratch_database(
        database_url=DATABASE_URL, label="bench_assurance", run=run, keep_connection=True
    )


def load(today: datetime.date) -> None:
    from reviews.models import Action
    from tests.factories import AgencyFactory, BoardFactory, ReviewFactory

    rng = random.Random(16)
    boards = [BoardFactory(name=f"Partnership {n}") for n in range(5)]
    agencies = [AgencyFactory(name=f"Agency {n:02d}") for n in range(30)]
    reviews = [
        ReviewFactory(title=f"Child {n}", slug=f"child-{n}", board=boards[n % 5], draft=True)
        for n in range(200)
    ]
    statuses = list(Action.Status)
    actions = []
    for n in range(ACTIONS):
        review = reviews[n % len(reviews)]
        number, position = divmod(n // len(reviews), 10)
        actions.append(
            Action(
                review=review,
                recommendation_number=number + 1,
                position=position + 1,
                description=f"Action {n}: audit the use of the safe sleep assessment tool.",
                owner=rng.choice(agencies),
                due_on=today + datetime.timedelta(days=rng.randint(-200, 300)),
                status=rng.choice(statuses),
            )
        )
    Action.objects.bulk_create(actions, batch_size=2000)


def run() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from portal.db import database_analyse
    from tests.factories import PublisherFactory

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    bench("load average at start", round(os.getloadavg()[0], 2), "")
    started = time.perf_counter()
    load(timezone.localdate())
    database_analyse()
    bench(f"load {ACTIONS:,} actions and ANALYZE", round(time.perf_counter() - started, 1), "s")

    client = Client()
    client.force_login(PublisherFactory(username="bench-publisher"))
    url = "/admin/assurance/"
    assert client.get(url).status_code == 200  # warm up: templates, first connection
    bench("load average before timing", round(os.getloadavg()[0], 2), "")

    cpu_samples: list[float] = []

    def timed(path: str, params: dict | None = None, rounds: int = ROUNDS) -> list[float]:
        samples = []
        for _ in range(rounds):
            wall, cpu, status = timed_get(client, path, params)
            assert status == 200, (path, params, status)
            samples.append(wall)
            cpu_samples.append(cpu)
        return samples

    samples = timed(url)
    cpu = statistics.median(cpu_samples)
    median, p95 = statistics.median(samples), percentile(samples, 0.95)
    bench(f"report page, {ACTIONS:,} actions, median", round(median, 1), "ms",
          f"< {TARGET_MS} ms", median < TARGET_MS)  # fmt: skip
    bench(f"report page, {ACTIONS:,} actions, p95", round(p95, 1), "ms")
    bench(f"report page, {ACTIONS:,} actions, CPU (Django + PostgreSQL), median",
          round(cpu, 1), "ms")  # fmt: skip
    filtered = []
    for params in (
        {"board": "partnership-1"},
        {"agency": "agency-07"},
        {"review": "child-12"},
        {"brag": "red"},
        {"board": "partnership-2", "brag": "amber"},
    ):
        filtered += timed(url, params, rounds=5)
    worst = max(filtered)
    bench("report page with filters, slowest", round(worst, 1), "ms",
          f"< {TARGET_MS} ms", worst < TARGET_MS)  # fmt: skip
    csv = timed(url + "assurance.csv", {"table": "actions"}, rounds=5)
    bench(f"CSV of all {ACTIONS:,} actions, median", round(statistics.median(csv), 1), "ms")
    pdf = timed(url + "assurance.pdf", rounds=3)
    bench(
        "A4 PDF (200 reviews, 30 agencies, 50 overdue and 50 due soon listed), median",
        round(statistics.median(pdf)),
        "ms",
    )

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    bench(f"queries for the page at {ACTIONS:,} actions", len(queries), "queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
