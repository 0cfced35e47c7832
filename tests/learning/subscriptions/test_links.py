"""The signed links in subscription e-mails: unsubscribe in one click, change choices, and
what happens to links that were forged, changed, expired or made for someone else."""

import datetime

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from learning.subscriptions.models import Subscription
from learning.subscriptions.tokens import Purpose, _address_digest, subscription_token
from reviews.models import Agency, Theme
from tests.learning.subscriptions.helpers import (
    SUBSCRIBE,
    subscribe_and_confirm,
    subscribe_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, smtp_server) -> Subscription:
    subscription = subscribe_and_confirm(client, smtp_server, "reader@example.org")
    return subscription


def test_every_message_names_its_one_click_unsubscribe_link_in_its_headers(client, smtp_server):
    client.post(SUBSCRIBE, subscribe_form("reader@example.org"))
    message = smtp_server.only(to="reader@example.org")
    header = message["List-Unsubscribe"]
    assert header.startswith("<http://127.0.0.1:8000/unsubscribe/") and header.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # On the wire as it is, not as RFC 2047 encoded words mail providers would not read.
    assert smtp_server.raw_header(message, "List-Unsubscribe") == header
    assert smtp_server.raw_header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    # The same link is in the body, with the one to change choices.
    assert smtp_server.link(message, "/unsubscribe/") == header[1:-1]
    assert smtp_server.link(message, "/subscribe/choices/")


def test_the_one_click_post_unsubscribes_without_cookies_session_or_csrf(reader, smtp_server):
    # The confirmation message is the last that arrived for the address.
    unsubscribe_url = _last_unsubscribe_link(smtp_server, reader)
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        unsubscribe_url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not response.cookies
    assert not Subscription.objects.filter(pk=reader.pk).exists()
    # Pressing it twice is fine, and says the same.
    again = provider.post(
        unsubscribe_url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert again.status_code == 200


def test_following_the_unsubscribe_link_asks_first(reader, smtp_server):
    link = _last_unsubscribe_link(smtp_server, reader)
    page = Client().get(link)
    assert page.status_code == 200
    assert '<form method="post">' in page.content.decode()
    assert Subscription.objects.filter(pk=reader.pk).exists()
    assert Client().post(link).status_code == 200
    assert not Subscription.objects.filter(pk=reader.pk).exists()


def test_the_choices_link_changes_themes_agencies_and_frequency(reader, smtp_server):
    message = smtp_server.to("reader@example.org")[-1]
    link = smtp_server.link(message, "/subscribe/choices/")
    browser = Client()
    assert browser.get(link).status_code == 200
    neglect = Theme.objects.get(slug="neglect")
    police = Agency.objects.create(name="Police force")
    response = browser.post(
        link,
        {"scope": "chosen", "themes": [neglect.pk], "agencies": [police.pk], "frequency": "daily"},
    )
    assert response.status_code == 200
    assert "Your choices are saved" in response.content.decode()
    reader.refresh_from_db()
    assert not reader.everything
    assert list(reader.themes.all()) == [neglect]
    assert list(reader.agencies.all()) == [police]
    assert reader.frequency == "daily"


def test_a_confirmation_link_made_for_another_address_is_refused(client, smtp_server):
    client.post(SUBSCRIBE, subscribe_form("victim@example.org"))
    victim = Subscription.objects.get()
    forged = signing.dumps(
        [victim.pk, _address_digest("attacker@example.org")],
        salt="learning.subscriptions.confirm",
    )
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/subscribe/confirm/{forged}/")
        assert response.status_code == 400
        assert "made for another e-mail address" in response.content.decode()
    victim.refresh_from_db()
    assert not victim.confirmed


def test_a_changed_link_is_refused_and_changes_nothing(reader, smtp_server):
    link = _last_unsubscribe_link(smtp_server, reader)
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    response = Client().post(tampered)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert Subscription.objects.filter(pk=reader.pk).exists()


@pytest.mark.parametrize("purpose", [Purpose.CONFIRM, Purpose.CHOICES])
def test_a_link_for_one_purpose_does_not_work_for_another(reader, purpose):
    token = subscription_token(subscription=reader, purpose=purpose)
    assert Client().post(f"/unsubscribe/{token}/").status_code == 400
    assert Subscription.objects.filter(pk=reader.pk).exists()


def test_a_confirmation_link_expires_after_seven_days(client, smtp_server, monkeypatch):
    client.post(SUBSCRIBE, subscribe_form("late@example.org"))
    link = smtp_server.link(smtp_server.only(to="late@example.org"), "/subscribe/confirm/")
    later = timezone.now().timestamp() + datetime.timedelta(days=8).total_seconds()
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = Client().post(link)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not Subscription.objects.get().confirmed


@pytest.mark.parametrize(
    "token", ["nonsense", "x" * 400, "WzEsImFiYyJd:1xZOLi:abc", "%00%0d%0aBcc:x"]
)
def test_made_up_links_are_refused(token):
    for path in (f"/unsubscribe/{token}/", f"/subscribe/choices/{token}/"):
        assert Client().post(path).status_code in (400, 404)


def test_a_link_to_a_subscription_that_is_gone_says_so(reader, smtp_server):
    choices = smtp_server.link(smtp_server.to("reader@example.org")[-1], "/subscribe/choices/")
    Subscription.objects.all().delete()
    response = Client().get(choices)
    assert response.status_code == 404
    assert "no longer exists" in response.content.decode()


def _last_unsubscribe_link(smtp_server, subscription: Subscription) -> str:
    message = smtp_server.to(subscription.email)[-1]
    return message["List-Unsubscribe"][1:-1]


def test_a_mail_providers_burst_of_one_click_unsubscribes_is_not_refused(
    client, smtp_server, settings
):
    readers = [subscribe_and_confirm(client, smtp_server, f"r{n}@example.org") for n in range(6)]
    links = [_last_unsubscribe_link(smtp_server, reader) for reader in readers]
    settings.PUBLIC_REQUESTS_PER_ADDRESS = 2
    provider = Client()
    statuses = [
        provider.post(
            link,
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        for link in links
    ]
    assert statuses == [200] * 6
    assert not Subscription.objects.exists()
    # The budget still holds for pages.
    assert [Client().get("/subscribe/").status_code for _ in range(3)][-1] == 429
