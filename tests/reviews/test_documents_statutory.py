"""The statutory block of a review document: read, written, imported and exported."""

import datetime

import pytest

from reviews.documents.exporting import review_documents_export, review_list_for_export
from reviews.documents.format import StatutoryDoc
from reviews.documents.importing import review_documents_import
from reviews.documents.writing import render_document
from reviews.models import Review
from tests.reviews.test_documents import MINIMAL, line_of, parse, problems

BLOCK = """\
statutory:
  incident_known_on: 2025-11-03
  panel_notified_on: 2025-11-07
  rapid_review_sent_on: 2025-11-21
  sent_to_panel_on: 2025-12-19
"""
# The spec's place for it: after the chronology, before the recommendations and learning.
WITH_BLOCK = MINIMAL.replace("learning:\n", BLOCK + "learning:\n", 1)


def with_block(block: str) -> str:
    return MINIMAL.replace("learning:\n", block + "learning:\n", 1)


def test_the_statutory_block_is_read_into_dates():
    doc = parse(WITH_BLOCK)

    assert doc.statutory == StatutoryDoc(
        incident_known_on=datetime.date(2025, 11, 3),
        panel_notified_on=datetime.date(2025, 11, 7),
        rapid_review_sent_on=datetime.date(2025, 11, 21),
        sent_to_panel_on=datetime.date(2025, 12, 19),
    )


def test_every_statutory_date_is_optional_and_an_empty_block_means_none():
    assert parse(MINIMAL).statutory == StatutoryDoc()
    assert parse(with_block("statutory:\n")).statutory == StatutoryDoc()
    only = parse(with_block("statutory:\n  sent_to_panel_on: 2025-12-19\n"))
    assert only.statutory == StatutoryDoc(sent_to_panel_on=datetime.date(2025, 12, 19))


def test_the_canonical_text_writes_the_block_where_the_spec_puts_it_and_reads_back_the_same():
    text = render_document(parse(WITH_BLOCK))

    assert BLOCK in text
    assert text.index("statutory:") < text.index("learning:")
    assert render_document(parse(text)) == text


def test_a_document_without_statutory_dates_writes_no_block():
    assert "statutory" not in render_document(parse(MINIMAL))


def test_an_impossible_date_is_refused_at_its_line():
    text = with_block("statutory:\n  incident_known_on: 2025-02-30\n")

    assert problems(text) == [
        f"baby-c.md:{line_of(text, '2025-02-30')}: statutory.incident_known_on: '2025-02-30' "
        "is not a real date (day is out of range for month)"
    ]


def test_a_date_not_written_as_yyyy_mm_dd_is_refused():
    text = with_block("statutory:\n  sent_to_panel_on: 19/12/2025\n")

    (problem,) = problems(text)
    assert "statutory.sent_to_panel_on: '19/12/2025' is not a date written as YYYY-MM-DD" in (
        problem
    )


def test_an_unknown_key_inside_the_block_is_refused_with_a_suggestion():
    text = with_block("statutory:\n  panel_notified: 2025-11-07\n")

    assert problems(text) == [
        f"baby-c.md:{line_of(text, 'panel_notified:')}: statutory: unknown key "
        "'panel_notified' (did you mean 'panel_notified_on'?)"
    ]


def test_a_date_before_the_incident_was_known_is_refused_at_its_line():
    text = with_block(
        "statutory:\n  incident_known_on: 2025-11-03\n  panel_notified_on: 2025-11-01\n"
    )

    assert problems(text) == [
        f"baby-c.md:{line_of(text, '2025-11-01')}: statutory.panel_notified_on: 2025-11-01 is "
        "before incident_known_on (2025-11-03): the Panel cannot be notified of an incident "
        "before it was known"
    ]


def test_a_rapid_review_sent_before_the_panel_was_notified_is_accepted_as_a_fact():
    doc = parse(
        with_block(
            "statutory:\n  incident_known_on: 2025-11-03\n  panel_notified_on: 2025-11-20\n"
            "  rapid_review_sent_on: 2025-11-14\n"
        )
    )

    assert doc.statutory.rapid_review_sent_on < doc.statutory.panel_notified_on


def test_the_block_must_be_keys_and_values():
    (problem,) = problems(with_block("statutory: [2025-11-03]\n"))

    assert "statutory: must be keys and values, not a list" in problem


@pytest.mark.django_db
def test_importing_stores_the_dates_and_exporting_writes_the_same_file_again():
    review_documents_import(sources=[("baby-c.md", WITH_BLOCK.encode())])
    review = Review.objects.working_copies().get(slug="baby-c")
    assert review.sent_to_panel_on == datetime.date(2025, 12, 19)

    ((name, text),) = review_documents_export(reviews=review_list_for_export())
    Review.objects.all().delete()
    review_documents_import(sources=[(name, text.encode())])

    assert review_documents_export(reviews=review_list_for_export()) == [(name, text)]
    assert BLOCK in text


@pytest.mark.django_db
def test_updating_from_a_document_without_the_block_empties_the_dates():
    review_documents_import(sources=[("baby-c.md", WITH_BLOCK.encode())])

    review_documents_import(sources=[("baby-c.md", MINIMAL.encode())], update=True)

    review = Review.objects.working_copies().get(slug="baby-c")
    assert all(getattr(review, name) is None for name in Review.STATUTORY_FIELDS)
