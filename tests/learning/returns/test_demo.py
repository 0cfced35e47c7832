"""The demo data: Baby C with returns from several teams, one held, follow-ups answered."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from learning.returns.models import DiscussionReturn
from tests.learning.baby_c import load_baby_c

pytestmark = pytest.mark.django_db


def test_the_demo_gives_baby_c_returns_and_follow_ups_once(client):
    load_baby_c()
    out = StringIO()

    call_command("load_demo_returns", stdout=out)
    call_command("load_demo_returns", stdout=out)

    returns = DiscussionReturn.objects.all()
    assert returns.count() == 6
    assert returns.filter(status=DiscussionReturn.Status.HELD).count() == 1
    assert returns.filter(follow_up_answered_at__isnull=False).count() == 2
    assert returns.filter(email__isnull=False).count() == 1  # the one not yet due
    assert mail.outbox == []  # the demo delivers nowhere
    assert "Demo returns already loaded." in out.getvalue()
    page = client.get("/reviews/baby-c/").content.decode()
    assert re.findall(r"Discussed by[^<]*", page) == ["Discussed by 5 teams in 5 agencies."]


def test_the_demo_never_touches_real_returns(client):
    from tests.factories import build_review
    from tests.learning.returns.helpers import sheet_code, valid_post

    load_baby_c()
    build_review(slug="child-q", learning_points=2, prompts=2)
    real = sheet_code(client, "child-q")
    client.post(f"/use/{real.code}/", valid_post(email="real@example.org"))
    stored = DiscussionReturn.objects.get()
    DiscussionReturn.objects.filter(pk=stored.pk).update(follow_up_due_on="2000-01-01")

    call_command("load_demo_returns", stdout=StringIO())

    stored.refresh_from_db()
    assert DiscussionReturn.objects.count() == 7
    assert stored.follow_up_claimed_at is None and stored.email == "real@example.org"


def test_the_welsh_page_shows_the_reach_of_its_english_original(client):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_returns", stdout=StringIO())

    english = client.get("/reviews/baby-c/").content.decode()
    welsh = client.get("/cy/reviews/baby-c/").content.decode()

    line = re.compile(r'<p class="sheet-links__reach">([^<]*)</p>')
    assert line.findall(english) == ["Discussed by 5 teams in 5 agencies."]
    [welsh_line] = line.findall(welsh)
    assert re.findall(r"\d+", welsh_line) == ["5", "5"]
    assert "Bu farw Babi C" in welsh  # the Welsh plain summary, first on the page
