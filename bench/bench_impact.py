"""The reach and impact report (/admin/impact/) with 50,000 discussion returns, on PostgreSQL.

Makes its own database (BENCH_IMPACT_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/portal_bench_impact), migrates it, adds 30 agencies, 100
reviews (working copies, through the factories) with two learning points each across the
shipped themes, a use code per review and five theme sheets, and 50,000 returns over three
years (bulk_create: benchmark data, not a write path; 80 % let through, 15 % held, 5 %
rejected; a third with a follow-up answered), runs ANALYZE (portal/db.database_analyse),
then times whole pages through Django's test client as a signed-in superuser: the report
unfiltered, with each filter, a later page of quotes, and the CSVs. Target: the page under
300 ms (median). Prints BENCH lines for bench/run.py, then drops the database. Without a
reachable PostgreSQL it says so and exits 0.

    .venv/bin/python bench/bench_impact.py
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
    "BENCH_IMPACT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_impact"
)
RETURNS = int(os.environ.get("BENCH_IMPACT_RETURNS", "50000"))
ROUNDS = 15
TARGET_MS = 300


def main() -> int:
    return on_scratch_database(
        database_url=DATABASE_URL, label="bench_impact", run=run, keep_connection=True
    )


def load(today: datetime.date) -> None:
    from django.utils import timezone

    from learning.returns.models import DiscussionReturn, UseCode
    from reviews.models import Theme
    from tests.factories import AgencyFactory, LearningPointFactory, ReviewFactory

    rng = random.Random(17)
    agencies = [AgencyFactory(name=f"Agency {n:02d}") for n in range(30)]
    themes = list(Theme.objects.all())
    reviews = []
    for n in range(100):
        review = ReviewFactory(title=f"Child {n}", slug=f"child-{n}", draft=True)
        for position in (1, 2):
            LearningPointFactory(review=review, position=position, themes=rng.sample(themes, 2))
        reviews.append(review)
    codes = [
        UseCode(code=f"R{n:07d}", kind=UseCode.Kind.DISCUSSION_SHEET, review=review,
                snapshot={}, digest=f"r{n:063d}")
        for n, review in enumerate(reviews)
    ] + [
        UseCode(code=f"T{n:07d}", kind=UseCode.Kind.THEME_SHEET, theme=theme, snapshot={},
                digest=f"t{n:063d}")
        for n, theme in enumerate(themes[:5])
    ]  # fmt: skip
    UseCode.objects.bulk_create(codes)
    statuses = (
        [DiscussionReturn.Status.VISIBLE] * 16
        + [DiscussionReturn.Status.HELD] * 3
        + [DiscussionReturn.Status.REJECTED]
    )
    answers = list(DiscussionReturn.PracticeChanged)
    returns = []
    for n in range(RETURNS):
        code = codes[rng.randrange(len(codes))]
        answered = rng.random() < 0.33
        other = rng.random() < 0.1
        returns.append(
            DiscussionReturn(
                use_code=code,
                review=code.review,
                discussed_on=today - datetime.timedelta(days=rng.randrange(3 * 365)),
                team_name=f"Team {n % 700}",
                agency=None if other else rng.choice(agencies),
                agency_other=f"Other service {n % 13}" if other else "",
                participants=rng.randint(2, 25),
                roles=["social-worker", "health-visitor"],
                prompts_discussed=[1, 2],
                different=f"Return {n}: we will ask who else lives in the home at every visit.",
                status=rng.choice(statuses),
                follow_up_answered_at=timezone.now() if answered else None,
                practice_changed=rng.choice(answers) if answered else None,
            )
        )
    DiscussionReturn.objects.bulk_create(returns, batch_size=5000)


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
    from reviews.models import Theme
    from tests.factories import SuperuserFactory

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    bench("load average at start", round(os.getloadavg()[0], 2), "")
    started = time.perf_counter()
    load(timezone.localdate())
    database_analyse()
    bench(f"load {RETURNS:,} returns and ANALYZE", round(time.perf_counter() - started, 1), "s")

    client = Client()
    client.force_login(SuperuserFactory(username="bench-officer"))
    url = "/admin/impact/"
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
    bench(f"report page, {RETURNS:,} returns, median", round(median, 1), "ms",
          f"< {TARGET_MS} ms", median < TARGET_MS)  # fmt: skip
    bench(f"report page, {RETURNS:,} returns, p95", round(p95, 1), "ms")
    bench(f"report page, {RETURNS:,} returns, CPU (Django + PostgreSQL), median",
          round(cpu, 1), "ms")  # fmt: skip
    filtered = []
    for params in (
        {"review": "child-12"},
        {"theme": Theme.objects.order_by("slug").first().slug},
        {"agency": "agency-07"},
        {"since": "2025-01-01", "until": "2025-12-31"},
        {"page": "40"},
    ):
        filtered += timed(url, params, rounds=5)
    worst = max(filtered)
    bench("report page with filters or a later page of quotes, slowest", round(worst, 1), "ms",
          f"< {TARGET_MS} ms", worst < TARGET_MS)  # fmt: skip
    for table in ("reviews", "quotes"):
        csv = timed(url + "impact.csv", {"table": table}, rounds=3)
        bench(f"CSV {table}, median", round(statistics.median(csv), 1), "ms")

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    bench(f"queries for the page at {RETURNS:,} returns", len(queries), "queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
