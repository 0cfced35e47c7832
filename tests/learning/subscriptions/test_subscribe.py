"""/subscribe/ and its confirmation: double opt-in, read from the mail that really arrived."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext

from learning.subscriptions.digests import digests_send
from learning.subscriptions.models import Subscription
from reviews.models import Theme
from tests.learning.subscriptions.helpers import (
    SUBSCRIBE,
    public_review,
    subscribe_and_confirm,
    subscribe_form,
)

pytestmark = pytest.mark.django_db


def test_the_subscribe_page_has_a_labelled_form_with_fieldsets(client):
    response = client.get(SUBSCRIBE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="form-group__label" for="id_email">' in html
    assert html.count("<fieldset") == 4
    assert 'name="csrfmiddlewaretoken"' in html
    assert "no-store" in response.headers["Cache-Control"]


def test_subscribing_sends_one_confirmation_and_nothing_else_until_it_is_followed(
    client, smtp_server
):
    response = client.post(SUBSCRIBE, subscribe_form("Reader@Example.org"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/subscribe/check-your-email/"

    message = smtp_server.only(to="reader@example.org")
    assert message["To"] == "reader@example.org"
    assert "Confirm" in message["Subject"]
    subscription = Subscription.objects.get(email="reader@example.org")
    assert not subscription.confirmed

    public_review(title="Baby Q")
    report = digests_send()
    assert report.due == 0
    assert len(smtp_server.to("reader@example.org")) == 1


def test_following_the_confirmation_link_asks_first_and_confirms_on_the_button(client, smtp_server):
    client.post(SUBSCRIBE, subscribe_form("reader@example.org"))
    link = smtp_server.link(smtp_server.only(to="reader@example.org"), "/subscribe/confirm/")

    page = Client().get(link)
    assert page.status_code == 200
    assert "Confirm my subscription" in page.content.decode()
    assert not Subscription.objects.get().confirmed

    done = Client().post(link)
    assert done.status_code == 200
    assert "You are subscribed" in done.content.decode()
    assert Subscription.objects.get().confirmed


def test_a_confirmed_reader_gets_what_is_published_after_confirming(client, smtp_server):
    public_review(title="Before")
    subscribe_and_confirm(client, smtp_server, "reader@example.org")
    public_review(title="After")
    smtp_server.clear()

    assert digests_send().sent == 1
    digest = smtp_server.only(to="reader@example.org")
    text = smtp_server.text(digest)
    assert "After" in text
    assert "Before" not in text


def test_asking_again_for_any_address_shows_the_same_page_and_tells_nothing(client, smtp_server):
    subscribe_and_confirm(client, smtp_server, "known@example.org")
    smtp_server.clear()
    known = client.post(SUBSCRIBE, subscribe_form("known@example.org"), follow=True)
    unknown = client.post(SUBSCRIBE, subscribe_form("unknown@example.org"), follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    # The owner of the subscribed address hears of it, with the link to change choices,
    # and their choices are unchanged by whoever asked.
    reminder = smtp_server.only(to="known@example.org")
    assert "already subscribed" in reminder["Subject"]
    assert smtp_server.link(reminder, "/subscribe/choices/")


def test_asking_again_for_a_subscribed_address_does_not_change_its_choices(client, smtp_server):
    subscribe_and_confirm(client, smtp_server, "known@example.org")
    neglect = Theme.objects.get(slug="neglect")
    client.post(SUBSCRIBE, subscribe_form("known@example.org", themes=[neglect]))
    subscription = Subscription.objects.get(email="known@example.org")
    assert subscription.everything
    assert not subscription.themes.exists()


def test_one_address_gets_at_most_a_few_messages_however_often_it_is_asked_for(
    client, smtp_server, settings
):
    settings.SUBSCRIBE_MESSAGES_PER_EMAIL = 2
    pages = [
        client.post(SUBSCRIBE, subscribe_form("flooded@example.org"), follow=True) for _ in range(5)
    ]
    assert {page.content for page in pages} == {pages[0].content}
    assert len(smtp_server.to("flooded@example.org")) == 2


def test_one_visitor_address_may_ask_only_so_often(client, smtp_server, settings):
    settings.SUBSCRIBE_REQUESTS_PER_ADDRESS = 3
    statuses = [
        client.post(SUBSCRIBE, subscribe_form(f"person{n}@example.org")).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Subscription.objects.count() == 3
    assert len(smtp_server.messages) == 3


def test_the_honeypot_answers_as_ever_and_stores_and_sends_nothing(client, smtp_server):
    response = client.post(
        SUBSCRIBE, subscribe_form("bot@example.org", website="http://spam.example")
    )
    assert response.status_code == 302
    assert not Subscription.objects.exists()
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    "address",
    [
        "not an address",
        "a" * 250 + "@example.org",
        "reader@example.org\r\nBcc: victim@example.org",
        "reader@example.org\nSubject: hi",
        "Reader <reader@example.org>",
        "reader@example.org, other@example.org",
        "",
    ],
)
def test_an_address_that_is_not_one_plain_address_is_refused_with_a_message(
    client, smtp_server, address
):
    response = client.post(SUBSCRIBE, subscribe_form(address))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_email"' in html
    assert not Subscription.objects.exists()
    assert smtp_server.messages == []


def test_choosing_some_reviews_but_none_of_them_is_refused(client, smtp_server):
    response = client.post(SUBSCRIBE, {**subscribe_form("reader@example.org"), "scope": "chosen"})
    assert response.status_code == 400
    assert "Choose at least one theme or agency" in response.content.decode()
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "field,value", [("themes", "999999"), ("themes", "x" * 5000), ("frequency", "hourly")]
)
def test_choices_that_do_not_exist_are_refused(client, smtp_server, field, value):
    data = {**subscribe_form("reader@example.org"), "scope": "chosen", field: value}
    assert client.post(SUBSCRIBE, data).status_code == 400
    assert not Subscription.objects.exists()


def test_the_form_needs_its_csrf_token(smtp_server):
    response = Client(enforce_csrf_checks=True).post(
        SUBSCRIBE, subscribe_form("reader@example.org")
    )
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_the_pages_are_never_stored_by_the_public_page_cache(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    first = client.get(SUBSCRIBE)
    second = Client().get(SUBSCRIBE)
    assert "X-Cache" not in first.headers
    assert "X-Cache" not in second.headers
    assert "no-store" in second.headers["Cache-Control"]


def test_the_subscribers_language_is_kept_for_later_welsh_mail(client, smtp_server):
    client.post(SUBSCRIBE, subscribe_form("reader@example.org"))
    assert Subscription.objects.get().language == "en"


def test_a_confirmation_link_followed_again_says_there_is_nothing_more_to_do(client, smtp_server):
    subscribe_and_confirm(client, smtp_server, "reader@example.org")
    link = smtp_server.link(smtp_server.only(to="reader@example.org"), "/subscribe/confirm/")
    page = Client().get(link)
    assert "already confirmed" in page.content.decode()
    confirmed_at = Subscription.objects.get().confirmed_at
    Client().post(link)
    assert Subscription.objects.get().confirmed_at == confirmed_at


def test_subscribing_on_the_welsh_page_brings_welsh_messages_with_welsh_links(client, smtp_server):
    english = "Confirm your subscription to new case reviews"
    with translation.override("cy"):
        welsh_confirm = gettext(english)
        welsh_digest = ngettext(
            "A new or updated case review", "%(count)d new or updated case reviews", 1
        )
    assert welsh_confirm != english  # the catalogue has them

    assert (
        client.post("/cy" + SUBSCRIBE, subscribe_form("darllenydd@example.org")).status_code == 302
    )
    confirmation = smtp_server.only(to="darllenydd@example.org")
    assert confirmation["Subject"] == welsh_confirm
    link = smtp_server.link(confirmation, "/subscribe/confirm/")
    assert urlsplit(link).path.startswith("/cy/subscribe/confirm/")
    assert Client().post(link).status_code == 200

    review = public_review(title="Baby Q")
    assert digests_send().sent == 1

    [_, digest] = smtp_server.to("darllenydd@example.org")
    assert digest["Subject"] == welsh_digest
    html, text = smtp_server.html(digest), smtp_server.text(digest)
    assert '<html lang="cy">' in html
    assert f"http://127.0.0.1:8000/cy/reviews/{review.slug}/" in text
    assert "http://127.0.0.1:8000/cy/privacy/" in text
    assert "/cy/unsubscribe/" in digest["List-Unsubscribe"]
