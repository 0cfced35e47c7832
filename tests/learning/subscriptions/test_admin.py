"""Staff see the subscriptions and can remove one; nobody else can."""

import pytest
from django.core.exceptions import PermissionDenied

from learning.subscriptions.models import Subscription
from learning.subscriptions.services import subscription_remove
from reviews.models import Theme
from tests.learning.subscriptions.helpers import subscribed

pytestmark = pytest.mark.django_db

LIST = "/admin/learning/subscription/"


def test_staff_see_each_address_whether_confirmed_its_choices_and_last_digest(
    superuser_client,
):
    subscribed("everything@example.org")
    subscribed("neglect@example.org", themes=[Theme.objects.get(slug="neglect")])
    Subscription.objects.create(email="pending@example.org", requested_at="2026-12-01T10:00Z")
    response = superuser_client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("everything@example.org", "pending@example.org", "Themes: Neglect", "Everything"):
        assert text in html
    assert "Last sent at" in html or "last sent at" in html.lower()


def test_staff_remove_a_subscription_through_the_admin(superuser_client):
    subscription = subscribed("leaving@example.org")
    response = superuser_client.post(
        f"{LIST}{subscription.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_the_list_offers_no_adding_or_editing(superuser_client):
    subscription = subscribed("reader@example.org")
    assert superuser_client.get(f"{LIST}add/").status_code == 403
    response = superuser_client.post(
        f"{LIST}{subscription.pk}/change/", {"email": "other@example.org"}
    )
    assert response.status_code == 403
    subscription.refresh_from_db()
    assert subscription.email == "reader@example.org"


def test_someone_without_the_permission_cannot_remove_one(editor):
    subscription = subscribed("reader@example.org")
    with pytest.raises(PermissionDenied):
        subscription_remove(subscription=subscription, user=editor)
    assert Subscription.objects.exists()
