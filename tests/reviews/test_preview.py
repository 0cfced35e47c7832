"""Previews: any version on the real public template, marked, private and never indexed."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Review, ReviewRevision
from reviews.publishing import services
from tests.reviews.workflow_helpers import draft, edit, published, superuser

pytestmark = pytest.mark.django_db


def assert_private_preview(response, *must_contain: str) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview — not published" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    for text in must_contain:
        assert text in html, text
    return html


def test_staff_preview_a_draft_on_the_public_template_and_nothing_is_kept(client, editor):
    review = draft(by=editor, title="Child P", slug="child-p", events=2)
    rows = Review.objects.count()
    client.force_login(editor)

    response = client.get(reverse("admin:reviews_review_preview", args=[review.pk]))

    assert_private_preview(response, "Child P — Case Summary", "Chronology", "Key Learning")
    assert Review.objects.count() == rows
    assert client.get("/reviews/child-p/").status_code == 404


def test_staff_preview_any_earlier_revision(client, editor):
    review = draft(by=editor, summary="The first summary.")
    edit(review, by=editor, summary="The second summary.")
    client.force_login(editor)

    first = client.get(reverse("admin:reviews_review_revision_preview", args=[review.pk, 1]))
    second = client.get(reverse("admin:reviews_review_revision_preview", args=[review.pk, 2]))

    assert "The first summary." in assert_private_preview(first)
    assert "The second summary." in assert_private_preview(second)


def test_the_preview_of_unpublished_changes_shows_them_while_the_public_page_does_not(
    client, editor, publisher
):
    review = published(by=editor, publisher=publisher, slug="child-u")
    edit(review, by=editor, summary="Unpublished correction.")
    client.force_login(editor)

    preview = client.get(reverse("admin:reviews_review_preview", args=[review.pk]))

    assert "Unpublished correction." in assert_private_preview(preview)
    client.logout()
    assert "Unpublished correction." not in client.get("/reviews/child-u/").content.decode()


def test_the_public_cannot_use_the_staff_preview(client, editor):
    review = draft(by=editor)

    response = client.get(reverse("admin:reviews_review_preview", args=[review.pk]))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def link_url(link) -> str:
    return reverse("reviews:preview_link", args=[services.preview_link_token(link)])


def test_a_preview_link_shows_its_revision_to_someone_without_an_account(client, editor, publisher):
    review = draft(by=editor, title="Child B", summary="Shared with the board.")
    link = services.preview_link_create(review=review, user=publisher, note="Board meeting")
    edit(review, by=editor, summary="A later edit the board has not been sent.")

    response = client.get(link_url(link))

    html = assert_private_preview(response, "Child B — Case Summary", "Shared with the board.")
    assert "A later edit" not in html
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_preview_link_lasts_seven_days_by_default_and_then_stops_working(
    client, editor, publisher
):
    review = draft(by=editor)
    link = services.preview_link_create(review=review, user=publisher)
    assert link.expires_at - link.created_at == pytest.approx(
        datetime.timedelta(days=7), abs=datetime.timedelta(seconds=5)
    )

    with mock.patch(
        "django.utils.timezone.now", return_value=link.expires_at - datetime.timedelta(seconds=1)
    ):
        assert client.get(link_url(link)).status_code == 200
    with mock.patch(
        "django.utils.timezone.now", return_value=link.expires_at + datetime.timedelta(seconds=1)
    ):
        response = client.get(link_url(link))
    assert response.status_code == 410
    assert "Preview — not published" not in response.content.decode()


def test_a_revoked_preview_link_stops_working_at_once(client, editor, publisher):
    review = draft(by=editor)
    link = services.preview_link_create(review=review, user=publisher)
    assert client.get(link_url(link)).status_code == 200

    services.preview_link_revoke(link=link, user=publisher)

    assert client.get(link_url(link)).status_code == 410


def test_a_forged_or_altered_link_is_not_found(client, editor, publisher):
    review = draft(by=editor)
    link = services.preview_link_create(review=review, user=publisher)
    token = services.preview_link_token(link)

    for bad in (token[:-2] + "xx", str(link.pk), "nonsense"):
        assert client.get(reverse("reviews:preview_link", args=[bad])).status_code == 404


@pytest.mark.parametrize("days", [0, 31, -1])
def test_a_preview_link_lifetime_outside_1_to_30_days_is_refused(editor, publisher, days):
    review = draft(by=editor)

    with pytest.raises(services.WorkflowError, match="between 1 and 30 days"):
        services.preview_link_create(review=review, user=publisher, days=days)


def test_publishers_create_and_revoke_links_from_the_admin(client, editor, publisher):
    review = draft(by=editor)
    client.force_login(publisher)

    client.post(
        reverse("admin:reviews_review_preview_links_create", args=[review.pk]),
        {"days": "3", "note": "Board"},
    )

    link = review.preview_links.get()
    assert link.revision == ReviewRevision.objects.get(review=review)
    assert (link.expires_at - timezone.now()).days in (2, 3)
    page = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    assert link_url(link) in page

    client.post(reverse("admin:reviews_review_preview_link_revoke", args=[review.pk, link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_a_preview_link_dies_when_its_review_is_withdrawn(client, editor, publisher):
    review = published(by=editor, publisher=publisher)
    link = services.preview_link_create(review=review, user=publisher)
    assert client.get(link_url(link)).status_code == 200
    unknown = client.get(reverse("reviews:preview_link", args=["nonsense"]))

    services.review_withdraw(review=review, user=publisher, reason="Family asked.")
    response = client.get(link_url(link))

    assert response.status_code == unknown.status_code == 404
    assert [t.name for t in response.templates] == [t.name for t in unknown.templates]
    assert "Preview — not published" not in response.content.decode()


def test_a_preview_link_dies_when_its_review_is_deleted(client, editor, publisher):
    review = draft(by=editor)
    link = services.preview_link_create(review=review, user=publisher)
    url = link_url(link)

    services.review_delete(review=review, user=superuser())

    assert client.get(url).status_code == 404
