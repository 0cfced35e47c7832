"""The one follow-up 90 days on: sent once whatever happens, a single-use signed link, and
addresses deleted when their job is done."""

import datetime
import smtplib
import time
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from learning.returns import codes, follow_ups, services
from learning.returns.models import DiscussionReturn
from reviews.models import Review
from tests.factories import build_review
from tests.learning.returns.test_services import submit

pytestmark = pytest.mark.django_db
Status = DiscussionReturn.Status
DAYS = datetime.timedelta(days=1)


@pytest.fixture
def use_code():
    """A sheet printed 400 days ago, so returns can be backdated."""
    build_review(slug="child-q", learning_points=2, prompts=2)
    live = Review.objects.published().get(slug="child-q")
    return codes.review_use_code(
        review=live,
        kind="discussion-sheet",
        learning_points=list(live.learning_points.prefetch_related("prompts")),
        printed_at=timezone.now() - 400 * DAYS,
    )


def returned(use_code, *, days_ago: int, email: str | None = "lead@example.org", **changes):
    now = timezone.now() - days_ago * DAYS
    return submit(use_code, now=now, email=email, **changes)


def test_a_follow_up_goes_90_days_after_a_return_with_an_email_and_only_then(use_code):
    due = returned(use_code, days_ago=90, email="due@example.org")
    returned(use_code, days_ago=89, email="early@example.org")
    returned(use_code, days_ago=200, email=None)

    run = services.follow_up_send_due()

    assert run.sent == 1
    assert [message.to for message in mail.outbox] == [["due@example.org"]]
    due.refresh_from_db()
    assert due.follow_up_sent_at is not None and due.follow_up_claimed_at is not None


def test_a_second_run_sends_nothing_again(use_code):
    returned(use_code, days_ago=100)
    services.follow_up_send_due()

    assert services.follow_up_send_due().sent == 0
    assert len(mail.outbox) == 1


def test_a_rejected_return_gets_no_follow_up(use_code, superuser):
    rejected = returned(use_code, days_ago=100)
    services.return_reject(discussion_return=rejected, user=superuser)

    assert services.follow_up_send_due().sent == 0
    assert mail.outbox == []


def test_a_crash_after_sending_never_sends_that_follow_up_twice(use_code, monkeypatch):
    first = returned(use_code, days_ago=120, email="first@example.org")
    returned(use_code, days_ago=100, email="second@example.org")
    real_mark = services._mark_sent

    def crash(discussion_return, now):
        raise KeyboardInterrupt("the process is killed between sending and marking")

    monkeypatch.setattr(services, "_mark_sent", crash)
    with pytest.raises(KeyboardInterrupt):
        services.follow_up_send_due()
    monkeypatch.setattr(services, "_mark_sent", real_mark)
    services.follow_up_send_due()
    services.follow_up_send_due()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "first@example.org",
        "second@example.org",
    ]
    first.refresh_from_db()
    assert first.follow_up_claimed_at is not None and first.follow_up_sent_at is None


def test_a_crash_before_sending_leaves_the_claim_so_it_is_not_sent_later(use_code, monkeypatch):
    claimed = returned(use_code, days_ago=100)

    def crash(discussion_return, *, email):
        raise SystemExit("killed after the claim, before the message")

    monkeypatch.setattr(services, "follow_up_message", crash)
    with pytest.raises(SystemExit):
        services.follow_up_send_due()
    monkeypatch.undo()
    services.follow_up_send_due()

    # At most once: a claim that may have been sent is never sent again.
    assert mail.outbox == []
    claimed.refresh_from_db()
    assert claimed.follow_up_claimed_at is not None


def test_a_refusing_mail_server_stops_the_run_and_the_follow_up_waits_for_the_next(
    use_code, monkeypatch
):
    waiting = returned(use_code, days_ago=100)
    returned(use_code, days_ago=95)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    run = services.follow_up_send_due()
    monkeypatch.undo()

    assert (run.sent, run.failed) == (0, 1)
    waiting.refresh_from_db()
    assert waiting.follow_up_claimed_at is None
    assert services.follow_up_send_due().sent == 2


def test_the_message_has_text_and_html_a_fixed_subject_and_no_team_name_in_headers(use_code):
    returned(use_code, days_ago=100, team_name="Team Bcc: victim@example.org")

    services.follow_up_send_due()

    message = mail.outbox[0]
    headers = str(message.message()).split("\n\n", 1)[0]
    assert message.subject == "Did your team's discussion change what you do?"
    assert "victim" not in headers and message.bcc == [] and message.cc == []
    assert message.to == ["lead@example.org"]
    assert "/use/follow-up/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and '<a href="http://127.0.0.1:8000/use/follow-up/' in html


def test_a_held_return_s_text_is_not_repeated_in_the_message(use_code):
    returned(use_code, days_ago=100, different="Ring the mother on 07700 900123.")

    services.follow_up_send_due()

    assert "07700" not in mail.outbox[0].body


def link(discussion_return) -> str:
    return follow_ups.follow_up_url(discussion_return).removeprefix("http://127.0.0.1:8000")


def test_the_link_takes_one_answer_which_joins_the_return(client, use_code):
    answered = returned(use_code, days_ago=100)

    form = client.get(link(answered))
    response = client.post(
        link(answered), {"practice_changed": "partly", "barriers": "Locum cover."}
    )

    assert form.status_code == 200 and "Did the discussion change" in form.content.decode()
    assert response.status_code == 200
    answered.refresh_from_db()
    assert answered.practice_changed == "partly"
    assert answered.follow_up_barriers == "Locum cover."
    assert answered.follow_up_barriers_status == Status.VISIBLE
    assert answered.follow_up_answered_at is not None


def test_a_used_link_says_so_and_changes_nothing(client, use_code):
    answered = returned(use_code, days_ago=100)
    client.post(link(answered), {"practice_changed": "yes"})

    again = client.get(link(answered))
    second = client.post(link(answered), {"practice_changed": "no"})

    assert again.status_code == 410 and "already answered" in again.content.decode()
    assert second.status_code == 410
    answered.refresh_from_db()
    assert answered.practice_changed == "yes"


def test_an_expired_link_says_so(client, use_code, monkeypatch):
    old = returned(use_code, days_ago=200)
    made_at = time.time() - 61 * 24 * 60 * 60
    monkeypatch.setattr(signing.time, "time", lambda: made_at)
    stale = link(old)
    monkeypatch.undo()

    response = client.get(stale)

    assert response.status_code == 410 and "expired" in response.content.decode()
    assert client.post(stale, {"practice_changed": "yes"}).status_code == 410
    old.refresh_from_db()
    assert old.practice_changed is None


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.dumps({"r": 1}, salt="another-salt"),
        lambda token: "not-a-token",
        lambda token: "x" * 500,
    ],
    ids=["changed", "other-salt", "garbage", "long"],
)
def test_a_tampered_link_is_refused_clearly(client, use_code, forge):
    target = returned(use_code, days_ago=100)
    token = follow_ups.follow_up_token(target)

    response = client.get(f"/use/follow-up/{forge(token)}/")
    posted = client.post(f"/use/follow-up/{forge(token)}/", {"practice_changed": "yes"})

    assert response.status_code == 404 and "does not work" in response.content.decode()
    assert posted.status_code == 404
    target.refresh_from_db()
    assert target.practice_changed is None


def test_an_answer_needs_a_choice_and_keeps_to_the_cap(client, use_code):
    target = returned(use_code, days_ago=100)

    missing = client.post(link(target), {"barriers": "Nothing"})
    too_long = client.post(link(target), {"practice_changed": "yes", "barriers": "x" * 2001})

    assert missing.status_code == 400 and too_long.status_code == 400
    assert 'class="error-summary"' in missing.content.decode()
    target.refresh_from_db()
    assert target.follow_up_answered_at is None


def test_flagged_barriers_are_held_and_released_by_staff(client, use_code, superuser):
    target = returned(use_code, days_ago=100)

    client.post(link(target), {"practice_changed": "no", "barriers": "Call 07700 900123."})
    target.refresh_from_db()
    assert target.status == Status.VISIBLE
    assert target.follow_up_barriers_status == Status.HELD

    services.return_release(discussion_return=target, user=superuser)
    target.refresh_from_db()
    assert target.follow_up_barriers_status == Status.VISIBLE


def test_addresses_go_after_the_follow_up_or_after_a_year_whichever_is_first(use_code):
    followed_up = returned(use_code, days_ago=100, email="sent@example.org")
    services.follow_up_send_due()
    year_old = returned(use_code, days_ago=366, email="old@example.org")
    DiscussionReturn.objects.filter(pk=year_old.pk).update(follow_up_due_on=None)  # never due
    recent = returned(use_code, days_ago=30, email="recent@example.org")

    deleted = services.addresses_expire()

    assert deleted == 2
    for discussion_return, kept in ((followed_up, False), (year_old, False), (recent, True)):
        discussion_return.refresh_from_db()
        assert (discussion_return.email is not None) is kept
        assert (discussion_return.email_deleted_at is None) is kept


def test_a_claim_a_day_old_that_never_sent_loses_its_address(use_code):
    stuck = returned(use_code, days_ago=100)
    DiscussionReturn.objects.filter(pk=stuck.pk).update(
        follow_up_claimed_at=timezone.now() - 2 * DAYS
    )

    assert services.addresses_expire() == 1


def test_the_commands_send_and_expire(use_code):
    returned(use_code, days_ago=100)
    out = StringIO()

    call_command("send_follow_ups", stdout=out)
    call_command("expire_return_addresses", stdout=out)

    assert "Sent 1 follow-up." in out.getvalue()
    assert "Deleted 1 e-mail address." in out.getvalue()
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_follow_up_once(use_code):
    import threading

    from django.db import connection

    for number in range(6):
        returned(use_code, days_ago=100, email=f"team{number}@example.org")
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            services.follow_up_send_due()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    sent = sorted(message.to[0] for message in mail.outbox)
    assert sent == sorted(f"team{number}@example.org" for number in range(6))
