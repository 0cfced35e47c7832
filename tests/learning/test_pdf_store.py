"""PDFs under hostile load: bounded theme sheets, one render per version, a render limit."""

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import packs, pdf, sheets
from tests.factories import build_review

pytestmark = pytest.mark.django_db

THEME_SHEET = reverse("learning:theme_sheet", kwargs={"slug": "voice-of-the-child"})
THEME_PDF = reverse("learning:theme_sheet_pdf", kwargs={"slug": "voice-of-the-child"})


def build_theme_of(count: int) -> None:
    for number in range(count):
        build_review(slug=f"theme-{count}-{number}", learning_points=1, prompts=1, events=0)


def test_a_theme_sheet_shows_a_sessions_worth_of_learning_and_links_to_the_rest(client):
    build_theme_of(sheets.THEME_SHEET_LEARNING_POINTS + 3)

    page = client.get(THEME_SHEET).content.decode()

    assert page.count('<article class="learning-point') == sheets.THEME_SHEET_LEARNING_POINTS
    assert "3 more on this theme are on the theme's page" in page


def test_a_theme_sheet_costs_the_same_queries_however_large_the_theme(client):
    # The first view of new content also makes its use code (learning/returns/codes.py):
    # each size is measured once its code exists.
    build_theme_of(sheets.THEME_SHEET_LEARNING_POINTS + 1)
    client.get(THEME_SHEET)
    with CaptureQueriesContext(connection) as small:
        assert client.get(THEME_SHEET).status_code == 200
    build_theme_of(sheets.THEME_SHEET_LEARNING_POINTS * 3)
    client.get(THEME_SHEET)
    with CaptureQueriesContext(connection) as large:
        assert client.get(THEME_SHEET).status_code == 200

    assert len(large) == len(small)


def test_a_theme_pdfs_key_reads_only_the_learning_points_the_sheet_shows(client, monkeypatch):
    # Only the key is measured here: the sheet's own reads are bounded by the test above.
    monkeypatch.setattr(sheets, "theme_sheet_context", lambda request, theme: {})
    monkeypatch.setattr(pdf, "render_pdf", lambda **kwargs: b"%PDF-1.7 not laid out")
    build_theme_of(sheets.THEME_SHEET_LEARNING_POINTS * 2)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(THEME_PDF).status_code == 200

    reads = [q["sql"] for q in queries if "learningpoint" in q["sql"].lower()]
    assert reads
    assert all("LIMIT" in sql.upper() or "COUNT(" in sql.upper() for sql in reads)


def test_concurrent_first_requests_for_one_pdf_share_a_single_render(rf, monkeypatch):
    monkeypatch.setattr(pdf, "_count_render", lambda request: None)
    renders = []

    def slow_render() -> bytes:
        renders.append(1)
        time.sleep(0.3)
        return b"%PDF-1.7 one render"

    results = []
    barrier = threading.Barrier(6)

    def download():
        barrier.wait()
        results.append(pdf.stored_pdf(key="shared", request=rf.get("/"), render=slow_render))

    threads = [threading.Thread(target=download) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(renders) == 1
    assert results == [b"%PDF-1.7 one render"] * 6


def test_a_request_that_waits_too_long_for_anothers_render_is_asked_to_try_again(client, settings):
    import fcntl
    from pathlib import Path

    build_theme_of(1)
    settings.PDF_WAIT_SECONDS = 0
    folder = Path(settings.PDF_STORE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    held = []
    real_stored = pdf.stored_pdf

    def stored_while_someone_renders(*, key, request, render):
        lock = open(folder / f"{key}.lock", "a")  # noqa: SIM115 - held across the call
        fcntl.flock(lock, fcntl.LOCK_EX)
        held.append(lock)
        return real_stored(key=key, request=request, render=render)

    pdf.stored_pdf, saved = stored_while_someone_renders, pdf.stored_pdf
    try:
        response = client.get(THEME_PDF)
    finally:
        pdf.stored_pdf = saved
        for lock in held:
            lock.close()

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert "still being made" in response.content.decode()


def test_new_renders_beyond_the_limit_for_one_address_get_429_but_stored_pdfs_still_come(
    client, settings
):
    settings.PDF_RENDERS_PER_ADDRESS = 2
    for slug in ("one", "two", "three"):
        build_review(slug=slug, learning_points=1, prompts=1, events=0)
    pdf_of = {
        slug: reverse("reviews:briefing_pdf", kwargs={"slug": slug})
        for slug in ("one", "two", "three")
    }

    assert client.get(pdf_of["one"]).status_code == 200
    assert client.get(pdf_of["two"]).status_code == 200
    refused = client.get(pdf_of["three"])
    again = client.get(pdf_of["one"])

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Many new PDFs" in refused.content.decode()
    assert again.status_code == 200 and again.content.startswith(b"%PDF-")
    other_address = client.get(pdf_of["three"], REMOTE_ADDR="192.0.2.9")
    assert other_address.status_code == 200


def test_a_theme_pdfs_version_moves_when_a_new_learning_point_joins_it():
    from learning.selectors import theme_sheet_version
    from reviews.models import Theme

    build_theme_of(1)
    theme = Theme.objects.get(slug="voice-of-the-child")
    before = theme_sheet_version(theme=theme, limit=sheets.THEME_SHEET_LEARNING_POINTS)
    build_theme_of(2)

    assert theme_sheet_version(theme=theme, limit=10) != before


def test_a_packs_key_folds_its_title_and_counts_each_learning_point_once():
    review = build_review(slug="packed", learning_points=2, prompts=1, events=0)
    first, second = review.learning_points.order_by("position")
    from reviews.models import LearningPoint

    first, second = (
        LearningPoint.objects.published().get(title=lp.title) for lp in (first, second)
    )
    spaced = packs.Pack(title="  Team   session ")
    tidy = packs.Pack(title="Team session")

    assert packs.pack_version(spaced, [first, second, first]) == packs.pack_version(
        tidy, [first, second]
    )
    assert packs.pack_version(tidy, [second, first]) != packs.pack_version(tidy, [first, second])


def test_a_pack_holds_at_most_twenty_learning_points_and_older_larger_packs_are_cut():
    pack = packs.Pack(items=[packs.PackItem(n, "gone", f"t{n}") for n in range(1, 31)])

    learning_points, notices = packs.pack_resolve(pack)

    assert packs.MAX_LEARNING_POINTS == 20
    assert len(pack.items) <= 20
    assert any("at most 20" in notice for notice in notices)


def test_when_every_render_slot_is_taken_a_new_pdf_is_refused_at_once(client, settings):
    import fcntl
    from pathlib import Path

    build_theme_of(1)
    settings.PDF_RENDER_SLOTS = 1
    folder = Path(settings.PDF_STORE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "render-slot-0.lock", "a") as slot:
        fcntl.flock(slot, fcntl.LOCK_EX)  # another worker is rendering
        started = time.monotonic()
        busy = client.get(THEME_PDF)
        waited = time.monotonic() - started
        fcntl.flock(slot, fcntl.LOCK_UN)

    assert busy.status_code == 503 and waited < 1
    assert "Many PDFs are being made right now" in busy.content.decode()
    assert client.get(THEME_PDF).status_code == 200  # the slot is free again
