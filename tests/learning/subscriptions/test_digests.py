"""The digest: only what is public at sending time, matching each reader's choices, each
review version once per reader even when runs repeat, overlap or crash half-way. Every
message is read from the SMTP server that received it."""

import datetime
import re
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from learning.subscriptions.digests import digests_send
from learning.subscriptions.models import DigestDelivery, Subscription
from reviews.models import Agency, Review, Theme
from reviews.publishing import services
from tests.factories import make_live
from tests.learning.subscriptions.helpers import public_review, subscribed
from tests.reviews.workflow_helpers import published, ready

pytestmark = pytest.mark.django_db


class Clock:
    """timezone.now(), moved on by the test: a day passes in a line."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


def titles_in(smtp_server, message) -> list[str]:
    """The reviews a digest announces, from its HTML headings."""
    return re.findall(
        r"<h2[^>]*><a href=\"[^\"]+\"[^>]*>([^<]+)</a></h2>", smtp_server.html(message)
    )


def announced(smtp_server, email: str) -> list[str]:
    return sorted(
        title for message in smtp_server.to(email) for title in titles_in(smtp_server, message)
    )


def make_due(*subscriptions: Subscription) -> None:
    """As if the scheduler came back a week later."""
    Subscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(
        last_checked_at=timezone.now() - datetime.timedelta(days=8)
    )


def test_a_digest_is_plain_text_and_accessible_html_with_its_links(smtp_server):
    subscribed("reader@example.org")
    review = public_review(title="Baby Q")
    assert digests_send().sent == 1

    message = smtp_server.only(to="reader@example.org")
    assert message["From"] == "portal@localhost"
    assert message["Subject"] == "A new or updated case review"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text, html = smtp_server.text(message), smtp_server.html(message)
    review_url = f"http://127.0.0.1:8000/reviews/{review.slug}/"
    assert review_url in text and "Baby Q" in text
    assert '<html lang="en">' in html
    assert "<h1" in html and titles_in(smtp_server, message) == ["Baby Q"]
    assert f'<a href="{review_url}"' in html
    assert "<img" not in html and "<table" not in html
    # Every link has words a screen reader can read out.
    assert not re.search(r"<a [^>]*>\s*</a>", html)
    # And the review link that arrived is the public page.
    assert Client().get(review_url.removeprefix("http://127.0.0.1:8000")).status_code == 200


def test_only_reviews_matching_a_readers_themes_or_agencies_are_announced(smtp_server):
    neglect, voice = Theme.objects.get(slug="neglect"), Theme.objects.get(slug="voice-of-the-child")
    police = Agency.objects.create(name="Police")
    subscribed("all@example.org")
    subscribed("neglect@example.org", themes=[neglect])
    subscribed("police@example.org", agencies=[police])
    subscribed("either@example.org", themes=[voice], agencies=[police])
    public_review(title="Alpha", themes=["neglect"])
    public_review(title="Bravo", themes=["information-sharing"], agencies=["Police"])
    public_review(title="Charlie", themes=["voice-of-the-child"], agencies=["GP"])
    public_review(title="Delta", themes=["information-sharing"], agencies=["GP"])

    assert digests_send().sent == 4
    assert announced(smtp_server, "all@example.org") == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert announced(smtp_server, "neglect@example.org") == ["Alpha"]
    assert announced(smtp_server, "police@example.org") == ["Bravo"]
    assert announced(smtp_server, "either@example.org") == ["Bravo", "Charlie"]


def test_a_reader_with_nothing_matching_gets_no_message(smtp_server):
    subscribed("neglect@example.org", themes=[Theme.objects.get(slug="neglect")])
    public_review(title="Alpha", themes=["education"])
    report = digests_send()
    assert (report.sent, report.nothing_new) == (0, 1)
    assert smtp_server.messages == []


def test_a_withdrawn_review_is_never_announced(smtp_server, editor, publisher):
    subscribed("reader@example.org")
    review = published(by=editor, publisher=publisher, title="Withdrawn one", slug="withdrawn-one")
    services.review_withdraw(review=review, user=publisher, reason="Family asked")
    public_review(title="Still public")

    digests_send()
    assert announced(smtp_server, "reader@example.org") == ["Still public"]


def test_a_scheduled_review_is_announced_only_after_it_goes_live(
    smtp_server, editor, publisher, clock
):
    reader = subscribed("reader@example.org", frequency="daily")
    review = ready(by=editor, title="Scheduled one", slug="scheduled-one")
    services.review_publish(
        review=review, user=publisher, go_live_at=clock.now + datetime.timedelta(hours=3)
    )
    assert digests_send().nothing_new == 1
    assert smtp_server.messages == []

    clock.advance(hours=2)  # still before go-live; not due either
    assert digests_send().due == 0
    make_due(reader)
    assert digests_send().nothing_new == 1

    clock.advance(days=1)
    assert digests_send().sent == 1
    assert announced(smtp_server, "reader@example.org") == ["Scheduled one"]


def test_a_review_that_expired_before_sending_is_not_announced(smtp_server):
    subscribed("reader@example.org")
    review = public_review(title="Expiring")
    Review.objects.filter(working_copy=review).update(
        keep_published_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    digests_send()
    assert smtp_server.messages == []


def test_running_again_sends_nothing_twice(smtp_server):
    readers = [subscribed(f"reader{n}@example.org") for n in range(3)]
    public_review(title="Alpha")
    public_review(title="Bravo")
    assert digests_send().sent == 3
    assert digests_send().due == 0  # nobody is due again the same day
    make_due(*readers)
    report = digests_send()
    assert (report.due, report.sent, report.nothing_new) == (3, 0, 3)
    for reader in readers:
        assert announced(smtp_server, reader.email) == ["Alpha", "Bravo"]
        assert len(smtp_server.to(reader.email)) == 1


def test_an_updated_review_is_announced_again_as_updated(smtp_server, clock):
    reader = subscribed("reader@example.org")
    review = public_review(title="Alpha")
    digests_send()
    clock.advance(days=8)
    make_live(review)  # published again with changes
    digests_send()
    first, second = smtp_server.to("reader@example.org")
    assert "Published on" in smtp_server.text(first)
    assert "Updated on" in smtp_server.text(second)
    assert DigestDelivery.objects.filter(subscription=reader).count() == 2


def test_a_crash_half_way_neither_repeats_nor_skips_anything(smtp_server, clock):
    readers = [subscribed(f"reader{n}@example.org") for n in range(6)]
    public_review(title="Alpha")
    public_review(title="Bravo")

    smtp_server.fail_after(2)  # the mail server goes down after two messages
    with pytest.raises(CommandError, match="could not be sent"):
        call_command("send_digests")
    assert len(smtp_server.messages) == 2
    assert DigestDelivery.objects.count() == 2 * 2  # only what was really sent is claimed

    # Something is published while the server is down; then it recovers and the
    # scheduler runs again (twice, for good measure).
    public_review(title="Charlie")
    smtp_server.recover()
    call_command("send_digests")
    call_command("send_digests")
    clock.advance(days=7)
    call_command("send_digests")

    for reader in readers:
        assert announced(smtp_server, reader.email) == ["Alpha", "Bravo", "Charlie"], reader
    # Those who got the first two before the crash got Charlie a week later, on its own.
    assert sorted(len(smtp_server.to(reader.email)) for reader in readers) == [1, 1, 1, 1, 2, 2]


def test_weekly_readers_hear_once_a_week_and_daily_ones_each_day(smtp_server, clock):
    subscribed("daily@example.org", frequency="daily")
    subscribed("weekly@example.org", frequency="weekly")
    public_review(title="Monday")
    digests_send()
    clock.advance(days=1)
    public_review(title="Tuesday")
    digests_send()
    assert len(smtp_server.to("daily@example.org")) == 2
    assert len(smtp_server.to("weekly@example.org")) == 1
    clock.advance(days=6)
    call_command("send_digests", frequency="daily")
    assert len(smtp_server.to("weekly@example.org")) == 1
    call_command("send_digests", frequency="weekly")
    assert announced(smtp_server, "weekly@example.org") == ["Monday", "Tuesday"]
    assert announced(smtp_server, "daily@example.org") == ["Monday", "Tuesday"]


def test_unconfirmed_subscriptions_are_deleted_after_seven_days(clock):
    Subscription.objects.create(email="old@example.org", requested_at=clock.now)
    Subscription.objects.create(email="kept@example.org", requested_at=clock.now)
    subscribed("confirmed@example.org")
    clock.advance(days=3)
    Subscription.objects.filter(email="kept@example.org").update(requested_at=clock.now)
    clock.advance(days=5)
    call_command("expire_subscriptions")
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "confirmed@example.org",
        "kept@example.org",
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_review_once(smtp_server):
    readers = [subscribed(f"reader{n}@example.org") for n in range(8)]
    public_review(title="Alpha")
    reports = []

    def run():
        try:
            reports.append(digests_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.sent for report in reports) == 8
    for reader in readers:
        assert len(smtp_server.to(reader.email)) == 1


def test_a_review_title_with_header_lines_in_it_stays_in_the_body(smtp_server):
    subscribed("reader@example.org")
    review = public_review(title="Baby Q")
    Review.objects.filter(working_copy=review).update(
        title="Baby Q\r\nBcc: victim@example.org\r\nSubject: forged"
    )
    assert digests_send().sent == 1
    [arrived] = smtp_server.received
    assert arrived.rcpt_tos == ["reader@example.org"]
    message = arrived.message
    assert message["Bcc"] is None
    assert message["Subject"] == "A new or updated case review"
    assert message["To"] == "reader@example.org"


def test_a_long_digest_lists_the_newest_and_counts_the_rest_which_are_not_sent_again(
    smtp_server, monkeypatch
):
    monkeypatch.setattr("learning.subscriptions.emails.MAX_LISTED", 2)
    reader = subscribed("reader@example.org")
    for title in ("Alpha", "Bravo", "Charlie"):
        public_review(title=title)
    digests_send()
    message = smtp_server.only(to="reader@example.org")
    assert message["Subject"] == "3 new or updated case reviews"
    assert len(titles_in(smtp_server, message)) == 2
    assert "And 1 more new or updated review: http://127.0.0.1:8000/reviews/" in (
        smtp_server.text(message)
    )
    make_due(reader)
    assert digests_send().nothing_new == 1


def test_send_digests_deletes_expired_unconfirmed_addresses_first(clock):
    Subscription.objects.create(email="never@example.org", requested_at=clock.now)
    clock.advance(days=7, minutes=1)
    call_command("send_digests")
    assert not Subscription.objects.exists()
