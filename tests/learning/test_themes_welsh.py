"""Theme pages, theme sheets and session packs in Welsh (/cy/...): a learning point whose
review has a published Welsh translation is shown in its Welsh words (the translation's
learning point at the same position), the others in English marked `lang="en-GB"`; pack
buttons, anchors, use codes and stored PDFs keep naming the original
(learning.selectors.learning_points_in_language, docs/welsh-translations.md,
docs/sheets.md)."""

import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from learning import packs, selectors
from learning.discovery.catalogue import catalogue_forget
from learning.returns.models import UseCode
from reviews.models import LearningPoint, Review
from reviews.publishing import services
from tests.factories import BoardFactory
from tests.reviews.translation_helpers import translate, welsh_translation
from tests.reviews.workflow_helpers import published

pytestmark = pytest.mark.django_db

THEME = "voice-of-the-child"
PAGE = f"/cy/themes/{THEME}/"
SHEET = f"/cy/themes/{THEME}/discussion-sheet/"
SHEET_PDF = f"/cy/themes/{THEME}/discussion-sheet.pdf"


@pytest.fixture(autouse=True)
def _fresh():
    """Stored PDFs and use codes are cached: each test makes its own (tests/conftest.py
    already forgets the catalogue around every test)."""
    cache.clear()
    yield
    cache.clear()


def originals(slug: str) -> list[LearningPoint]:
    return list(LearningPoint.objects.published().filter(review__slug=slug).order_by("position"))


def with_facilitator_notes(translation: Review, *, by) -> Review:
    """A translator's Welsh facilitator note on every prompt of the translation's working copy."""
    for point in translation.learning_points.all():
        for prompt in point.prompts.all():
            prompt.facilitator_note = f"Nodyn Cymraeg {point.position}.{prompt.position}"
            prompt.save()
    services.review_record_edit(
        review=translation, edited_by=by, expected_version=translation.version
    )
    translation.refresh_from_db()
    return translation


def publish(translation: Review, *, by, publisher) -> Review:
    services.review_submit(review=translation, user=by)
    services.review_publish(review=translation, user=publisher)
    translation.refresh_from_db()
    catalogue_forget()
    return translation


@pytest.fixture
def baby_t(editor, publisher) -> Review:
    board = BoardFactory(name="Coventry Board", name_cy="Bwrdd Coventry")
    return published(by=editor, publisher=publisher, title="Baby T", slug="baby-t", board=board)


@pytest.fixture
def baby_u(editor, publisher) -> Review:
    return published(by=editor, publisher=publisher, title="Baby U", slug="baby-u")


@pytest.fixture
def translated(baby_t, baby_u, editor, publisher) -> Review:
    """Baby T's Welsh translation, with Welsh facilitator notes, published; Baby U has none."""
    translation = with_facilitator_notes(welsh_translation(baby_t, by=editor), by=editor)
    return publish(translation, by=editor, publisher=publisher)


def html_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#x27;", "'")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def main(html: str) -> str:
    """The page's own content, without the header (whose language switch says "Cymraeg")."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def learning_point_html(html: str, title: str) -> str:
    """The <article> of the learning point whose title is `title` (the first one)."""
    for article in re.findall(r'<article class="learning-point.*?</article>', html, re.S):
        if re.search(rf">(<span[^>]*>[^<]*</span>)?{re.escape(title)}</h3>", article):
            return article
    raise AssertionError(f"No learning point titled {title!r}")


# The theme page ---------------------------------------------------------------------------


def test_the_welsh_theme_page_shows_a_translated_learning_point_in_welsh(client, translated):
    html = html_of(client, PAGE)
    first = originals("baby-t")[0]
    article = learning_point_html(html, "Cymraeg Learning 1")

    assert "Cymraeg: " in text(article)  # the body
    assert "Cymraeg: " in re.search(r'<p class="prompt__question">(.*?)</p>', article).group(1)
    # Its review's Welsh title, at the original's address in Welsh, and the board in Welsh.
    assert 'From <a href="/cy/reviews/baby-t/">Cymraeg Baby T</a>' in text(article) or (
        '<a href="/cy/reviews/baby-t/">Cymraeg Baby T</a>' in article
    )
    assert "Bwrdd Coventry" in article and "baby-t-cy" not in html
    # Welsh words on a Welsh page carry no language mark.
    assert 'lang="en-GB' not in article
    # The anchor and the pack button name the original learning point.
    assert f'id="learning-{first.pk}-title"' in article
    assert f'name="learning_point" value="{first.pk}"' in article


def test_the_welsh_theme_page_marks_an_untranslated_learning_point_as_english(client, translated):
    html = html_of(client, PAGE)
    article = learning_point_html(html, "Learning 1")
    first = originals("baby-u")[0]

    assert f'<h3 class="learning-point__title" lang="en-GB" id="learning-{first.pk}-title">' in (
        article
    )
    assert '<a href="/cy/reviews/baby-u/">Baby U</a>' in article
    assert f'name="learning_point" value="{first.pk}"' in article
    assert '<div class="prose" lang="en-GB">' in article
    assert "Cymraeg" not in article


def test_the_welsh_theme_overview_asks_a_translated_reviews_questions_in_welsh(client, translated):
    html = html_of(client, PAGE)
    overview = html.split('id="theme-overview-heading"', 1)[1].split("</section>", 1)[0]

    assert re.search(r"<li><span>Cymraeg: [^<]+</span> <a href=\"/cy/reviews/baby-t/#", overview)
    assert re.search(r'<li><span lang="en-GB">[^<]+</span> <a href="/cy/reviews/baby-u/#', overview)
    assert "Cymraeg Baby T" in overview


def test_the_english_theme_page_is_unchanged_by_a_welsh_translation(
    client, baby_t, baby_u, editor, publisher
):
    before = html_of(client, f"/themes/{THEME}/")
    translation = with_facilitator_notes(welsh_translation(baby_t, by=editor), by=editor)
    publish(translation, by=editor, publisher=publisher)

    after = html_of(client, f"/themes/{THEME}/")

    assert after == before
    content = main(after)
    assert "Cymraeg Learning" not in content and 'lang="en' not in content


def test_adding_from_the_welsh_theme_page_puts_the_original_in_the_pack(translated):
    client = Client(enforce_csrf_checks=True)
    first = originals("baby-t")[0]
    html = html_of(client, PAGE)
    form = re.search(
        rf'<form class="add-to-pack no-print" method="get" action="(?P<action>[^"]+)">\s*'
        rf'<input type="hidden" name="learning_point" value="{first.pk}">\s*'
        r'<input type="hidden" name="next" value="(?P<next>[^"]+)">',
        html,
    )
    assert form, "the Welsh page's pack button posts the original learning point"
    assert form["next"] == f"{PAGE}#learning-{first.pk}-title"

    confirm = client.get(form["action"], {"learning_point": first.pk, "next": form["next"]})
    assert confirm.status_code == 200
    token = client.cookies["csrftoken"].value
    added = client.post(
        form["action"],
        {"csrfmiddlewaretoken": token, "learning_point": first.pk, "next": form["next"]},
    )

    assert added.status_code == 302 and added["Location"] == form["next"]
    pack, problems = packs.pack_load(client.session)
    assert problems == [] and pack.ids == [first.pk]
    assert pack.items[0].review_slug == "baby-t" and pack.items[0].title == "Learning 1"


def test_adding_from_the_welsh_review_page_puts_the_original_in_the_pack(translated):
    """The Welsh review page is stored when its translation is published and its buttons
    name the Welsh learning points; the pack takes their originals."""
    client = Client(enforce_csrf_checks=True)
    welsh_ids = re.findall(
        r'name="learning_point" value="(\d+)"', html_of(client, "/cy/reviews/baby-t/")
    )
    first = originals("baby-t")[0]
    assert welsh_ids and int(welsh_ids[0]) != first.pk  # the translation's own learning point

    confirm = client.get("/cy/session-pack/add/", {"learning_point": welsh_ids[0]})
    assert confirm.status_code == 200
    assert f'name="learning_point" value="{first.pk}"' in confirm.content.decode()
    assert "“Cymraeg Learning 1”, o Cymraeg Baby T" in confirm.content.decode()
    token = client.cookies["csrftoken"].value
    client.post(
        "/cy/session-pack/add/", {"csrfmiddlewaretoken": token, "learning_point": welsh_ids[0]}
    )

    pack, problems = packs.pack_load(client.session)
    assert problems == [] and pack.ids == [first.pk]


def test_a_draft_translations_learning_point_cannot_be_added_to_a_pack(baby_t, editor):
    draft_point = welsh_translation(baby_t, by=editor).learning_points.first()

    with pytest.raises(packs.PackError, match="not published"):
        packs.pack_add(packs.Pack(), learning_point_id=draft_point.pk)


@pytest.mark.parametrize("published_at_all", [False, True])
def test_an_unpublished_translation_is_never_shown(
    client, baby_t, baby_u, editor, publisher, published_at_all
):
    translation = welsh_translation(baby_t, by=editor)
    if published_at_all:
        # Published once, then changed by the translator: the changes wait for sign-off.
        publish(translation, by=editor, publisher=publisher)
        translate(translation, by=editor, word="Drafft")
    else:
        services.review_submit(review=translation, user=editor)  # waiting for sign-off

    html = html_of(client, PAGE) + html_of(client, SHEET)

    assert "Drafft" not in html
    assert ("Cymraeg Learning 1" in html) is published_at_all


# Query counts -----------------------------------------------------------------------------


def queries(client, path: str) -> int:
    client.get(path)  # the catalogue, glossary and use codes are made on the first view
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", [f"/themes/{THEME}/", f"/themes/{THEME}/discussion-sheet/"])
def test_english_theme_pages_read_no_more_for_translations(
    client, baby_t, baby_u, editor, publisher, path
):
    before = queries(client, path)
    welsh_translation(baby_t, by=editor, publisher=publisher)
    welsh_translation(baby_u, by=editor, publisher=publisher)
    catalogue_forget()

    assert queries(client, path) == before


@pytest.mark.parametrize("path", [PAGE, SHEET])
def test_welsh_theme_pages_read_a_fixed_few_more_queries_however_many_translations(
    client, baby_t, baby_u, editor, publisher, path
):
    english = queries(client, path.removeprefix("/cy"))
    welsh_translation(baby_t, by=editor, publisher=publisher)
    catalogue_forget()
    one = queries(client, path)

    welsh_translation(baby_u, by=editor, publisher=publisher)
    catalogue_forget()
    two = queries(client, path)

    assert one == two
    assert english < one <= english + 3


# The theme sheet and its PDF --------------------------------------------------------------


def test_the_welsh_theme_sheet_prints_the_welsh_learning_points(client, translated):
    html = html_of(client, SHEET)
    sheet = html.split('<article class="sheet-page">', 1)[1]
    welsh = learning_point_html(sheet, "Cymraeg Learning 1")
    english = learning_point_html(sheet, "Learning 1")

    assert 'lang="en-GB' not in welsh and "Nodyn Cymraeg 1.1" in welsh
    assert "Cymraeg: " in text(welsh)
    assert '<h3 class="learning-point__title" lang="en-GB"' in english
    # The full case summaries: the Welsh title at the Welsh address, the board in Welsh.
    assert "Cymraeg Baby T (Bwrdd Coventry): " in text(sheet)
    assert "http://testserver/cy/reviews/baby-t/" in text(sheet)
    assert "baby-t-cy" not in html


def test_the_welsh_theme_sheets_use_code_records_welsh_words_for_the_original(client, translated):
    english = client.get(f"/themes/{THEME}/discussion-sheet/").context["use_code"]
    cymraeg = client.get(SHEET).context["use_code"]

    assert cymraeg.code != english.code and cymraeg.kind == UseCode.Kind.THEME_SHEET
    entries = {entry["title"]: entry for entry in cymraeg.snapshot["learning_points"]}
    assert entries["Cymraeg Learning 1"]["review_slug"] == "baby-t"
    assert entries["Cymraeg Learning 1"]["review_title"] == "Cymraeg Baby T"
    assert entries["Learning 1"]["review_slug"] == "baby-u"
    assert cymraeg.snapshot["language"] == "cy" and "language" not in english.snapshot


def test_the_welsh_theme_sheet_pdf_prints_welsh_and_differs_from_the_english(client, translated):
    english = client.get(f"/themes/{THEME}/discussion-sheet.pdf")
    cymraeg = client.get(SHEET_PDF)

    assert english.status_code == cymraeg.status_code == 200
    welsh_text, english_text = pdf_text(cymraeg.content), pdf_text(english.content)
    assert "Cymraeg Learning 1" in welsh_text and "Nodyn Cymraeg 1.1" in welsh_text
    assert "Cymraeg Baby T" in welsh_text and "Bwrdd Coventry" in welsh_text
    assert "Cymraeg" not in english_text


def test_publishing_the_translation_again_gives_a_new_welsh_theme_sheet_pdf(
    client, translated, editor, second_publisher
):
    first = client.get(SHEET_PDF).content
    assert client.get(SHEET_PDF).content == first  # stored
    theme = selectors.theme_get(slug=THEME)
    english_version = selectors.theme_sheet_version(theme=theme, limit=10, language="en")

    translate(translated, by=editor, word="Newydd")
    publish(translated, by=editor, publisher=second_publisher)

    again = client.get(SHEET_PDF).content
    assert again != first
    assert "Newydd Cymraeg Learning 1" in pdf_text(again) and "Newydd" not in pdf_text(first)
    assert selectors.theme_sheet_version(theme=theme, limit=10, language="en") == english_version


# Session packs ----------------------------------------------------------------------------


def pack_client(*learning_points: LearningPoint) -> Client:
    client = Client()
    for learning_point in learning_points:
        assert client.post(
            "/session-pack/add/", {"learning_point": learning_point.pk}
        ).status_code == (302)
    return client


def test_the_welsh_pack_sheet_and_pdf_print_welsh_learning_points(translated):
    welsh_point, english_point = originals("baby-t")[0], originals("baby-u")[0]
    client = pack_client(welsh_point, english_point)

    sheet = html_of(client, "/cy/session-pack/sheet/").split('<article class="sheet-page">')[1]
    printed = pdf_text(client.get("/cy/session-pack/sheet.pdf").content)

    welsh = learning_point_html(sheet, "Cymraeg Learning 1")
    assert 'lang="en-GB' not in welsh and "Nodyn Cymraeg 1.1" in welsh
    assert '<h3 class="learning-point__title" lang="en-GB"' in learning_point_html(
        sheet, "Learning 1"
    )
    assert "Cymraeg Learning 1" in printed and "Nodyn Cymraeg 1.1" in printed
    assert "Cymraeg Baby T" in printed
    assert "Cymraeg" not in main(html_of(client, "/session-pack/sheet/"))
    # The pack itself still holds the originals.
    assert packs.pack_load(client.session)[0].ids == [welsh_point.pk, english_point.pk]


def test_a_welsh_pack_from_one_review_is_coded_to_the_original(translated, baby_t):
    client = pack_client(*originals("baby-t"))

    use_code = client.get("/cy/session-pack/sheet/").context["use_code"]

    assert use_code.review_id == baby_t.pk
    assert use_code.snapshot["language"] == "cy"
    assert use_code.snapshot["learning_points"][0]["title"] == "Cymraeg Learning 1"
    assert use_code.snapshot["learning_points"][0]["review_slug"] == "baby-t"


def test_publishing_the_translation_again_gives_a_new_welsh_pack_pdf(
    translated, editor, second_publisher
):
    client = pack_client(originals("baby-t")[0])
    first = client.get("/cy/session-pack/sheet.pdf").content
    english = client.get("/session-pack/sheet.pdf").content

    translate(translated, by=editor, word="Newydd")
    publish(translated, by=editor, publisher=second_publisher)

    again = client.get("/cy/session-pack/sheet.pdf").content
    assert again != first and "Newydd Cymraeg Learning 1" in pdf_text(again)
    assert client.get("/session-pack/sheet.pdf").content == english


# Welsh names on review sheets -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["discussion-sheet", "briefing", "action-plan"])
def test_welsh_review_sheets_name_the_board_in_welsh(client, translated, kind):
    welsh = html_of(client, f"/cy/reviews/baby-t/{kind}/")
    english = html_of(client, f"/reviews/baby-t/{kind}/")

    assert "Bwrdd Coventry" in welsh
    assert "Bwrdd Coventry" not in english and "Coventry Board" in english
