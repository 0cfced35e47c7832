"""Exporting reviews as documents (reviews/documents/exporting.py), and the round trip."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from reviews.documents.exporting import (
    review_documents_export,
    review_list_for_export,
    review_to_document,
)
from reviews.documents.format import DocumentError
from reviews.documents.importing import review_documents_import
from reviews.models import Agency, AnalysisFinding, Board, LearningPoint, Review
from reviews.publishing import services
from tests.factories import (
    AnalysisFindingFactory,
    ChronologyEventFactory,
    ReviewFactory,
    UserFactory,
    build_review,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "reviews"


def export_all() -> dict[str, str]:
    return dict(review_documents_export(reviews=review_list_for_export()))


def empty_the_database() -> None:
    # Revisions and the audit log are append-only and do not hold reviews; the rest goes.
    Review.objects.all().delete()
    Board.objects.all().delete()
    Agency.objects.all().delete()


def assert_round_trip_is_byte_identical() -> dict[str, str]:
    first = export_all()
    assert first, "nothing was exported"
    empty_the_database()

    review_documents_import(
        sources=[(name, text.encode()) for name, text in first.items()], keep_status=True
    )

    assert export_all() == first
    return first


def test_the_demo_documents_export_import_and_export_again_byte_for_byte():
    sources = [(path.name, path.read_bytes()) for path in sorted(FIXTURES.glob("*.md"))]
    review_documents_import(sources=sources, keep_status=True)

    files = assert_round_trip_is_byte_identical()

    assert sorted(files) == sorted(path.name for path in FIXTURES.glob("*.md"))


def test_generated_reviews_export_import_and_export_again_byte_for_byte():
    build_review(events=4, learning_points=3, prompts=2)
    build_review(draft=True, events=0, learning_points=1, prompts=0)
    awkward = build_review(
        title="No",
        incident_date="2015",
        keywords="on, 2015, key: value",
        reviewer="'quoted' # not a comment",
        summary="\r\nFirst line.  \r\nSecond line.\r\n\r\n    indented code\r\n",
        content_warning="yes",
        child_age_months=0,
    )
    ChronologyEventFactory(review=awkward, position=9, age_months=-2, date="2014-03", is_key=True)
    AnalysisFindingFactory(review=awkward, position=9, text="Two paragraphs.\n\nIn one finding.")

    assert_round_trip_is_byte_identical()


def test_a_working_copys_workflow_status_is_written_in_the_formats_three_words():
    publisher = UserFactory(username="publisher", is_superuser=True)
    ready = build_review(draft=True, slug="ready")
    Review.objects.filter(pk=ready.pk).update(status=Review.Status.READY)
    changed = build_review(slug="changed")
    Review.objects.filter(pk=changed.pk).update(status=Review.Status.CHANGED)
    withdrawn = build_review(slug="withdrawn")
    services.review_withdraw(review=withdrawn, user=publisher, reason="Asked by the family")

    statuses = {
        review.slug: review_to_document(review).status for review in review_list_for_export()
    }

    assert statuses == {"ready": "draft", "changed": "published", "withdrawn": "withdrawn"}


def test_the_publication_date_comes_from_the_live_copy_when_the_working_copy_has_none():
    review = ReviewFactory(slug="undated", published_on=None)  # publishing dates the live copy

    (doc,) = [review_to_document(r) for r in review_list_for_export(slugs=[review.slug])]

    assert doc.published_on == timezone.localdate()
    assert Review.objects.working_copies().get(slug="undated").published_on is None


def test_exporting_reads_a_fixed_number_of_queries_however_many_reviews(
    django_assert_max_num_queries,
):
    for _ in range(5):
        build_review(events=3, learning_points=2, prompts=2)

    with django_assert_max_num_queries(11):
        review_documents_export(reviews=review_list_for_export())


def test_a_review_that_would_not_import_again_is_named_and_nothing_is_exported():
    review = build_review(slug="empty-learning")
    LearningPoint.objects.filter(review=review).update(body="")

    with pytest.raises(DocumentError) as caught:
        review_documents_export(reviews=review_list_for_export())

    assert "empty-learning.md" in str(caught.value)
    assert "has no text" in str(caught.value)


# The command -------------------------------------------------------------------------------


def test_the_command_writes_one_document_per_review(tmp_path):
    build_review(slug="child-a")
    build_review(slug="child-b", draft=True)
    out = StringIO()

    call_command("export_reviews", str(tmp_path / "out"), stdout=out)

    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "child-a.md",
        "child-b.md",
    ]
    assert "2 review documents written to" in out.getvalue()
    assert (
        (tmp_path / "out" / "child-a.md").read_text().startswith("---\nformat: review-document/1\n")
    )


def test_the_command_exports_only_the_named_slugs_and_refuses_unknown_ones(tmp_path):
    build_review(slug="child-a")
    build_review(slug="child-b")

    call_command("export_reviews", str(tmp_path), "--slug", "child-b", stdout=StringIO())

    assert [path.name for path in tmp_path.iterdir()] == ["child-b.md"]
    with pytest.raises(CommandError, match="No review has the slug: nobody"):
        call_command("export_reviews", str(tmp_path / "x"), "--slug", "nobody")
    assert not (tmp_path / "x").exists()


def test_the_command_then_import_command_round_trip(tmp_path):
    for path in FIXTURES.glob("*.md"):
        call_command("import_reviews", str(path), stdout=StringIO())
    call_command("export_reviews", str(tmp_path / "first"), stdout=StringIO())
    empty_the_database()

    call_command("import_reviews", str(tmp_path / "first"), stdout=StringIO())
    call_command("export_reviews", str(tmp_path / "second"), stdout=StringIO())

    first = {p.name: p.read_bytes() for p in (tmp_path / "first").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "second").iterdir()}
    assert first == second


def test_the_command_writes_nothing_when_a_review_cannot_be_exported(tmp_path):
    review = build_review(slug="broken")
    AnalysisFinding.objects.filter(review=review).update(text="Text.\n## Not a section")

    with pytest.raises(CommandError) as caught:
        call_command("export_reviews", str(tmp_path / "out"))

    assert "broken.md" in str(caught.value)
    assert "Nothing was exported." in str(caught.value)
    assert not (tmp_path / "out").exists()
