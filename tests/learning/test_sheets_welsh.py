"""Review sheets and their PDFs in Welsh (/cy/...): the published Welsh translation's words
when the review has one, else the English words marked `lang="en-GB"` with the review page's
note; links, use codes and stored PDFs keep naming the original (learning/sheets.py,
docs/sheets.md, docs/welsh-translations.md)."""

import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pypdf import PdfReader

from learning import pdf, selectors
from learning.returns.models import UseCode
from reviews.models import Review
from reviews.publishing import services
from tests.reviews.translation_helpers import translate, welsh_translation
from tests.reviews.workflow_helpers import draft, edit, live_copy

pytestmark = pytest.mark.django_db

SLUG = "baby-t"
SHEETS = ("discussion-sheet", "briefing", "action-plan")
ENGLISH_PLAIN = "The baby was hurt at home and nobody asked who else lived there."
WELSH_PLAIN = "Cafodd y babi ei anafu gartref a ni ofynnodd neb pwy arall oedd yn byw yno."
# The note the review page shows above English content on a Welsh page
# (templates/reviews/_content_language_note.html).
NOTE = (
    "This review is not available in Welsh yet. The page is in Welsh; the review itself is "
    "shown in English."
)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def review(editor, publisher) -> Review:
    """Baby T, published in English, with a plain summary and a key episode; no translation."""
    working_copy = draft(by=editor, title="Baby T", slug=SLUG, plain_summary=ENGLISH_PLAIN)
    event = working_copy.chronology_events.first()
    event.is_key = True
    event.save()
    services.review_record_edit(
        review=working_copy, edited_by=editor, expected_version=working_copy.version
    )
    services.review_submit(review=working_copy, user=editor)
    services.review_publish(review=working_copy, user=publisher)
    working_copy.refresh_from_db()
    return working_copy


def welsh(review: Review, *, editor, publisher=None) -> Review:
    """Its Welsh translation ("Cymraeg ..." everywhere, a Welsh plain summary), published
    when `publisher` is given."""
    translated = welsh_translation(review, by=editor)
    translated = edit(translated, by=editor, plain_summary=WELSH_PLAIN)
    if publisher is not None:
        services.review_submit(review=translated, user=editor)
        services.review_publish(review=translated, user=publisher)
        translated.refresh_from_db()
    return translated


@pytest.fixture
def translated(review, editor, publisher) -> Review:
    return welsh(review, editor=editor, publisher=publisher)


def get(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response


def page_of(response) -> str:
    return response.content.decode()


def sheet_body(html: str) -> str:
    """The printed sheet itself (what comes from the review), without the site's chrome."""
    sheet = html.split('<article class="sheet-page">', 1)[1].split("</main>", 1)[0]
    assert "<footer" not in sheet and "header-search" not in sheet
    return sheet


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#x27;", "'")


def welsh_note() -> str:
    with translation.override("cy"):
        return translation.gettext(NOTE)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.mark.parametrize("kind", SHEETS)
def test_a_welsh_sheet_prints_the_published_welsh_translation(client, translated, kind):
    html = page_of(get(client, f"/cy/reviews/{SLUG}/{kind}/"))
    body = sheet_body(html)

    assert '<html lang="cy"' in html
    assert "Cymraeg Learning 1" in body and "Cymraeg Learning 2" in body
    assert "</span>Learning 1</h3>" not in body and ">Learning 1</li>" not in body
    assert "Cymraeg Baby T" in body
    assert WELSH_PLAIN in body and ENGLISH_PLAIN not in body
    # Welsh words on a Welsh page: no review content is marked as another language, and
    # no note. (Names without a Welsh name, such as this board's, are marked lang="en".)
    assert 'lang="en-GB"' not in body
    assert re.search(r'<span lang="en">Example Safeguarding Partnership \d+</span>', body)
    assert welsh_note() not in html and "content-language-note" not in html


def test_the_welsh_discussion_sheet_and_briefing_print_welsh_prompts_events_and_more(
    client, translated
):
    sheet = text(sheet_body(page_of(get(client, f"/cy/reviews/{SLUG}/discussion-sheet/"))))
    briefing = text(sheet_body(page_of(get(client, f"/cy/reviews/{SLUG}/briefing/"))))
    live = live_copy(translated)
    prompt = live.learning_points.first().prompts.first().question
    event = live.chronology_events.get(is_key=True)

    assert prompt.startswith("Cymraeg: ") and prompt in sheet and prompt in briefing
    assert "Cymraeg: bu farw'r plentyn" in sheet
    assert f"{event.when}: Cymraeg:" in briefing
    assert "Cymraeg: Record contact with fathers." in briefing
    assert "Cymraeg: " in text(live.findings.first().text_html) and "Cymraeg: " in briefing


@pytest.mark.parametrize("kind", SHEETS)
def test_the_english_sheet_is_unchanged_by_a_welsh_translation(
    client, review, editor, publisher, kind
):
    before = page_of(get(client, f"/reviews/{SLUG}/{kind}/"))
    welsh(review, editor=editor, publisher=publisher)

    after = page_of(get(client, f"/reviews/{SLUG}/{kind}/"))

    assert after == before
    body = sheet_body(after)
    assert "Cymraeg" not in body and ENGLISH_PLAIN in body and "Learning 1" in body
    assert "lang=" not in body and "content-language-note" not in body


@pytest.mark.parametrize("kind", SHEETS)
def test_english_sheets_cost_no_more_queries_with_a_translation(
    client, review, editor, publisher, kind
):
    def queries() -> int:
        get(client, f"/reviews/{SLUG}/{kind}/")  # the use code is made the first time
        with CaptureQueriesContext(connection) as captured:
            get(client, f"/reviews/{SLUG}/{kind}/")
        return len(captured)

    before = queries()
    welsh(review, editor=editor, publisher=publisher)

    # 12 before Welsh sheets existed: the review with its rows, the use code, the glossary.
    assert queries() == before <= 12


@pytest.mark.parametrize("kind", SHEETS)
def test_a_welsh_sheet_without_a_translation_marks_the_english_and_says_so(client, review, kind):
    html = page_of(get(client, f"/cy/reviews/{SLUG}/{kind}/"))
    body = sheet_body(html)

    assert '<html lang="cy"' in html
    assert welsh_note() != NOTE and welsh_note() in body
    assert '<p class="content-language-note" role="note">' in body
    assert '<h1 class="sheet-header__title" lang="en-GB">Baby T</h1>' in body
    assert f'<span lang="en-GB">{ENGLISH_PLAIN}</span>' in body
    title = re.compile(
        r'<(h3 class="learning-point__title"|li) lang="en-GB"[^>]*>(<span.*?</span>)?Learning 1<'
    )
    assert title.search(body)
    assert "Cymraeg" not in body


def test_the_review_page_and_the_sheet_share_the_note(client, review):
    client.cookies["sessionid"] = "none"  # the Welsh page rendered, not a stored one

    page = page_of(get(client, f"/cy/reviews/{SLUG}/"))
    sheet = page_of(get(client, f"/cy/reviews/{SLUG}/discussion-sheet/"))

    note = re.search(r'<p class="content-language-note" role="note">.*?</p>', page).group(0)
    assert note in sheet


@pytest.mark.parametrize("kind", SHEETS)
def test_an_unpublished_translation_is_never_printed(client, review, editor, kind):
    ready = welsh(review, editor=editor)
    services.review_submit(review=ready, user=editor)  # ready for sign-off, not published

    body = sheet_body(page_of(get(client, f"/cy/reviews/{SLUG}/{kind}/")))

    assert "Cymraeg" not in body and welsh_note() in body


def test_a_translations_unpublished_changes_are_not_printed(client, translated, editor):
    translate(translated, by=editor, word="Drafft")

    body = sheet_body(page_of(get(client, f"/cy/reviews/{SLUG}/discussion-sheet/")))
    pdf = pdf_text(client.get(f"/cy/reviews/{SLUG}/discussion-sheet.pdf").content)

    assert "Cymraeg Learning 1" in body and "Drafft" not in body
    assert "Cymraeg Learning 1" in pdf and "Drafft" not in pdf


def test_a_withdrawn_original_has_no_welsh_sheets_though_its_translation_is_published(
    client, translated
):
    Review.objects.filter(slug=SLUG, is_live=True).update(status=Review.Status.WITHDRAWN)

    assert client.get(f"/cy/reviews/{SLUG}/discussion-sheet/").status_code == 404
    assert client.get(f"/cy/reviews/{SLUG}/discussion-sheet.pdf").status_code == 404


@pytest.mark.parametrize("kind", SHEETS)
def test_a_welsh_sheets_links_name_the_originals_welsh_address(client, translated, kind):
    html = page_of(get(client, f"/cy/reviews/{SLUG}/{kind}/"))

    assert f"{SLUG}-cy" not in html
    assert f'href="/cy/reviews/{SLUG}/{kind}.pdf"' in html
    assert f'<a href="/cy/reviews/{SLUG}/">' in html  # back to the case summary
    assert f"http://testserver/cy/reviews/{SLUG}/" in text(html)
    if kind != "action-plan":
        assert f"http://testserver/cy/reviews/{SLUG}/action-plan/" in text(html)


def test_the_welsh_review_page_links_to_the_originals_welsh_sheets(client, translated):
    stored = page_of(get(client, f"/cy/reviews/{SLUG}/"))
    client.cookies["sessionid"] = "none"
    rendered = page_of(get(client, f"/cy/reviews/{SLUG}/"))

    for html in (stored, rendered):
        assert "Cymraeg Baby T" in html
        assert f'href="/cy/reviews/{SLUG}/discussion-sheet/"' in html
        assert f'href="/cy/reviews/{SLUG}/briefing.pdf"' in html
        assert f"{SLUG}-cy" not in html


def test_a_welsh_sheets_use_code_names_the_original(client, review, translated):
    english = get(client, f"/reviews/{SLUG}/discussion-sheet/").context["use_code"]
    cymraeg = get(client, f"/cy/reviews/{SLUG}/discussion-sheet/").context["use_code"]

    assert cymraeg.code != english.code
    # Returns through either count towards the original (learning/returns/reach.py).
    assert cymraeg.review_id == english.review_id == review.pk
    assert cymraeg.snapshot["slug"] == english.snapshot["slug"] == SLUG
    assert cymraeg.snapshot["language"] == "cy" and "language" not in english.snapshot
    assert cymraeg.snapshot["learning_points"][0]["title"] == "Cymraeg Learning 1"
    assert UseCode.objects.filter(review=translated).count() == 0


def test_the_welsh_pdf_prints_the_translation_and_differs_from_the_english(client, translated):
    english = client.get(f"/reviews/{SLUG}/discussion-sheet.pdf")
    cymraeg = client.get(f"/cy/reviews/{SLUG}/discussion-sheet.pdf")

    assert english.status_code == cymraeg.status_code == 200
    assert english.content != cymraeg.content
    english_text, welsh_text = pdf_text(english.content), pdf_text(cymraeg.content)
    assert "Cymraeg Learning 1" in welsh_text and "Cymraeg" not in english_text
    assert WELSH_PLAIN in welsh_text and ENGLISH_PLAIN in english_text
    assert f"http://testserver/cy/reviews/{SLUG}/" in welsh_text and f"{SLUG}-cy" not in welsh_text
    assert cymraeg["Content-Disposition"].endswith(f'{SLUG}-discussion-sheet.pdf"')


def test_a_welsh_pdf_without_a_translation_prints_the_english_with_the_note(client, review):
    content = client.get(f"/cy/reviews/{SLUG}/action-plan.pdf").content

    printed = pdf_text(content)
    assert ENGLISH_PLAIN in printed and " ".join(welsh_note().split()) in printed


def test_publishing_the_translation_again_gives_a_new_welsh_pdf(
    client, translated, editor, second_publisher
):
    first = client.get(f"/cy/reviews/{SLUG}/briefing.pdf").content
    assert client.get(f"/cy/reviews/{SLUG}/briefing.pdf").content == first  # stored
    version = selectors.review_sheet_version_public(slug=SLUG, language="cy")
    english_version = selectors.review_sheet_version_public(slug=SLUG, language="en")

    translate(translated, by=editor, word="Newydd")
    services.review_submit(review=translated, user=editor)
    services.review_publish(review=translated, user=second_publisher)

    again = client.get(f"/cy/reviews/{SLUG}/briefing.pdf").content
    assert selectors.review_sheet_version_public(slug=SLUG, language="cy") != version
    assert selectors.review_sheet_version_public(slug=SLUG, language="en") == english_version
    assert again != first
    assert "Newydd Cymraeg Learning 1" in pdf_text(again)
    assert "Newydd" not in pdf_text(first)


def test_a_welsh_pdf_is_stored_apart_from_the_english_and_made_once(
    client, translated, monkeypatch
):
    renders = []
    real = pdf.html_to_pdf

    def counting(html, *, base_url):
        renders.append(html)
        return real(html, base_url=base_url)

    monkeypatch.setattr(pdf, "html_to_pdf", counting)
    for _ in range(2):
        assert client.get(f"/reviews/{SLUG}/action-plan.pdf").status_code == 200
        assert client.get(f"/cy/reviews/{SLUG}/action-plan.pdf").status_code == 200

    assert len(renders) == 2
    assert "Cymraeg" not in sheet_body(renders[0]) and "Cymraeg Learning 1" in renders[1]
