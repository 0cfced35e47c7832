"""Subscribers' digests: one `send_digests` run for 1,000 subscribers over real SMTP, then the
same run again (everyone due once more) to show it sends nothing twice.

Runs on a throwaway SQLite database built by the migrations, with ten reviews published after the
subscribers confirmed, and aiosmtpd (tests/smtp.py) on 127.0.0.1 receiving every message.
Subscribers choose everything (40 %), one theme (30 %) or one agency (30 %).
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = Path(tempfile.mkdtemp(prefix="bench-digests-")) / "bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
SUBSCRIBERS = int(os.environ.get("BENCH_DIGESTS_SUBSCRIBERS", "1000"))
REVIEWS = 10


def report(name: str, value: float, unit: str, limit: float | None = None) -> None:
    row = {
        "name": name,
        "value": round(value, 2),
        "unit": unit,
        "target": f"< {limit:g} {unit}" if limit is not None else None,
        "ok": value < limit if limit is not None else None,
    }
    print("BENCH " + json.dumps(row), flush=True)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    call_command("migrate", verbosity=0)

    from learning.subscriptions.digests import digests_send
    from learning.subscriptions.models import Subscription
    from reviews.models import Agency, Theme
    from tests.learning.subscriptions.helpers import public_review
    from tests.smtp import SMTPServer

    themes = list(Theme.objects.order_by("slug")[:5])
    agencies = [Agency.objects.get_or_create(name=name)[0] for name in ("Police", "GP", "School")]
    now = timezone.now()
    subscriptions = Subscription.objects.bulk_create(
        Subscription(
            email=f"reader{n}@example.org",
            requested_at=now,
            confirmed_at=now,
            everything=n % 10 < 4,
        )
        for n in range(SUBSCRIBERS)
    )
    Subscription.themes.through.objects.bulk_create(
        Subscription.themes.through(subscription_id=s.pk, theme_id=themes[n % 5].pk)
        for n, s in enumerate(subscriptions)
        if 4 <= n % 10 < 7
    )
    Subscription.agencies.through.objects.bulk_create(
        Subscription.agencies.through(subscription_id=s.pk, agency_id=agencies[n % 3].pk)
        for n, s in enumerate(subscriptions)
        if n % 10 >= 7
    )
    for index in range(REVIEWS):
        public_review(
            title=f"Bench review {index}",
            themes=[themes[index % 5].slug],
            agencies=[agencies[index % 3].name],
        )

    server = SMTPServer()
    server.start()
    settings.MAILERS = {"default": server.mailer}
    try:
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            first = digests_send()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert not first.failed, first
        received = len(server.messages)
        report(
            f"first run: {first.sent} digests to {SUBSCRIBERS} subscribers, wall time", seconds, "s"
        )
        report("first run, per subscriber", seconds * 1000 / SUBSCRIBERS, "ms")
        # CPU time of this process (the command and the SMTP server's thread), which a busy
        # machine does not inflate the way it does wall time.
        report("first run, CPU per subscriber", cpu * 1000 / SUBSCRIBERS, "ms")
        report("first run, queries per subscriber", len(queries) / SUBSCRIBERS, "queries")

        Subscription.objects.update(last_checked_at=now - timezone.timedelta(days=8))
        started = time.perf_counter()
        second = digests_send()
        seconds = time.perf_counter() - started
        report("second run, everyone due again: wall time", seconds, "s")
        report(
            "messages received twice (second run sent)",
            len(server.messages) - received + second.sent,
            "messages",
            limit=1,
        )
    finally:
        server.stop()


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        shutil.rmtree(DATABASE.parent, ignore_errors=True)
