"""Four eyes on the content: whoever publishes wrote none of what changed since the last
sign-off; a save that changes nothing makes nobody an author."""

import pytest

from reviews.models import Agency, Review, ReviewRevision, Theme
from reviews.publishing import services
from reviews.publishing.revisions import serialize_review
from tests.reviews.workflow_helpers import draft, edit, live_copy, published, user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return user_in("Editor", "edith")


@pytest.fixture
def percy():
    return user_in("Publisher", "percy")


@pytest.fixture
def paula():
    return user_in("Publisher", "paula")


def submit(review: Review, by) -> Review:
    return services.review_submit(review=review, user=by)


def test_a_publisher_cannot_sign_off_words_they_wrote_after_someone_else_saves_unchanged(
    editor, percy
):
    review = published(by=editor, publisher=percy)
    edit(review, by=percy, summary="Words the publisher wrote.")
    edit(review, by=editor)  # saved, nothing changed

    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.review_publish(review=submit(review, editor), user=percy)
    assert "Words the publisher wrote." not in live_copy(review).summary


def test_a_later_real_change_by_someone_else_does_not_clear_the_publishers_words(editor, percy):
    review = published(by=editor, publisher=percy)
    edit(review, by=percy, summary="Words the publisher wrote.")
    edit(review, by=editor, title="A title the editor changed")

    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.review_publish(review=submit(review, editor), user=percy)


def test_another_publisher_may_sign_off_the_same_content(editor, percy, paula):
    review = published(by=editor, publisher=percy)
    edit(review, by=percy, summary="Words the publisher wrote.")
    edit(review, by=editor)

    services.review_publish(review=submit(review, editor), user=paula)

    assert live_copy(review).summary == "Words the publisher wrote."


def test_a_save_that_changes_nothing_makes_nobody_an_author(editor, percy):
    review = published(by=editor, publisher=percy)
    edit(review, by=editor, summary="The editor's change.")
    edit(review, by=percy)  # the publisher opened it and saved without a change

    services.review_publish(review=submit(review, editor), user=percy)

    assert live_copy(review).summary == "The editor's change."


def test_before_a_first_publication_every_author_counts(editor, percy):
    review = draft(by=percy, summary="Drafted by the publisher.")
    edit(review, by=editor)

    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.review_publish(review=submit(review, editor), user=percy)


def test_a_change_someone_else_reverted_still_counts_its_writer(editor, percy, paula):
    # The safe side: authorship is read per revision, so undoing a publisher's change does
    # not wipe out that they wrote one since the last sign-off (docs/publishing.md).
    review = published(by=editor, publisher=percy)
    signed_off = ReviewRevision.objects.filter(review=review).order_by("-number").first()
    edit(review, by=percy, summary="Words the publisher wrote.")
    services.review_revert(review=review, user=paula, revision=signed_off)

    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.review_publish(review=submit(review, editor), user=percy)


def test_reverting_to_a_revision_that_names_a_deleted_theme_says_so_and_changes_nothing(
    editor, percy
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
        services.review_revert(review=review, user=percy, revision=with_theme)

    message = str(error.value.message)
    assert "theme that has since been deleted" in message
    assert f"learning point “{learning_point.title}”" in message
    assert serialize_review(Review.objects.get(pk=review.pk)) == before
    assert ReviewRevision.objects.filter(review=review).count() == revisions
    services.review_revert(review=review, user=percy, revision=first)  # still possible


def test_reverting_to_a_revision_that_names_a_deleted_agency_in_the_admin_gives_a_message(
    client, editor, percy
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
    client.force_login(percy)

    response = client.post(
        reverse("admin:reviews_review_revert", args=[review.pk, with_agency.number]),
        follow=True,
    )

    assert response.status_code == 200
    assert "agency that has since been deleted" in response.content.decode()


def test_previewing_a_revision_that_names_a_deleted_theme_says_so_instead_of_failing(
    client, editor, percy
):
    from django.urls import reverse

    review = draft(by=editor, learning_points=1)
    theme = Theme.objects.create(slug="short-lived", name="Short-lived theme")
    review.learning_points.get().themes.add(theme)
    services.review_record_edit(review=review, edited_by=editor, expected_version=None)
    link = services.preview_link_create(review=review, user=percy)
    theme.delete()

    response = client.get(reverse("reviews:preview_link", args=[services.preview_link_token(link)]))

    assert response.status_code == 200
    assert "theme that has since been deleted" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
