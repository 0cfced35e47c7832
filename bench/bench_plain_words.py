"""Plain words: what marking glossary terms and scoring reading age cost, and what they add
to the English pages (issue 18 asks that page speed and query counts stay as they were).

Runs on a throwaway SQLite database built by the migrations, with the demo content
(`load_demo`: Baby A, Baby C, Child C and the starter glossary). Pages are fetched through
the test client with the public page cache off, so every request renders; each figure is
the median of 30. Query counts are those of a warm process (the glossary is read once per
change of what is public, not per request).
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
DATABASE = Path(tempfile.mkdtemp(prefix="bench-plain-words-")) / "bench.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
RUNS = 30


def report(name: str, value: float, limit: float | None, unit: str = "ms") -> None:
    row = {
        "name": name,
        "value": round(value, 2),
        "unit": unit,
        "target": f"< {limit:g} {unit}" if limit else None,
        "ok": value < limit if limit else None,
    }
    print("BENCH " + json.dumps(row), flush=True)


def median_ms(call) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    from portal.models import PortalSettings
    from reviews.glossary.marking import glossary_mark
    from reviews.glossary.selectors import glossary_current, glossary_read
    from reviews.models import Review
    from reviews.readability.reading_age import readability
    from reviews.timeline import build_timeline

    review = Review.objects.with_page_relations().get(slug="baby-c", is_live=True)
    body = render_to_string(
        "reviews/_review_body.html",
        {"review": review, "timeline": build_timeline(review), "portal": PortalSettings.load()},
    )
    glossary = glossary_read()
    report(
        f"marking Baby C's page ({len(body) // 1024} KB, {len(glossary.terms)} terms), "
        "once per publish",
        median_ms(lambda: glossary_mark(body, glossary)),
        20,
    )
    summary = Review.objects.get(slug="baby-c", is_live=False).summary
    readability(summary)  # the first score loads the CMU dictionary
    report(
        "reading age of Baby C's case summary (the admin endpoint's work)",
        median_ms(lambda: readability(summary)),
        50,
    )

    client = Client()
    glossary_current()
    pages = {
        "review page": "/reviews/baby-c/",
        "theme page": "/themes/domestic-abuse/",
        "discussion sheet": "/reviews/baby-c/discussion-sheet/",
        "glossary page": "/glossary/",
    }
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        report(f"{name}: queries (warm)", len(queries), None, unit="queries")
        rendered = median_ms(lambda url=url: client.get(url))
        report(f"{name}: render, median of {RUNS}", rendered, None)


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        shutil.rmtree(DATABASE.parent, ignore_errors=True)
