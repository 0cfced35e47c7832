"""Use codes on every printed thing: stable across reprints, still valid after edits."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from learning.returns import codes
from learning.returns.models import CODE_ALPHABET, UseCode
from reviews.models import DiscussionPrompt, LearningPoint
from tests.factories import build_review, make_live
from tests.learning.returns.helpers import code_on, sheet_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("K7Q4-M9XT", "K7Q4M9XT"),
        ("k7q4 m9xt", "K7Q4M9XT"),
        ("  k7q4—m9xt ", "K7Q4M9XT"),
        ("K7Q4M9X", None),
        ("K7Q4M9XTT", None),
        ("K7Q4-M9X0", None),  # 0 is never in a code
        ("K7Q4-M9XO", None),  # nor O, I, L, U, 1
        ("K7Q4-M9XI", None),
        ("K7Q4-M9X1", None),
        ("<script>", None),
        ("", None),
        (None, None),
        ("K" * 10_000, None),
    ],
)
def test_a_typed_code_is_normalised_or_refused(typed, expected):
    assert codes.code_normalise(typed) == expected


def test_the_alphabet_has_no_lookalike_characters():
    assert not set("0O1ILU") & set(CODE_ALPHABET)


@pytest.mark.parametrize("kind", ["discussion-sheet", "briefing", "action-plan"])
def test_every_review_sheet_shows_its_code_its_address_and_a_qr_code(client, kind):
    build_review(slug="child-q", learning_points=2, prompts=2)

    html = client.get(f"/reviews/child-q/{kind}/").content.decode()

    use_code = UseCode.objects.get()
    assert use_code.display_code in html
    assert f"http://testserver/use/{use_code.code}/" in html
    assert 'src="data:image/svg+xml' in html and 'alt="QR code linking to' in html
    assert use_code.kind == codes.SHEET_KINDS[kind]


def test_printing_the_same_sheet_again_gives_the_same_code(client):
    build_review(slug="child-q", learning_points=2, prompts=2)

    first = sheet_code(client, "child-q")
    again = sheet_code(client, "child-q")

    assert first == again
    assert UseCode.objects.count() == 1


def test_each_kind_of_sheet_has_its_own_code(client):
    build_review(slug="child-q", learning_points=2, prompts=2)

    kinds = ("discussion-sheet", "briefing", "action-plan")
    found = {sheet_code(client, "child-q", kind).code for kind in kinds}

    assert len(found) == 3


def test_the_snapshot_numbers_prompts_as_the_sheet_does(client):
    review = build_review(slug="child-q", learning_points=2, prompts=2)

    snapshot = sheet_code(client, "child-q").snapshot

    assert snapshot["title"] == review.title
    assert [lp["number"] for lp in snapshot["learning_points"]] == [1, 2]
    assert [p["number"] for p in snapshot["learning_points"][1]["prompts"]] == ["2.1", "2.2"]


def test_an_edited_and_republished_review_gets_a_new_code_and_the_old_one_still_works(client):
    review = build_review(slug="child-q", learning_points=1, prompts=1)
    old = sheet_code(client, "child-q")
    old_question = old.snapshot["learning_points"][0]["prompts"][0]["text"]
    prompt = DiscussionPrompt.objects.get(learning_point__review=review)
    prompt.question = "A new question after the edit?"
    prompt.save()
    make_live(review)  # prompts of the live copy are deleted and recreated

    new = sheet_code(client, "child-q")
    old_form = client.get(f"/use/{old.code}/").content.decode()

    assert new != old
    assert new.review_id == old.review_id == review.pk  # the working copy, not the live row
    assert "A new question after the edit?" in client.get(f"/use/{new.code}/").content.decode()
    assert old_question.replace("'", "&#x27;") in old_form
    assert "A new question after the edit?" not in old_form


def test_a_pack_code_keeps_working_after_the_pack_changes(client):
    build_review(slug="child-q", learning_points=2, prompts=1)
    ids = list(LearningPoint.objects.published().values_list("pk", flat=True))
    client.post(reverse("packs:add"), {"learning_point": ids[0]})
    first = code_on(client, reverse("packs:sheet"))
    client.post(reverse("packs:add"), {"learning_point": ids[1]})
    second = code_on(client, reverse("packs:sheet"))

    assert first != second
    assert first.kind == UseCode.Kind.SESSION_PACK
    assert client.get(f"/use/{first.code}/").status_code == 200
    assert len(first.snapshot["learning_points"]) == 1
    assert len(second.snapshot["learning_points"]) == 2


def test_new_pack_codes_from_one_address_are_capped(client, settings):
    settings.PACK_CODES_PER_ADDRESS = 2
    build_review(slug="child-q", learning_points=1, prompts=1)
    client.post(
        reverse("packs:add"), {"learning_point": LearningPoint.objects.published().get().pk}
    )
    for title in ("One", "Two", "Three", "Four"):
        client.post(reverse("packs:title"), {"title": title})
        client.get(reverse("packs:sheet"))

    assert UseCode.objects.count() == 2
    page = client.get(reverse("packs:sheet"))
    assert page.status_code == 200 and "use-code" not in page.content.decode()


def test_a_theme_sheet_has_a_code_naming_the_theme(client):
    build_review(slug="child-q", learning_points=1, prompts=1)

    use_code = code_on(
        client, reverse("learning:theme_sheet", kwargs={"slug": "voice-of-the-child"})
    )

    assert use_code.kind == UseCode.Kind.THEME_SHEET
    assert use_code.theme.slug == "voice-of-the-child"
    assert use_code.snapshot["learning_points"][0]["review_slug"] == "child-q"


def test_the_pdf_prints_the_same_code_as_the_page(client):
    build_review(slug="child-q", learning_points=1, prompts=1)
    use_code = sheet_code(client, "child-q")

    response = client.get("/reviews/child-q/discussion-sheet.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)

    assert use_code.display_code in text
    assert UseCode.objects.count() == 1


def test_a_pdf_of_new_content_names_the_new_code(client):
    review = build_review(slug="child-q", learning_points=1, prompts=1)
    before = client.get("/reviews/child-q/briefing.pdf").content
    prompt = DiscussionPrompt.objects.get(learning_point__review=review)
    prompt.question = "Changed?"
    prompt.save()
    make_live(review)

    after = client.get("/reviews/child-q/briefing.pdf").content
    new = sheet_code(client, "child-q", "briefing")

    assert before != after
    assert new.display_code in " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(after)).pages
    )


def test_a_theme_pdf_prints_the_same_code_as_its_page(client):
    build_review(slug="child-q", learning_points=2, prompts=2)
    url = reverse("learning:theme_sheet", kwargs={"slug": "voice-of-the-child"})
    use_code = code_on(client, url)

    response = client.get(
        reverse("learning:theme_sheet_pdf", kwargs={"slug": "voice-of-the-child"})
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)

    assert use_code.display_code in text
    assert UseCode.objects.count() == 1
