"""Printable sheets: Baby C's discussion-sheet PDF cold and stored, and a 20-point pack (the cap).

Runs on a throwaway SQLite database built by the migrations, with Baby C loaded from
fixtures/reviews/baby-c.md (tests/learning/baby_c.py) and six more reviews of five learning
points each for the pack. Requests go through the test client, so URL routing, selectors,
templates, the cache and WeasyPrint are all measured, as a visitor's download would be.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = Path(tempfile.mkdtemp(prefix="bench-sheets-")) / "bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
# One address makes every render here: no render limit, and PDFs stored apart from a site's.
os.environ["PDF_RENDERS_PER_ADDRESS"] = "100000"
os.environ["PDF_STORE_DIR"] = str(DATABASE.parent / "pdfs")


def report(name: str, value: float, limit: float | None) -> None:
    row = {
        "name": name,
        "value": round(value, 2),
        "unit": "ms",
        "target": f"< {limit:g} ms" if limit else None,
        "ok": value < limit if limit else None,
    }
    print("BENCH " + json.dumps(row), flush=True)


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    import django

    django.setup()
    import shutil

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)

    from reviews.models import LearningPoint
    from tests.factories import build_review
    from tests.learning.baby_c import load_baby_c

    load_baby_c()
    for index in range(6):
        build_review(slug=f"bench-{index}", learning_points=5, prompts=4)
    client = Client()
    url = "/reviews/baby-c/discussion-sheet.pdf"

    def forget_pdfs() -> None:
        cache.clear()
        shutil.rmtree(settings.PDF_STORE_DIR, ignore_errors=True)

    forget_pdfs()
    cold, response = timed(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    # Reported, not judged: it includes importing WeasyPrint and starting fontconfig,
    # which a worker pays once, not per PDF.
    report("Baby C discussion-sheet PDF, first render in a fresh process", cold, None)

    forget_pdfs()
    warm, _ = timed(lambda: client.get(url))
    report("Baby C discussion-sheet PDF, cold (cache empty)", warm, 1000)

    cached = [timed(lambda: client.get(url))[0] for _ in range(30)]
    report(
        "Baby C discussion-sheet PDF from the cache (median of 30)", statistics.median(cached), 20
    )

    briefing, response = timed(lambda: client.get("/reviews/baby-c/briefing.pdf"))
    assert response.status_code == 200
    report("Baby C 7-minute briefing PDF, cache empty", briefing, None)

    ids = list(
        LearningPoint.objects.published()
        .filter(review__slug__startswith="bench-")
        .values_list("pk", flat=True)[:20]
    )
    assert len(ids) == 20, len(ids)
    for pk in ids:
        client.post("/session-pack/add/", {"learning_point": pk})
    forget_pdfs()
    pack, response = timed(lambda: client.get("/session-pack/sheet.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    report("session pack of 20 learning points, PDF render", pack, 3000)


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        shutil.rmtree(DATABASE.parent, ignore_errors=True)
