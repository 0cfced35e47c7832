"""The admin's Welsh translation: the link on a review, starting one, and side-by-side
editing of a translation with the English original beside every field."""

import pytest
from django.urls import reverse

from reviews.models import Review
from reviews.translations.services import review_translation_create
from tests.factories import BoardFactory, build_review
from tests.reviews.test_admin import inline_data

pytestmark = pytest.mark.django_db


def test_a_review_links_to_starting_its_welsh_translation(client, superuser):
    review = build_review(slug="baby-w", draft=True)
    client.force_login(superuser)
    url = reverse("admin:reviews_review_translation", args=[review.pk])

    page = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    offer = client.get(url)
    started = client.post(url)

    assert f'href="{url}">Welsh translation</a>' in page
    assert "Start the Welsh translation" in offer.content.decode()
    welsh = Review.objects.get(translation_of=review)
    assert started.status_code == 302
    assert started["Location"] == reverse("admin:reviews_review_change", args=[welsh.pk])
    assert client.get(url)["Location"] == started["Location"]


def test_the_translation_page_shows_the_english_original_beside_each_field(client, superuser):
    review = build_review(slug="baby-w", draft=True, summary="The English summary.")
    welsh = review_translation_create(review=review, user=superuser)
    welsh.summary = "Y crynodeb Cymraeg."
    welsh.save()
    event = welsh.chronology_events.order_by("position").first()
    event.text = "Digwyddiad cyntaf."
    event.save()
    client.force_login(superuser)

    response = client.get(reverse("admin:reviews_review_change", args=[welsh.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Y crynodeb Cymraeg." in html
    assert '<div class="translation-original" lang="en"><p>The English summary.</p></div>' in html
    original_event = review.chronology_events.order_by("position").first()
    assert "Digwyddiad cyntaf." in html and original_event.text in html
    assert "English original: text" in html
    # Structured values are not offered for editing: they are the original's.
    form = response.context["adminform"].form
    assert "board" not in form.fields and "child_age_months" not in form.fields
    for prefix in ("chronology_events", "findings", "recommendations", "learning_points"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html, prefix
    assert "This is the Welsh translation of" in html


def test_saving_the_translation_page_keeps_the_translators_words(client, superuser):
    review = build_review(slug="baby-w", draft=True)
    welsh = review_translation_create(review=review, user=superuser)
    client.force_login(superuser)
    url = reverse("admin:reviews_review_change", args=[welsh.pk])
    data = inline_data(welsh, client.get(url))
    data["summary"] = "Crynodeb newydd."
    data["chronology_events-0-text"] = "Digwyddiad newydd."

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    welsh.refresh_from_db()
    assert welsh.summary == "Crynodeb newydd."
    assert welsh.chronology_events.order_by("position").first().text == "Digwyddiad newydd."
    assert welsh.revisions.count() == 2


def test_a_learning_points_prompts_are_translated_beside_the_originals(client, superuser):
    review = build_review(slug="baby-w", draft=True)
    welsh = review_translation_create(review=review, user=superuser)
    point = welsh.learning_points.order_by("position").first()
    original = review.learning_points.order_by("position").first().prompts.first()
    client.force_login(superuser)

    html = client.get(
        reverse("admin:learning_learningpoint_change", args=[point.pk])
    ).content.decode()

    assert "English original: question" in html
    assert original.question.replace("'", "&#x27;") in html


def test_the_english_review_says_when_its_translation_needs_review(client, superuser):
    review = build_review(slug="baby-w", draft=True, board=BoardFactory(is_bilingual=True))
    welsh = review_translation_create(review=review, user=superuser)
    Review.objects.filter(pk=welsh.pk).update(translation_needs_review=True)
    client.force_login(superuser)

    html = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()

    assert "The Welsh translation needs review" in html
    assert "This board publishes in Welsh and English" in html


def test_welsh_names_are_edited_in_the_admin(client, superuser):
    client.force_login(superuser)
    board = BoardFactory()

    html = client.get(reverse("admin:reviews_board_change", args=[board.pk])).content.decode()
    agencies = client.get(reverse("admin:reviews_agency_add")).content.decode()
    themes = client.get(reverse("admin:learning_theme_add")).content.decode()

    assert 'name="name_cy"' in html and 'name="is_bilingual"' in html
    assert 'name="name_cy"' in agencies
    assert 'name="name_cy"' in themes and 'name="description_cy"' in themes
