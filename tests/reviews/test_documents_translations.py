"""Translation documents (`language`, `translation_of`): checked against their original,
refused with the spec's file:line messages, and exported back byte for byte."""

import re
from pathlib import Path

import pytest

from reviews.documents.exporting import review_documents_export, review_list_for_export
from reviews.documents.format import DocumentError
from reviews.documents.importing import review_documents_import
from reviews.models import Review

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "reviews"
ORIGINAL = (FIXTURES / "baby-c.md").read_text(encoding="utf-8")
WELSH = (FIXTURES / "baby-c-cy.md").read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def import_texts(*documents: tuple[str, str], **options):
    return review_documents_import(
        sources=[(name, text.encode()) for name, text in documents], keep_status=True, **options
    )


def refused(*documents: tuple[str, str]) -> list[str]:
    with pytest.raises(DocumentError) as error:
        import_texts(*documents)
    return [str(problem) for problem in error.value.problems]


def test_a_translation_imports_after_its_original_whatever_the_folder_order():
    import_texts(("baby-c-cy.md", WELSH), ("baby-c.md", ORIGINAL))

    welsh = Review.objects.working_copies().get(slug="baby-c-cy")
    assert welsh.language == "cy"
    assert welsh.translation_of.slug == "baby-c"
    assert welsh.title == "Babi C"
    # Structured values it left out are its original's.
    assert welsh.board.name == "Coventry Safeguarding Children Board"
    assert welsh.child_age_months == 11
    assert list(welsh.learning_points.first().themes.values_list("slug", flat=True)) == list(
        welsh.translation_of.learning_points.first().themes.values_list("slug", flat=True)
    )
    assert Review.objects.published(translations=True).filter(working_copy=welsh).exists()


def test_a_translation_of_a_review_already_in_the_portal_imports_on_its_own():
    import_texts(("baby-c.md", ORIGINAL))
    import_texts(("baby-c-cy.md", WELSH))

    assert Review.objects.working_copies().get(slug="baby-c-cy").translation_of.slug == "baby-c"


def test_a_translation_naming_no_review_is_refused_at_its_line():
    text = WELSH.replace("translation_of: baby-c", "translation_of: baby-z")

    assert refused(("baby-c-cy.md", text)) == [
        f"baby-c-cy.md:{line_of(text, 'translation_of:')}: translation_of: no review has the "
        "slug 'baby-z'; give the slug of the review this document translates (import it "
        "first, or in the same folder)"
    ]


def test_an_unknown_language_is_refused():
    text = WELSH.replace("language: cy", "language: fr")

    problems = refused(("baby-c.md", ORIGINAL), ("baby-c-cy.md", text))

    assert problems == [
        f"baby-c-cy.md:{line_of(text, 'language:')}: language: unknown language 'fr'; "
        "use one of: en, cy"
    ]


def test_a_translation_missing_a_chronology_event_names_the_first_difference():
    # The last event: two lines of YAML gone.
    text = re.sub(r"  - when: Yn fuan ar ôl y penderfyniad i agor CAF\n(    .*\n)+", "", WELSH)

    problems = refused(("baby-c.md", ORIGINAL), ("baby-c-cy.md", text))

    assert problems == [
        f"baby-c-cy.md:{line_of(text, 'chronology:') + 1}: chronology: does not line up with "
        "'baby-c': the translation has 14 chronology events, the original has 15 (a "
        "translation has the same rows as its original, in the same order)"
    ]


def test_a_learning_point_with_a_prompt_too_few_is_named():
    text = WELSH.replace(
        "      - Pa asiantaethau o gwmpas y teuluoedd ar eich llwyth achosion na fyddai'n cael "
        "gwybod pe bai lefel yr angen yn newid yfory, a beth allech chi ei wneud am hynny?\n",
        "",
    )

    (problem,) = refused(("baby-c.md", ORIGINAL), ("baby-c-cy.md", text))

    assert problem.startswith(
        f"baby-c-cy.md:{line_of(text, '      - Pan gaiff achos')}: learning[2].prompts: does "
        "not line up with 'baby-c': the translation has 3 prompts, the original's learning "
        "point 2 has 4"
    )


def test_a_missing_finding_points_at_the_analysis_section():
    text = WELSH.replace(
        "Dangosodd arsylwadau gweithwyr proffesiynol o'r fam, ac ar adegau o'r tad, eu bod yn "
        "darparu gofal a sylw priodol i'w plant, y gwelwyd eu bod yn derbyn gofal da.\n\n",
        "",
    )

    (problem,) = refused(("baby-c.md", ORIGINAL), ("baby-c-cy.md", text))

    assert problem.startswith(f"baby-c-cy.md:{line_of(text, '## Analysis')}: analysis: ")
    assert "the translation has 5 findings, the original has 6" in problem


def test_a_structured_value_contradicting_the_original_is_refused_with_both_values():
    text = WELSH.replace(
        "translation_of: baby-c\n", "translation_of: baby-c\nboard: Bwrdd Arall\nnation: wales\n"
    )

    problems = refused(("baby-c.md", ORIGINAL), ("baby-c-cy.md", text))

    assert problems == [
        f"baby-c-cy.md:{line_of(text, 'board:')}: board: 'Bwrdd Arall' in the translation, "
        "but the original 'baby-c' has 'Coventry Safeguarding Children Board'; structured "
        "values belong to the original: leave it out or give the original's",
        f"baby-c-cy.md:{line_of(text, 'nation:')}: nation: 'wales' in the translation, but "
        "the original 'baby-c' has 'england'; structured values belong to the original: "
        "leave it out or give the original's",
    ]
    assert not Review.objects.exists()


def test_a_learning_points_themes_must_be_the_originals():
    text = WELSH.replace(
        "  - title: Gwrando ar blant\n",
        "  - title: Gwrando ar blant\n    themes: [neglect]\n",
    )

    (problem,) = refused(("baby-c.md", ORIGINAL), ("baby-c-cy.md", text))

    assert problem == (
        f"baby-c-cy.md:{line_of(text, 'themes: [neglect]')}: learning[1].themes: [neglect] "
        "in the translation, but the original 'baby-c' has [voice-of-the-child, assessment]; "
        "structured values belong to the original: leave it out or give the original's"
    )


def test_structured_values_equal_to_the_originals_are_accepted():
    text = WELSH.replace(
        "translation_of: baby-c\n",
        "translation_of: baby-c\nreview_type: serious-case-review\nnation: england\n",
    )

    import_texts(("baby-c.md", ORIGINAL), ("baby-c-cy.md", text))

    assert Review.objects.working_copies().filter(slug="baby-c-cy").exists()


def test_a_translation_in_the_originals_language_is_refused():
    text = WELSH.replace("language: cy", "language: en")

    (problem,) = refused(("baby-c.md", ORIGINAL), ("baby-c-cy.md", text))

    assert problem.startswith(f"baby-c-cy.md:{line_of(text, 'language:')}: language: 'en'")


def test_a_translation_of_a_translation_is_refused():
    import_texts(("baby-c.md", ORIGINAL), ("baby-c-cy.md", WELSH))
    text = WELSH.replace("translation_of: baby-c", "translation_of: baby-c-cy").replace(
        "slug: baby-c-cy", "slug: baby-c-cy-2"
    )

    (problem,) = refused(("again.md", text))

    assert "'baby-c-cy' is itself a translation (of 'baby-c')" in problem


def test_a_translation_is_exported_with_its_language_and_original_and_reads_back_the_same():
    import_texts(("baby-c.md", ORIGINAL), ("baby-c-cy.md", WELSH))
    first = dict(review_documents_export(reviews=review_list_for_export()))
    text = first["baby-c-cy.md"]

    assert "language: cy\ntranslation_of: baby-c\n" in text
    assert "language:" not in first["baby-c.md"]

    Review.objects.all().delete()
    import_texts(*first.items())
    assert dict(review_documents_export(reviews=review_list_for_export())) == first
