import io

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from learning import packs
from reviews.models import LearningPoint, Review
from tests.factories import build_review, make_live

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def public_points(slug: str) -> list[LearningPoint]:
    return list(LearningPoint.objects.published().filter(review__slug=slug).order_by("position"))


def add(client, learning_point_id, **extra):
    return client.post("/session-pack/add/", {"learning_point": learning_point_id, **extra})


def pack_of(client) -> packs.Pack:
    pack, problems = packs.pack_load(client.session)
    assert problems == []
    return pack


def said(response) -> list[str]:
    """The message this request added (earlier ones wait unread: redirects aren't followed)."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1:]


def test_a_trainer_without_an_account_builds_orders_names_and_prints_a_pack():
    client = Client(enforce_csrf_checks=True)
    build_review(title="Child A", slug="child-a", learning_points=2, prompts=2)
    build_review(title="Child B", slug="child-b", learning_points=1, prompts=2)
    first, second = public_points("child-a")
    (third,) = public_points("child-b")
    page = client.get("/reviews/child-a/").content.decode()
    assert 'action="/session-pack/add/"' in page  # plain forms: no JavaScript needed
    confirm = client.get("/session-pack/add/", {"learning_point": first.pk}).content.decode()
    assert 'name="csrfmiddlewaretoken"' in confirm and first.title in confirm
    token = client.cookies["csrftoken"].value

    def post(url, **data):
        return client.post(url, {"csrfmiddlewaretoken": token, **data})

    for learning_point in (first, second, third):
        assert post("/session-pack/add/", learning_point=learning_point.pk).status_code == 302
    post("/session-pack/move/", learning_point=third.pk, direction="up")
    post("/session-pack/title/", title="  Team meeting:   babies  ")

    assert pack_of(client).ids == [first.pk, third.pk, second.pk]
    assert pack_of(client).title == "Team meeting: babies"
    sheet = client.get("/session-pack/sheet/").content.decode()
    positions = [sheet.index(f'id="learning-{lp.pk}-title"') for lp in (first, third, second)]
    assert positions == sorted(positions)
    assert "Team meeting: babies" in sheet
    assert "http://testserver/reviews/child-a/" in sheet
    assert "http://testserver/reviews/child-b/" in sheet


def test_adding_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    build_review(slug="csrf", learning_points=1)

    response = add(client, public_points("csrf")[0].pk)

    assert response.status_code == 403


def test_adding_returns_to_the_learning_point_with_a_message(client):
    build_review(slug="back", learning_points=1)
    learning_point = public_points("back")[0]

    response = add(client, learning_point.pk, next=f"/reviews/back/#learning-{learning_point.pk}")

    assert response.status_code == 302
    assert response["Location"] == f"/reviews/back/#learning-{learning_point.pk}"
    assert said(response) == [
        f"Added “{learning_point.title}” to your session pack (1 learning point)."
    ]
    follow = client.get("/reviews/back/").content.decode()
    assert "Added “" in follow  # shown on the page the trainer came back to


def test_adding_never_redirects_to_another_site(client):
    build_review(slug="redirect", learning_points=1)

    response = add(client, public_points("redirect")[0].pk, next="https://evil.example/")

    assert response["Location"] == "/session-pack/"


@pytest.mark.parametrize(
    "value", ["", "abc", "-3", "0", "1.5", "99999999999999999999999", "999999"]
)
def test_unknown_or_malformed_ids_get_a_clear_message_and_leave_the_pack_as_it_was(client, value):
    build_review(slug="kept", learning_points=1)
    add(client, public_points("kept")[0].pk)

    response = add(client, value)

    assert response.status_code == 302
    (message,) = said(response)
    assert message in (
        "That is not a learning point this portal knows.",
        "That learning point is not published, so it cannot go in a pack.",
    )
    assert len(pack_of(client)) == 1


def test_a_learning_point_of_a_draft_cannot_go_in_a_pack(client):
    draft = build_review(slug="drafted", learning_points=1, draft=True)

    response = add(client, draft.learning_points.get().pk)

    assert said(response) == ["That learning point is not published, so it cannot go in a pack."]
    assert len(pack_of(client)) == 0


def test_adding_twice_keeps_one_copy_and_the_pack_is_capped(client, monkeypatch):
    monkeypatch.setattr(packs, "MAX_LEARNING_POINTS", 2)
    build_review(slug="capped", learning_points=3)
    first, second, third = public_points("capped")

    add(client, first.pk)
    twice = add(client, first.pk)
    add(client, second.pk)
    over = add(client, third.pk)

    assert said(twice) == [f"“{first.title}” is already in your session pack."]
    assert said(over) == [
        "A session pack holds at most 2 learning points. Remove one before adding another."
    ]
    assert pack_of(client).ids == [first.pk, second.pk]


def test_a_withdrawn_learning_point_is_dropped_with_a_notice_not_an_error(client):
    build_review(slug="stays", learning_points=1)
    build_review(slug="goes", learning_points=1)
    stays, goes = public_points("stays")[0], public_points("goes")[0]
    add(client, stays.pk)
    add(client, goes.pk)

    Review.objects.filter(slug="goes").update(status=Review.Status.WITHDRAWN)

    response = client.get("/session-pack/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 learning point in your session pack is no longer published" in html
    assert "/reviews/goes/" not in html and "/reviews/stays/" in html
    assert pack_of(client).ids == [stays.pk]
    assert client.get("/session-pack/sheet/").status_code == 200
    assert client.get("/session-pack/sheet.pdf").status_code == 200
    assert "no longer published" not in client.get("/session-pack/").content.decode()


def test_a_pack_keeps_a_learning_point_when_its_review_is_published_again(client):
    review = build_review(slug="republished", learning_points=1)
    before = public_points("republished")[0]
    add(client, before.pk)

    make_live(review)  # republishing replaces the live copy's rows

    after = public_points("republished")[0]
    html = client.get("/session-pack/").content.decode()
    assert "no longer published" not in html and after.title in html
    assert pack_of(client).ids == [after.pk]


@pytest.mark.parametrize(
    "tampered",
    [
        "a string",
        {"title": "x", "items": "not a list"},
        {"title": "x", "items": [[True, "slug", "Title"]]},
        {"title": "x", "items": [["1", "slug", "Title"]]},
        {"title": "x", "items": [[1, "slug", "Title"], [1, "slug", "Title"]]},
        {"title": "x" * 500, "items": []},
        {"title": "x", "items": [[n, "s", "t"] for n in range(1, 60)]},
        {"title": "x", "items": [], "extra": 1},
        {"ids": [1, 2]},
    ],
)
def test_a_tampered_session_empties_the_pack_with_a_message_and_never_fails(client, tampered):
    session = client.session
    session[packs.SESSION_KEY] = tampered
    session.save()

    response = client.get("/session-pack/", follow=True)

    assert response.status_code == 200
    assert "could not be read, so it has been emptied" in response.content.decode()
    assert len(pack_of(client)) == 0
    assert client.get("/session-pack/sheet.pdf").status_code == 302


def test_remove_clear_and_move_past_the_ends(client):
    build_review(slug="edits", learning_points=2)
    first, second = public_points("edits")
    add(client, first.pk)
    add(client, second.pk)

    top = client.post("/session-pack/move/", {"learning_point": first.pk, "direction": "up"})
    sideways = client.post(
        "/session-pack/move/", {"learning_point": first.pk, "direction": "sideways"}
    )
    removed = client.post("/session-pack/remove/", {"learning_point": first.pk})
    not_there = client.post("/session-pack/remove/", {"learning_point": first.pk})

    assert said(top) == ["That learning point is already at the top."]
    assert said(sideways) == ["A learning point can only move up or down."]
    assert said(removed) == ["Removed a learning point from your session pack (1 learning point)."]
    assert said(not_there) == ["That learning point is not in your session pack."]
    client.post("/session-pack/clear/")
    assert len(pack_of(client)) == 0
    long_title = client.post("/session-pack/title/", {"title": "x" * 200})
    assert said(long_title) == ["The session title can be at most 120 characters."]


def test_pack_pages_are_never_stored_in_shared_caches_and_reject_get_changes(client):
    response = client.get("/session-pack/")

    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert client.get("/session-pack/remove/").status_code == 405
    assert client.get("/session-pack/clear/").status_code == 405


def test_an_empty_pack_pdf_sends_the_trainer_back_to_the_pack(client):
    response = client.get("/session-pack/sheet.pdf")

    assert response.status_code == 302 and response["Location"] == "/session-pack/"


def test_pack_pdf_has_the_learning_points_in_order_with_their_prompts(client):
    build_review(slug="pdf-pack", learning_points=3, prompts=2)
    first, second, third = public_points("pdf-pack")
    for learning_point in (third, first):
        add(client, learning_point.pk)
    client.post("/session-pack/title/", {"title": "Tuesday team meeting"})

    response = client.get("/session-pack/sheet.pdf")

    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        ).split()
    )
    assert response["Content-Disposition"] == 'attachment; filename="tuesday-team-meeting.pdf"'
    assert text.index(third.title) < text.index(first.title)
    assert second.title not in text
    for prompt in [*third.prompts.all(), *first.prompts.all()]:
        assert prompt.question in text
    assert "Tuesday team meeting" in text


def test_public_pages_with_add_buttons_set_no_cookie_so_the_page_cache_can_keep_them(client):
    review = build_review(slug="cacheable", learning_points=2)

    for url in (review.get_absolute_url(), "/themes/voice-of-the-child/"):
        response = client.get(url)
        assert 'action="/session-pack/add/"' in response.content.decode(), url
        assert not response.cookies, url
        assert "csrfmiddlewaretoken" not in response.content.decode(), url


def test_the_add_confirmation_page_names_the_learning_point_and_refuses_bad_ids(client):
    build_review(title="Child C", slug="confirm", learning_points=1)
    learning_point = public_points("confirm")[0]

    page = client.get(
        "/session-pack/add/", {"learning_point": learning_point.pk, "next": "//evil.example/"}
    )
    bad = client.get("/session-pack/add/", {"learning_point": "nope"})

    html = page.content.decode()
    assert page.status_code == 200 and "from Child C" in html
    assert 'name="next" value="/session-pack/"' in html
    assert "no-store" in page["Cache-Control"]
    assert bad.status_code == 302 and said(bad) == [
        "That is not a learning point this portal knows."
    ]
    add(client, learning_point.pk)
    again = client.get("/session-pack/add/", {"learning_point": learning_point.pk})
    assert "already in your session pack" in again.content.decode()
