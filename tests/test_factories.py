"""The shared factories and fixtures give what docs/development.md says they give."""

import pytest
from django.urls import reverse

from reviews.models import Review
from tests.factories import (
    EditorFactory,
    PublisherFactory,
    StaffUserFactory,
    SuperuserFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def groups_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_each_role_factory_makes_staff_in_its_own_group_only():
    assert groups_of(EditorFactory()) == {"Editor"}
    assert groups_of(PublisherFactory()) == {"Publisher"}
    assert groups_of(StaffUserFactory()) == set()
    assert groups_of(StaffUserFactory(roles=["Editor", "Publisher"])) == {"Editor", "Publisher"}
    boss = SuperuserFactory()
    assert boss.is_staff and boss.is_superuser
    assert all(user.is_staff for user in (EditorFactory(), PublisherFactory()))


def test_the_role_fixtures_are_edith_percy_and_paula(editor, publisher, second_publisher):
    assert (editor.username, groups_of(editor)) == ("edith", {"Editor"})
    assert (publisher.username, groups_of(publisher)) == ("percy", {"Publisher"})
    assert (second_publisher.username, groups_of(second_publisher)) == ("paula", {"Publisher"})
    assert editor.check_password("correct horse battery staple")


def test_each_signed_in_client_is_its_own_session_and_the_plain_client_stays_anonymous(
    client, editor_client, publisher_client, superuser_client
):
    audit_log = reverse("admin:reviews_auditentry_changelist")

    assert editor_client.get(audit_log).status_code == 403  # editors do not read the log
    assert publisher_client.get(audit_log).status_code == 200
    assert superuser_client.get(audit_log).status_code == 200
    assert client.get(audit_log).status_code == 302  # to the login page


def test_the_published_review_is_public_and_the_draft_is_not(
    client, published_review, draft_review
):
    assert published_review.status == Review.Status.PUBLISHED
    assert client.get(published_review.get_absolute_url()).status_code == 200
    assert draft_review.status == Review.Status.DRAFT
    assert not Review.objects.published().filter(working_copy=draft_review).exists()


def test_a_theme_factory_theme_takes_its_slug_from_its_name_and_has_its_own_page(client):
    theme = ThemeFactory(name="Private fostering")

    assert theme.slug == "private-fostering"
    assert client.get(theme.get_absolute_url()).status_code == 200
