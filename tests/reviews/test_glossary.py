"""The glossary: marking the first use of each term, the /glossary/ page, keeping stored
pages up to date when it changes, and the acronyms it does not know."""

import re

import pytest
from django.urls import reverse

from reviews.glossary.marking import glossary_mark
from reviews.glossary.matching import Glossary, Term
from reviews.glossary.selectors import glossary_read, unknown_acronyms
from reviews.glossary.services import (
    glossary_term_delete,
    glossary_term_save,
    glossary_terms_load,
)
from reviews.models import GlossaryTerm, Review
from reviews.publishing import selectors as workflow_selectors
from tests.factories import LearningPointFactory, ReviewFactory, build_review, make_live
from tests.reviews.workflow_helpers import edit, live_copy

pytestmark = pytest.mark.django_db


def term(text: str, meaning: str, slug: str | None = None) -> Term:
    row = GlossaryTerm(term=text, meaning=meaning)
    return Term(
        term=text, meaning=meaning, slug=slug or re.sub(r"\W+", "-", text.lower()),
        is_acronym=row.is_acronym,
    )  # fmt: skip


GLOSSARY = Glossary(
    [
        term("GP", "General practitioner, a family doctor."),
        term("A&E", "Accident and emergency.", "a-and-e"),
        term("CP plan", "Child protection plan."),
        term("CP", "Child protection."),
        term("Section 47", "An enquiry when a child may be at risk."),
    ]
)


def mark(fragment: str) -> str:
    return glossary_mark(fragment, GLOSSARY)[0]


def test_only_the_first_use_of_a_term_on_a_page_is_marked():
    html = mark("<p>The GP saw her.</p><p>The GP saw her again.</p>")

    assert html.count('class="term"') == 1
    assert html.startswith(
        '<p>The <span class="term"><a class="term__link" href="/glossary/#term-gp"'
    )
    assert html.endswith("<p>The GP saw her again.</p>")


def test_a_marked_term_has_its_meaning_as_the_links_description_hidden_from_the_reading_order():
    html = mark("<p>See the GP.</p>")

    assert (
        '<a class="term__link" href="/glossary/#term-gp" aria-describedby="term-gp-meaning">'
        "<abbr>GP</abbr></a>"
        '<span class="term__meaning" id="term-gp-meaning" aria-hidden="true">'
        " (General practitioner, a family doctor.)</span>"
    ) in html
    assert "title=" not in html


@pytest.mark.parametrize(
    "fragment",
    [
        '<p><a href="/x">the GP</a></p>',
        "<h2>What the GP knew</h2>",
        "<p><code>GP</code></p>",
        "<pre>GP notes</pre>",
        '<p><abbr title="General practitioner">GP</abbr></p>',
        '<p><span class="visually-hidden">for the GP</span></p>',
        '<svg aria-hidden="true"><text>GP</text></svg>',
        "<button>Tell the GP</button>",
    ],
)
def test_terms_are_never_marked_inside_links_headings_code_abbreviations_or_hidden_text(
    fragment,
):
    assert mark(fragment) == fragment


def test_a_term_skipped_in_a_heading_is_marked_at_its_first_use_in_the_text():
    html = mark("<h2>The GP</h2><p>The GP saw her.</p>")

    assert html.startswith("<h2>The GP</h2><p>The <span")


def test_acronyms_match_exactly_and_phrases_whatever_their_case():
    assert 'class="term"' not in mark("<p>a gp or a Gp or GPS</p>")
    assert 'href="/glossary/#term-gp"' in mark("<p>two GPs</p>")
    assert 'href="/glossary/#term-section-47"' in mark("<p>a section\n47 enquiry</p>")
    # The longer term wins where both match, and the shorter is still marked on its own.
    html = mark("<p>A CP plan was made. CP was discussed.</p>")
    assert 'href="/glossary/#term-cp-plan"' in html and 'href="/glossary/#term-cp"' in html


def test_escaped_text_is_matched_and_stays_escaped():
    html = mark("<p>Taken to A&amp;E &lt;urgently&gt;.</p>")

    assert "<abbr>A&amp;E</abbr>" in html
    assert "&lt;urgently&gt;" in html
    assert "<urgently>" not in html


def test_meanings_are_escaped():
    hostile = Glossary([term("GP", '<script>alert("x")</script> & "quotes"')])

    html, _ = glossary_mark("<p>The GP.</p>", hostile)

    assert "<script>" not in html
    assert "(&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;)" in html


def test_text_without_terms_is_kept_byte_for_byte():
    fragment = "<p>It&#39;s &quot;plain&quot;.</p><!-- a GP comment -->"

    assert mark(fragment) == fragment


def test_marking_in_parts_of_one_page_marks_each_term_once_and_lists_the_terms_used():
    seen: set[str] = set()

    first, used_first = glossary_mark("<p>GP and A&amp;E</p>", GLOSSARY, seen=seen)
    second, used_second = glossary_mark("<p>GP again</p>", GLOSSARY, seen=seen)

    assert 'class="term"' in first and 'class="term"' not in second
    assert [t.term for t in used_first] == ["GP", "A&E"]
    assert [t.term for t in used_second] == ["GP"]


# The stored pages and the services -----------------------------------------------------------


def test_the_review_page_marks_glossary_terms_in_its_stored_html(client):
    glossary_term_save(term=GlossaryTerm(term="GP", meaning="A family doctor."))
    review = ReviewFactory(summary="The GP saw the baby. The GP was worried.")

    response = client.get(review.get_absolute_url())

    html = response.content.decode()
    assert html.count('aria-describedby="term-gp-meaning"') == 1
    assert "(A family doctor.)" in live_copy(review).page_html


def test_changing_or_deleting_a_term_renders_the_stored_pages_using_it_again(client, superuser):
    gp = glossary_term_save(term=GlossaryTerm(term="GP", meaning="A family doctor."))
    review = ReviewFactory(summary="The GP saw the baby.")
    other = ReviewFactory(summary="Nothing to explain here.")
    other_page = live_copy(other).page_html

    gp.meaning = "General practitioner: your family doctor."
    glossary_term_save(term=gp, user=superuser)

    assert "(General practitioner: your family doctor.)" in live_copy(review).page_html
    assert live_copy(other).page_html == other_page
    assert "your family doctor" in client.get(review.get_absolute_url()).content.decode()

    glossary_term_delete(term=gp, user=superuser)

    assert 'class="term"' not in live_copy(review).page_html


def test_renaming_a_term_refreshes_pages_that_showed_the_old_one():
    hv = glossary_term_save(term=GlossaryTerm(term="HV", meaning="Health visitor."))
    review = ReviewFactory(summary="The HV visited.")
    assert "term-hv" in live_copy(review).page_html

    hv.term = "Health visitor"
    glossary_term_save(term=hv)

    assert "term-hv" not in live_copy(review).page_html


def test_a_term_is_unique_whatever_its_case_and_staff_need_permission(editor):
    from django.core.exceptions import PermissionDenied, ValidationError

    glossary_term_save(term=GlossaryTerm(term="GP", meaning="A family doctor."))

    with pytest.raises(ValidationError):
        glossary_term_save(term=GlossaryTerm(term="gp", meaning="Again."))
    with pytest.raises(PermissionDenied):
        glossary_term_save(term=GlossaryTerm(term="HV", meaning="Health visitor."), user=editor)


def test_loading_starter_terms_keeps_the_boards_own_meanings():
    glossary_term_save(term=GlossaryTerm(term="GP", meaning="The board's words."))

    added = glossary_terms_load(entries=[("GP", "Another meaning."), ("HV", "Health visitor.")])

    assert added == 1
    assert GlossaryTerm.objects.get(term="GP").meaning == "The board's words."


def test_the_glossary_page_lists_every_term_a_to_z_with_an_id_to_link_to(client):
    glossary_terms_load(
        entries=[("Section 47", "An enquiry."), ("A&E", "Accident and emergency."), ("GP", "<b>")]
    )

    response = client.get(reverse("glossary"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('id="term-a-and-e"') < html.index('id="term-gp"') < html.index("term-section")
    assert "<dd>&lt;b&gt;</dd>" in html
    assert 'href="/glossary/"' in html  # the footer links to it


def test_theme_pages_and_sheets_mark_terms_and_sheets_list_them(client):
    glossary_term_save(term=GlossaryTerm(term="GP", meaning="A family doctor."))
    review = build_review(slug="sheets", learning_points=1)
    point = review.learning_points.get()
    point.body = "Ask the GP."
    point.save()
    make_live(review)

    theme_page = client.get(reverse("learning:theme_detail", kwargs={"slug": "voice-of-the-child"}))
    sheet = client.get(reverse("reviews:discussion_sheet", kwargs={"slug": "sheets"}))

    assert 'aria-describedby="term-gp-meaning"' in theme_page.content.decode()
    sheet_html = sheet.content.decode()
    assert 'aria-describedby="term-gp-meaning"' in sheet_html
    assert "Words used on this sheet" in sheet_html
    assert "<dt>GP</dt><dd>A family doctor.</dd>" in sheet_html


def test_a_sheet_without_glossary_terms_has_no_glossary_list(client):
    build_review(slug="no-terms", learning_points=1)

    sheet = client.get(reverse("reviews:briefing", kwargs={"slug": "no-terms"}))

    assert "Words used on this sheet" not in sheet.content.decode()


# Unknown acronyms ---------------------------------------------------------------------------


def test_editors_are_told_the_acronyms_the_glossary_does_not_know(editor):
    glossary_terms_load(entries=[("GP", "A family doctor."), ("CP plan", "Child protection plan.")])
    review = build_review(slug="acronyms", draft=True)
    review.summary = (
        "The GP and the HV met at MASH in the UK. A CP plan was made; part II of the ICPC "
        "notes. GPs and LADOs were told (review BSCP2020-21-01)."
    )
    review.save()
    LearningPointFactory(review=review, position=9, title="Learning", body="Ask CAMHS.")

    assert unknown_acronyms(review=review, glossary=glossary_read()) == [
        "CAMHS",
        "HV",
        "ICPC",
        "LADO",
        "MASH",
    ]


def test_the_workflow_panel_warns_of_unknown_acronyms_and_a_missing_plain_summary(
    editor, editor_client
):
    review = build_review(slug="warned", draft=True, summary="The HV visited.")

    warnings = workflow_selectors.publication_warnings(review=review)
    response = editor_client.get(reverse("admin:reviews_review_change", args=[review.pk]))

    assert any("no plain summary" in warning for warning in warnings)
    assert any("does not explain HV" in warning for warning in warnings)
    html = response.content.decode()
    assert "does not explain HV" in html and "no plain summary" in html


def test_the_warnings_go_once_a_plain_summary_is_written_and_the_term_is_known(editor):
    review = build_review(slug="fixed", draft=True, summary="The HV visited.")
    glossary_term_save(term=GlossaryTerm(term="HV", meaning="Health visitor."))

    review = edit(review, by=editor, plain_summary="A health visitor visited the family.")

    assert workflow_selectors.plain_words_warnings(review=review) == []
    assert Review.objects.get(pk=review.pk).plain_summary


def test_a_glossary_change_gives_sheets_pdfs_a_new_key(rf):
    from learning.pdf import cache_key

    request = rf.get("/")
    before = cache_key(kind="briefing", request=request, parts=("baby-c", 1))
    glossary_term_save(term=GlossaryTerm(term="GP", meaning="A family doctor."))

    after = cache_key(kind="briefing", request=request, parts=("baby-c", 1))

    assert after != before
    assert cache_key(kind="briefing", request=request, parts=("baby-c", 1)) == after


def test_changing_a_term_written_with_an_ampersand_refreshes_its_pages():
    term = glossary_term_save(term=GlossaryTerm(term="A&E", meaning="Accident and emergency."))
    review = ReviewFactory(summary="Taken to A&E.")
    assert "(Accident and emergency.)" in live_copy(review).page_html

    term.meaning = "The hospital's emergency department."
    glossary_term_save(term=term)

    assert "(The hospital&#x27;s emergency department.)" in live_copy(review).page_html


def test_the_glossary_page_is_in_the_sitemap(client):
    sitemap = client.get("/sitemap.xml").content.decode()

    assert "/glossary/</loc>" in sitemap


def test_a_capital_with_digits_counts_as_an_acronym_but_a_lone_capital_does_not():
    review = build_review(slug="digits", draft=True, summary="A S47 enquiry about Baby C.")

    assert unknown_acronyms(review=review, glossary=glossary_read()) == ["S47"]
