"""Reading-age figures in the admin: on the change form as it loads, and from the staff-only
endpoint the admin's script posts to as editors type."""

import pytest
from django.test import Client
from django.urls import reverse

from reviews.admin.readability import MAX_POST_CHARACTERS
from tests.factories import StaffUserFactory, build_review

pytestmark = pytest.mark.django_db

URL = "/admin/reviews/review/readability/"
LONG = " ".join(["word"] * 30) + "."


def test_the_endpoint_is_where_the_script_is_told_it_is():
    assert reverse("admin:reviews_review_readability") == URL


def test_the_change_form_shows_figures_for_each_text_without_javascript(superuser_client):
    review = build_review(
        slug="figures", draft=True, plain_summary="The baby was hurt. Workers did not talk."
    )
    point = review.learning_points.first()
    point.body = f"Short one. {LONG}"
    point.save()

    html = superuser_client.get(reverse("admin:reviews_review_change", args=[review.pk])).content
    html = html.decode()

    assert 'aria-live="polite" data-readability-field="plain_summary"' in html
    assert 'data-readability-field="summary"' in html
    assert 'data-readability-field="body"' in html
    assert "8 of at most 60 words" in html
    assert "Reading age about" in html
    assert "Longest sentences (over 25 words)" in html
    assert "reviews/admin/readability.js" in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline scripts (CSP)


def test_the_learning_points_own_page_shows_its_figures(superuser_client):
    review = build_review(slug="own-page", draft=True)
    point = review.learning_points.first()

    response = superuser_client.get(reverse("admin:learning_learningpoint_change", args=[point.pk]))

    assert 'data-readability-field="body"' in response.content.decode()


def test_staff_get_the_figures_of_posted_text_as_html(superuser_client):
    response = superuser_client.post(
        URL, {"text": f"One short sentence. {LONG}", "field": "body", "language": "en"}
    )

    assert response.status_code == 200
    html = response.json()["html"]
    assert "Reading age about" in html
    assert "30 words:" in html


def test_welsh_text_is_scored_as_welsh_and_says_it_is_an_approximation(superuser_client):
    response = superuser_client.post(
        URL, {"text": "Bu farw'r plentyn yn y bath ar ei ben ei hun.", "language": "cy"}
    )

    assert "Welsh: an approximation" in response.json()["html"]


def test_the_plain_summary_counts_its_words_against_the_limit(superuser_client):
    response = superuser_client.post(
        URL, {"text": " ".join(["word"] * 61), "field": "plain_summary", "language": "en"}
    )

    assert "61 of at most 60 words: too long" in response.json()["html"]


def test_posted_text_is_escaped(superuser_client):
    response = superuser_client.post(
        URL, {"text": "<script>alert(1)</script> " + LONG, "language": "en"}
    )

    assert "<script>" not in response.json()["html"]


def test_bad_input_gets_a_clear_message(superuser_client):
    too_big = superuser_client.post(URL, {"text": "a" * (MAX_POST_CHARACTERS + 1)})
    bad_language = superuser_client.post(URL, {"text": "Hello.", "language": "xx"})
    get = superuser_client.get(URL)

    assert too_big.status_code == 413 and "not scored" in too_big.json()["error"]
    assert bad_language.status_code == 400 and "Unknown language" in bad_language.json()["error"]
    assert get.status_code == 405


def test_the_public_and_non_staff_are_refused_and_csrf_is_checked(client, superuser):
    assert client.post(URL, {"text": "Hello."}).status_code == 302  # to the admin's login
    non_staff = Client()
    non_staff.force_login(StaffUserFactory(username="nostaff", is_staff=False))
    assert non_staff.post(URL, {"text": "Hello."}).status_code == 302

    checked = Client(enforce_csrf_checks=True)
    checked.force_login(superuser)
    assert checked.post(URL, {"text": "Hello."}).status_code == 403
