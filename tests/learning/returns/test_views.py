"""/use/: the return form from a printed sheet, for anyone with the code."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from learning.returns.models import MAX_DIFFERENT_LENGTH, DiscussionReturn, UseCode
from learning.returns.services import DATE_MARGIN_DAYS
from portal.middleware import PublicPageCacheMiddleware
from tests.factories import build_review
from tests.learning.returns.helpers import sheet_code, valid_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def use_code(client) -> UseCode:
    build_review(slug="child-q", learning_points=2, prompts=2)
    return sheet_code(client, "child-q")


def url(use_code: UseCode) -> str:
    return f"/use/{use_code.code}/"


def test_the_form_shows_what_was_printed_its_prompts_and_what_is_stored(client, use_code):
    response = client.get(url(use_code))

    html = response.content.decode()
    assert response.status_code == 200
    assert use_code.snapshot["title"] in html and use_code.display_code in html
    assert html.count('name="prompts_discussed"') == 4
    assert 'value="2.2"' in html
    assert "Please do not write the names of children, families" in html
    assert "12 months" in html and 'href="/privacy/#discussion-returns"' in html
    assert "<fieldset" in html and "<legend>Their roles</legend>" in html


def test_a_valid_return_is_stored_and_thanked(client, use_code):
    response = client.post(url(use_code), valid_post(email="lead@example.org"))

    assert response.status_code == 302
    assert response["Location"] == f"/use/{use_code.code}/thanks/"
    stored = DiscussionReturn.objects.get()
    assert stored.use_code == use_code and stored.review_id == use_code.review_id
    assert stored.team_name == "Earlsdon GP practice"
    assert stored.participants == 7
    assert stored.roles == ["gp", "nurse"]
    assert stored.prompts_discussed == ["1.1", "2.2"]
    assert stored.email == "lead@example.org"
    assert stored.status == DiscussionReturn.Status.VISIBLE
    assert stored.follow_up_due_on == timezone.localdate() + datetime.timedelta(days=90)
    assert client.get(response["Location"]).status_code == 200


def test_a_return_without_an_email_has_no_follow_up(client, use_code):
    client.post(url(use_code), valid_post())

    assert DiscussionReturn.objects.get().follow_up_due_on is None


def test_another_agency_is_named_in_text(client, use_code):
    client.post(url(use_code), valid_post(agency="other", agency_other="Family  hubs "))

    stored = DiscussionReturn.objects.get()
    assert stored.agency is None and stored.agency_other == "Family hubs"


def today_plus(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


BAD_FIELDS = [
    ("discussed_on", today_plus(1), "cannot be in the future"),
    ("discussed_on", today_plus(-DATE_MARGIN_DAYS - 2), "before this sheet was printed"),
    ("discussed_on", "31/02/2026", "Enter a valid date"),
    ("discussed_on", "", "This field is required"),
    ("team_name", "", "This field is required"),
    ("team_name", "T" * 121, "at most 120 characters"),
    ("agency", "", "This field is required"),
    ("agency", "no-such-agency", "Select a valid choice"),
    ("agency_other", "A" * 121, "at most 120 characters"),
    ("participants", "0", "greater than or equal to 1"),
    ("participants", "501", "less than or equal to 500"),
    ("participants", "many", "Enter a whole number"),
    ("participants", "3.5", "Enter a whole number"),
    ("roles", ["wizard"], "Select a valid choice"),
    ("prompts_discussed", ["9.9"], "Select a valid choice"),
    ("different", "", "This field is required"),
    ("different", "x" * (MAX_DIFFERENT_LENGTH + 1), "at most 2000 characters"),
    ("email", "not-an-address", "Enter a valid email address"),
    ("email", "a@b.c\r\nBcc: victim@example.org", "Enter a valid email address"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_FIELDS)
def test_a_bad_field_is_explained_and_nothing_is_stored(client, use_code, field, value, message):
    response = client.post(url(use_code), valid_post(**{field: value}))

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'class="error-summary"' in html and f'href="#id_{field}' in html
    assert "<title>Error:" in html
    assert not DiscussionReturn.objects.exists()


def test_other_agency_without_a_name_is_refused(client, use_code):
    response = client.post(url(use_code), valid_post(agency="other", agency_other=" "))

    assert response.status_code == 400
    assert "Give your agency&#x27;s name" in response.content.decode()
    assert not DiscussionReturn.objects.exists()


def test_a_field_given_twice_or_as_a_list_does_not_crash_the_form(client, use_code):
    data = valid_post()
    data["participants"] = ["3", "4"]
    response = client.post(url(use_code), data)

    assert response.status_code in (302, 400)


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_in_every_field_is_stored_as_text_and_shown_escaped(client, use_code, superuser):
    client.post(
        url(use_code),
        valid_post(
            team_name=f"Team {SCRIPT}"[:120],
            agency="other",
            agency_other=SCRIPT[:120],
            different=f"We will {SCRIPT}",
        ),
    )
    stored = DiscussionReturn.objects.get()
    staff = Client()
    staff.force_login(superuser)

    assert stored.team_name == f"Team {SCRIPT}"[:120]
    assert stored.different == f"We will {SCRIPT}"
    pages = [
        staff.get("/admin/learning/discussionreturn/").content.decode(),
        staff.get(f"/admin/learning/discussionreturn/{stored.pk}/change/").content.decode(),
        client.get("/reviews/child-q/").content.decode(),
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert" in pages[1]


def test_a_filled_honeypot_looks_like_success_but_stores_nothing(client, use_code):
    response = client.post(url(use_code), valid_post(website="http://spam.example"))

    assert response.status_code == 302
    assert not DiscussionReturn.objects.exists()


def test_a_flood_from_one_address_is_stopped(client, use_code, settings):
    settings.RETURNS_PER_ADDRESS = 2

    statuses = [client.post(url(use_code), valid_post()).status_code for _ in range(4)]

    assert statuses == [302, 302, 429, 429]
    assert DiscussionReturn.objects.count() == 2


def test_invalid_posts_count_against_the_address_too(client, use_code, settings):
    settings.RETURNS_PER_ADDRESS = 1
    client.post(url(use_code), valid_post(team_name=""))

    assert client.post(url(use_code), valid_post()).status_code == 429
    assert not DiscussionReturn.objects.exists()


def test_a_body_over_the_cap_is_refused_unread(client, use_code):
    response = client.post(url(use_code), valid_post(different="x" * 40_000))

    assert response.status_code == 413
    assert not DiscussionReturn.objects.exists()


def test_posting_without_a_csrf_token_is_refused(use_code):
    response = Client(enforce_csrf_checks=True).post(url(use_code), valid_post())

    assert response.status_code == 403
    assert not DiscussionReturn.objects.exists()


def test_the_form_is_never_cached(client, use_code, rf, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    response = client.get(url(use_code))

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert PublicPageCacheMiddleware(lambda request: None).key_for(rf.get(url(use_code))) is None


@pytest.mark.parametrize("typed", ["ZZZZZZZZ", "K7Q4M9X0", "nonsense", "A" * 300])
def test_an_unknown_or_forged_code_is_a_404_with_a_box_to_type_it_again(client, typed):
    response = client.get(f"/use/{typed}/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Check the code on your sheet" in html
    assert 'name="code"' in html
    assert typed[:20] in html or typed == "A" * 300


def test_posting_to_an_unknown_code_stores_nothing(client, use_code):
    response = client.post("/use/ZZZZZZZZ/", valid_post())

    assert response.status_code == 404
    assert not DiscussionReturn.objects.exists()


def test_a_code_typed_with_dashes_or_small_letters_goes_to_its_form(client, use_code):
    typed = use_code.display_code.lower()

    assert client.get(f"/use/{typed}/").url == url(use_code)
    assert client.get("/use/", {"code": f" {typed} "}).url == url(use_code)


def test_the_code_box_explains_a_code_that_cannot_be_one(client):
    response = client.get("/use/", {"code": "O0O0-IIII"})

    assert response.status_code == 200
    assert "That is not a code we know" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_privacy_notice_says_what_returns_store_and_for_how_long(client):
    html = client.get("/privacy/").content.decode()

    assert 'id="discussion-returns"' in html
    assert "12 months" in html and "90 days" in html


def test_the_form_offers_every_role_and_answer_the_model_knows():
    from learning.returns.forms import PRACTICE_LABELS, ROLE_LABELS

    assert set(ROLE_LABELS) == set(DiscussionReturn.Role.values)
    assert set(PRACTICE_LABELS) == set(DiscussionReturn.PracticeChanged.values)


def test_every_kind_of_code_has_a_label_for_the_form():
    from learning.returns.views import KIND_LABELS

    assert set(KIND_LABELS) == set(UseCode.Kind.values)


@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/cy", "cy")])
def test_a_return_remembers_the_language_of_the_form_for_its_follow_up(
    client, use_code, prefix, language
):
    response = client.post(f"{prefix}/use/{use_code.code}/", valid_post())

    assert response.status_code == 302
    assert DiscussionReturn.objects.get().language == language
