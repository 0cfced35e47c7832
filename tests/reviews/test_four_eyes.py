"""Four eyes on the content: whoever publishes wrote none of what changed since the last
sign-off; a save that changes nothing makes nobody an author."""

import pytest

from reviews.models import Agency, Review, ReviewRevision, Theme
from reviews.publishing import services
from reviews.publishing.revisions import serialize_review
from tests.reviews.workflow_helpers import draft, edit, live_copy, published

pytestmark = pytest.mark.django_db


def submit(review: Review, by) -> Review:
    return services.review_submit(review=review, user=by)


def test_a_publisher_cannot_sign_off_words_they_wrote_after_someone_else_saves_unchanged(
    editor, publisher
):
    review = published(by=editor, publisher=publisher)
    edit(review, by=publisher, summary="Words the publisher wrote.")
    edit(review, by=editor)  # saved, nothing changed

    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.review_publish(review=submit(review, editor), user=publisher)
    assert "Words the publisher wrote." not in live_copy(review).summary


def test_a_later_real_change_by_someone_else_does_not_clear_the_publishers_words(editor, publisher):
    review = published(by=editor, publisher=publisher)
    edit(review, by=publisher, summary="Words the publisher wrote.")
    edit(review, by=editor, title="A title the editor changed")

    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.review_publish(review=submit(review, editor), user=publisher)


def test_another_publisher_may_sign_off_the_same_content(editor, publisher, second_publisher):
    review = published(by=editor, publisher=publisher)
    edit(review, by=publisher, summary="Words the publisher wrote.")
    edit(review, by=editor)

    services.review_publish(review=submit(review, editor), user=second_publisher)

    assert live_copy(review).summary == "Words the publisher wrote."


def test_a_save_that_changes_nothing_makes_nobody_an_author(editor, publisher):
    review = published(by=editor, publisher=publisher)
    edit(review, by=editor, summary="The editor's change.")
    edit(review, by=publisher)  # the publisher opened it and saved without a change

    services.review_publish(review=submit(review, editor), user=publisher)

    assert live_copy(review).summary == "The editor's change."


def test_before_a_first_publication_every_author_counts(editor, publisher):
    review = draft(by=publisher, summary="Drafted by the publisher.")
    edit(review, by=editor)

    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.review_publish(review=submit(review, editor), user=publisher)


def test_a_change_someone_else_reverted_still_counts_its_writer(
    editor, publisher, second_publisher
):
    # The safe side: authorship is read per revision, so undoing a publisher's change does
    # not wipe out that they wrote one since the last sign-off (docs/publishing.md).
    review = published(by=editor, publisher=publisher)
    signed_off = ReviewRevision.objects.filter(review=review).order_by("-number").first()
    edit(review, by=publisher, summary="Words the publisher wrote.")
    services.review_revert(review=review, user=second_publisher, revision=signed_off)

    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.review_publish(review=submit(review, editor), user=publisher)


def test_reverting_to_a_revision_that_names_a_deleted_theme_says_so_and_changes_nothing(
    editor, publisher
):
    review = draft(by=editor, learning_points=1)
    first = ReviewRevision.objects.get(review=review, number=1)
    theme = Theme.objects.create(slug="short-lived", name="Short-lived theme")
    learning_point = review.learning_points.get()
    learning_point.themes.add(theme)
    services.review_record_edit(review=review, edited_by=editor, expected_version=None)
    with_theme = ReviewRevision.objects.get(review=review, number=2)
    edit(review, by=editor, summary="Later.")
    theme.delete()
    before = serialize_review(Review.objects.get(pk=review.pk))
    revisions = ReviewRevision.objects.filter(review=review).count()

    with pytest.raises(services.WorkflowError) as error:
        services.review_revert(review=review, user=publisher, revision=with_theme)

    message = str(error.value.message)
    assert "theme that has since been deleted" in message
    assert f"learning point “{learning_point.title}”" in message
    assert serialize_review(Review.objects.get(pk=review.pk)) == before
    assert ReviewRevision.objects.filter(review=review).count() == revisions
    services.review_revert(review=review, user=publisher, revision=first)  # still possible


def test_reverting_to_a_revision_that_names_a_deleted_agency_in_the_admin_gives_a_message(
    client, editor, publisher
):
    from django.urls import reverse

    review = draft(by=editor, learning_points=1)
    agency = Agency.objects.create(name="Short-lived agency")
    review.agencies.add(agency)
    services.review_record_edit(review=review, edited_by=editor, expected_version=None)
    with_agency = ReviewRevision.objects.filter(review=review).latest("number")
    edit(review, by=editor, summary="Later.")
    review.agencies.remove(agency)
    agency.delete()
    client.force_login(publisher)

    response = client.post(
        reverse("admin:reviews_review_revert", args=[review.pk, with_agency.number]),
        follow=True,
    )

    assert response.status_code == 200
    assert "agency that has since been deleted" in response.content.decode()


def test_previewing_a_revision_that_names_a_deleted_theme_says_so_instead_of_failing(
    client, editor, publisher
):
    from django.urls import reverse

    review = draft(by=editor, learning_points=1)
    theme = Theme.objects.create(slug="short-lived", name="Short-lived theme")
    review.learning_points.get().themes.add(theme)
    services.review_record_edit(review=review, edited_by=editor, expected_version=None)
    link = services.preview_link_create(review=review, user=publisher)
    theme.delete()

    response = client.get(reverse("reviews:preview_link", args=[services.preview_link_token(link)]))

    assert response.status_code == 200
    assert "theme that has since been deleted" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
