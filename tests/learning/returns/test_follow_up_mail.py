"""The follow-up as it arrives: through a real SMTP server (tests/smtp.py), read back from
what arrived, its link followed."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from learning.returns import codes, services
from reviews.models import Review
from tests.factories import build_review
from tests.learning.returns.test_services import submit

pytestmark = pytest.mark.django_db


def return_due_for_follow_up(slug: str, **changes):
    """A return sent 91 days ago, from a sheet printed 200 days ago."""
    build_review(slug=slug, learning_points=1, prompts=1)
    live = Review.objects.published().get(slug=slug)
    use_code = codes.review_use_code(
        review=live,
        kind="discussion-sheet",
        learning_points=list(live.learning_points.prefetch_related("prompts")),
        printed_at=timezone.now() - datetime.timedelta(days=200),
    )
    return submit(use_code, now=timezone.now() - datetime.timedelta(days=91), **changes)


@pytest.fixture
def due_return():
    return return_due_for_follow_up(
        "child-m", email="lead@example.org", team_name="Team\r\nBcc: victim@example.org"
    )


def test_the_follow_up_arrives_once_with_text_and_html_and_its_link_takes_the_answer(
    client, smtp_server, due_return
):
    services.follow_up_send_due()
    services.follow_up_send_due()

    messages = smtp_server.to("lead@example.org")
    assert len(messages) == 1
    message = messages[0]
    assert smtp_server.text(message) and smtp_server.html(message)
    # The team's name is the visitor's words: never a header, so never a new recipient.
    assert smtp_server.to("victim@example.org") == []
    assert "victim" not in str(message["Bcc"] or "") + str(message["To"])

    path = urlsplit(smtp_server.link(message, "/use/follow-up/")).path
    assert client.get(path).status_code == 200
    answer = client.post(path, {"practice_changed": "yes", "barriers": ""})

    assert answer.status_code == 200
    due_return.refresh_from_db()
    assert due_return.practice_changed == "yes"
    assert client.post(path, {"practice_changed": "no"}).status_code == 410


def test_a_return_made_in_welsh_is_followed_up_in_welsh_and_its_link_opens_in_welsh(
    client, smtp_server
):
    return_due_for_follow_up("child-w", email="arweinydd@example.org", language="cy")
    english_subject = "Did your team's discussion change what you do?"
    with translation.override("cy"):
        welsh_subject = gettext(english_subject)
    assert welsh_subject != english_subject  # the catalogue has it

    services.follow_up_send_due()

    message = smtp_server.only(to="arweinydd@example.org")
    assert message["Subject"] == welsh_subject
    assert '<html lang="cy">' in smtp_server.html(message)
    path = urlsplit(smtp_server.link(message, "/use/follow-up/")).path
    assert path.startswith("/cy/use/follow-up/")
    page = client.get(path)
    assert page.status_code == 200
    assert '<html lang="cy">' in page.content.decode()
