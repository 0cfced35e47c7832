"""Statutory deadlines: what is due across 10,000 reviews (/admin/deadlines/'s selector),
and one review's panel. Reported, not judged: the issue sets no target for them.

Runs on a throwaway SQLite database built by the migrations. The reviews are written with
bulk_create (only their statutory dates matter here, and the import path is benchmarked by
bench_documents.py); 20 boards have 10 closure days each, and the reviews are spread over the
four nations and three years, so every holiday table the calendar keeps is built once.
Times are CPU time of the process (SQLite runs in it), not wall time.
"""

import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = Path(tempfile.mkdtemp(prefix="bench-deadlines-")) / "bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
REVIEWS = int(os.environ.get("BENCH_DEADLINES_REVIEWS", "10000"))


def report(name: str, value: float, unit: str = "ms") -> None:
    row = {"name": name, "value": round(value, 2), "unit": unit, "target": None, "ok": None}
    print("BENCH " + json.dumps(row), flush=True)


def timed(call) -> tuple[float, object]:
    # CPU time of this process, which holds SQLite too: waiting for a CPU on a busy machine
    # (eight sessions on two cores) does not count, so runs compare.
    started = time.process_time()
    result = call()
    return (time.process_time() - started) * 1000, result


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from reviews.calendar.deadlines import deadlines_due, deadlines_for_review
    from reviews.calendar.working_days import bank_holidays
    from reviews.models import Board, ClosureDay, Review, ReviewType

    boards = Board.objects.bulk_create(
        [Board(name=f"Board {number}", slug=f"board-{number}") for number in range(20)]
    )
    ClosureDay.objects.bulk_create(
        [
            ClosureDay(board=board, date=datetime.date(2025, 12, 1 + day), reason="Closed")
            for board in boards
            for day in range(10)
        ]
    )
    review_type = ReviewType.objects.get(slug="serious-case-review")
    nations = list(Review.Nation.values)
    today = datetime.date(2026, 6, 1)
    reviews = []
    for number in range(REVIEWS):
        known = today - datetime.timedelta(days=number % 900)
        reviews.append(
            Review(
                title=f"Child {number}",
                slug=f"child-{number}",
                review_type=review_type,
                board=boards[number % len(boards)],
                nation=nations[number % 4],
                child_pseudonym=f"Child {number}",
                child_age_text="2 years",
                child_outcome="died",
                summary="A summary.",
                incident_known_on=known,
                panel_notified_on=known + datetime.timedelta(days=3) if number % 3 else None,
                sent_to_panel_on=known + datetime.timedelta(days=200) if number % 2 else None,
                published_on=known + datetime.timedelta(days=215) if number % 4 == 1 else None,
            )
        )
    Review.objects.bulk_create(reviews, batch_size=1000)

    bank_holidays.cache_clear()
    first, due = timed(lambda: deadlines_due(today=today))
    report(f"what is due across {REVIEWS:,} reviews, first call in the process", first)
    runs = [timed(lambda: deadlines_due(today=today))[0] for _ in range(5)]
    report(f"what is due across {REVIEWS:,} reviews (median of 5)", statistics.median(runs))
    report("deadlines listed (overdue + due)", due.total, "rows")

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("bench", "b@example.org", "x"))
    client.get("/admin/deadlines/")
    pages = []
    for _ in range(5):
        took, response = timed(lambda: client.get("/admin/deadlines/"))
        assert response.status_code == 200, response.status_code
        pages.append(took)
    report(f"/admin/deadlines/ page, {REVIEWS:,} reviews (median of 5)", statistics.median(pages))

    one = Review.objects.get(slug="child-7")
    panel = [timed(lambda: deadlines_for_review(review=one, today=today))[0] for _ in range(30)]
    report("one review's deadlines panel (median of 30)", statistics.median(panel))


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        shutil.rmtree(DATABASE.parent, ignore_errors=True)
