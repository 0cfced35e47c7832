"""Welsh names of boards, agencies, review types and themes on public pages."""

import pytest
from django.template import Context, Template
from django.utils import translation

from reviews.translations.names import localised_html, localised_name
from tests.factories import AgencyFactory, BoardFactory, review_type
from tests.reviews.translation_helpers import welsh_translation
from tests.reviews.workflow_helpers import live_copy, published

pytestmark = pytest.mark.django_db


def test_a_name_is_welsh_in_welsh_and_english_otherwise():
    board = BoardFactory(name="Coventry Board", name_cy="Bwrdd Coventry")

    assert localised_name(board) == "Coventry Board"
    with translation.override("cy"):
        assert localised_name(board) == "Bwrdd Coventry"
    assert localised_name(review_type(), "learning_heading", "cy") == (
        review_type().learning_heading
    )


def test_a_missing_welsh_name_falls_back_to_english_marked_as_english():
    agency = AgencyFactory(name="Police <HQ>")

    with translation.override("cy"):
        assert localised_html(agency) == '<span lang="en">Police &lt;HQ&gt;</span>'
    assert localised_html(agency) == "Police &lt;HQ&gt;"


def test_templates_list_agencies_in_the_pages_language():
    agencies = [AgencyFactory(name="GP", name_cy="Meddyg teulu"), AgencyFactory(name="Police")]
    template = Template("{% load localised %}{{ agencies|localised_list }}")

    with translation.override("cy"):
        welsh = template.render(Context({"agencies": agencies}))

    assert welsh == 'Meddyg teulu, <span lang="en">Police</span>'


def test_the_welsh_translations_stored_page_names_the_board_in_welsh(editor, publisher):
    board = BoardFactory(name="Coventry Board", name_cy="Bwrdd Coventry")
    review = published(by=editor, publisher=publisher, board=board)
    welsh = welsh_translation(review, by=editor, publisher=publisher)

    assert "Bwrdd Coventry" in live_copy(welsh).page_html
    assert "Bwrdd Coventry" not in live_copy(review).page_html


def test_facets_name_themes_in_welsh_on_welsh_pages():
    from learning.discovery.catalogue import catalogue_forget, review_facets
    from learning.discovery.facets import ReviewFilters
    from tests.factories import build_review

    build_review(title="Baby F", slug="baby-f")
    catalogue_forget()

    def theme_labels() -> set[str]:
        (themes,) = [facet for facet in review_facets(ReviewFilters()) if facet.key == "theme"]
        return {option.label for option in themes.options}

    english = theme_labels()
    with translation.override("cy"):
        welsh = theme_labels()
    catalogue_forget()

    assert "Voice of the child" in english
    assert "Llais y plentyn" in welsh and "Voice of the child" not in welsh
