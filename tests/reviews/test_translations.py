"""Welsh translations of reviews: starting one, the publishing rules, and what the public
sees (reviews/translations/, docs/welsh-translations.md)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation as i18n

from learning.discovery.catalogue import catalogue_forget
from learning.discovery.facets import ReviewFilters
from learning.discovery.search import search
from learning.models import SearchEntry
from reviews.models import Review
from reviews.publishing import services
from reviews.records import WorkflowError
from reviews.translations.services import review_translation_create
from tests.factories import BoardFactory, build_review
from tests.reviews.translation_helpers import translate, welsh_translation
from tests.reviews.workflow_helpers import draft, edit, live_copy, published

pytestmark = pytest.mark.django_db


def test_a_translation_starts_as_a_draft_copy_of_the_original(draft_review, editor):
    welsh = review_translation_create(review=draft_review, user=editor)

    assert welsh.language == "cy" and welsh.translation_of == draft_review
    assert welsh.slug == f"{draft_review.slug}-cy"
    assert welsh.status == Review.Status.DRAFT
    assert welsh.summary == draft_review.summary
    assert welsh.learning_points.count() == draft_review.learning_points.count()
    assert welsh.revisions.count() == 1


def test_a_review_has_one_translation_per_language(draft_review, editor):
    review_translation_create(review=draft_review, user=editor)

    with pytest.raises(WorkflowError, match="already has a Welsh translation"):
        review_translation_create(review=draft_review, user=editor)


def test_an_unknown_language_is_refused(draft_review, editor):
    with pytest.raises(WorkflowError, match="Unknown language 'xx'"):
        review_translation_create(review=draft_review, user=editor, language="xx")
    review = Review.objects.get(pk=draft_review.pk)
    review.language = "xx"
    with pytest.raises(ValidationError):
        review.full_clean()
    with pytest.raises(IntegrityError):
        Review.objects.filter(pk=draft_review.pk).update(language="xx")


def test_a_translation_keeps_the_originals_structured_values_whatever_is_saved(
    draft_review, editor
):
    welsh = review_translation_create(review=draft_review, user=editor)
    welsh.child_age_months = 40
    welsh.nation = Review.Nation.SCOTLAND
    welsh.save()
    point = welsh.learning_points.first()
    point.themes.clear()

    welsh = translate(welsh, by=editor)

    assert welsh.child_age_months == draft_review.child_age_months
    assert welsh.nation == draft_review.nation
    assert set(welsh.learning_points.first().themes.values_list("slug", flat=True)) == set(
        draft_review.learning_points.first().themes.values_list("slug", flat=True)
    )


def test_an_untranslated_translation_cannot_be_published(draft_review, editor, publisher):
    welsh = review_translation_create(review=draft_review, user=editor)
    services.review_submit(review=welsh, user=editor)

    with pytest.raises(WorkflowError, match="not completely translated: the review: summary"):
        services.review_publish(review=welsh, user=publisher)


def test_a_translation_that_no_longer_lines_up_cannot_be_published(draft_review, editor, publisher):
    welsh = welsh_translation(draft_review, by=editor)
    welsh.chronology_events.last().delete()
    services.review_record_edit(review=welsh, edited_by=editor, expected_version=welsh.version)
    services.review_submit(review=welsh, user=editor)

    with pytest.raises(WorkflowError, match="does not line up .*chronology"):
        services.review_publish(review=welsh, user=publisher)


def test_a_translation_goes_through_four_eyes_sign_off(draft_review, editor, publisher):
    welsh = welsh_translation(draft_review, by=publisher)
    services.review_submit(review=welsh, user=publisher)

    with pytest.raises(WorkflowError, match="four eyes"):
        services.review_publish(review=welsh, user=publisher)


# Bilingual boards ------------------------------------------------------------------------


@pytest.fixture
def bilingual_draft(editor):
    return draft(by=editor, board=BoardFactory(name="Bwrdd Cymru", is_bilingual=True))


def test_a_bilingual_boards_review_is_not_published_without_a_welsh_translation(
    bilingual_draft, editor, publisher
):
    services.review_submit(review=bilingual_draft, user=editor)

    with pytest.raises(WorkflowError, match="start the Welsh translation"):
        services.review_publish(review=bilingual_draft, user=publisher)
    assert not Review.objects.filter(working_copy=bilingual_draft).exists()


def test_a_bilingual_boards_review_waits_for_its_translation_to_be_signed_off(
    bilingual_draft, editor, publisher
):
    welsh = welsh_translation(bilingual_draft, by=editor)
    services.review_submit(review=welsh, user=editor)
    services.review_submit(review=bilingual_draft, user=editor)

    with pytest.raises(WorkflowError, match="Welsh translation is “Ready for sign-off”"):
        services.review_publish(review=bilingual_draft, user=publisher)

    services.review_publish(review=welsh, user=publisher)
    services.review_publish(review=bilingual_draft, user=publisher)
    assert Review.objects.published().filter(working_copy=bilingual_draft).exists()
    assert Review.objects.published(translations=True).filter(working_copy=welsh).exists()


def test_changing_the_english_after_sign_off_marks_the_translation_for_review(
    bilingual_draft, editor, publisher, second_publisher
):
    welsh = welsh_translation(bilingual_draft, by=editor, publisher=publisher)
    services.review_submit(review=bilingual_draft, user=editor)
    services.review_publish(review=bilingual_draft, user=publisher)

    edit(bilingual_draft, by=editor, summary="A new English summary.")
    welsh.refresh_from_db()
    assert welsh.translation_needs_review

    services.review_submit(review=bilingual_draft, user=editor)
    with pytest.raises(WorkflowError, match="needs review after changes"):
        services.review_publish(review=bilingual_draft, user=publisher)

    translate(welsh, by=editor, word="Newydd")
    services.review_submit(review=welsh, user=editor)
    services.review_publish(review=welsh, user=second_publisher)
    welsh.refresh_from_db()
    assert not welsh.translation_needs_review
    services.review_publish(review=bilingual_draft, user=publisher)


def test_a_save_that_changes_nothing_does_not_mark_the_translation(draft_review, editor, publisher):
    welsh = welsh_translation(draft_review, by=editor, publisher=publisher)

    edit(draft_review, by=editor)

    welsh.refresh_from_db()
    assert not welsh.translation_needs_review


# What the public sees --------------------------------------------------------------------


def test_listings_feeds_sitemaps_api_and_search_do_not_count_translations(
    client, editor, publisher
):
    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    build_review(title="Baby U", slug="baby-u")

    def counts():
        catalogue_forget()
        listing = client.get(reverse("reviews:list")).content.count(b'href="/reviews/baby-')
        api = client.get(reverse("api_review_list")).content.count(b'"slug"')
        feed = client.get(reverse("feed_reviews")).content.count(b"<entry>")
        sitemap = client.get(reverse("sitemap")).content.count(b"<url>")
        found = search(query="learning", filters=ReviewFilters()).total
        return listing, api, feed, sitemap, found, Review.objects.published().count()

    before = counts()
    assert all(before), before
    welsh_translation(review, by=editor, publisher=publisher)
    assert Review.objects.published(translations=True).count() == 1

    assert counts() == before


def test_in_welsh_the_review_page_shows_the_published_translation(client, editor, publisher):
    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    welsh_translation(review, by=editor, publisher=publisher)

    english = client.get(review.get_absolute_url())
    with i18n.override("cy"):
        welsh = client.get(f"/cy{review.get_absolute_url()}".replace("/cy/cy/", "/cy/"))
        if welsh.status_code == 404:  # without the interface's /cy/ addresses (i18n_patterns)
            welsh = client.get(review.get_absolute_url())

    assert "Cymraeg Baby T" not in english.content.decode()
    assert "Cymraeg Baby T" in welsh.content.decode()
    assert "Cymraeg: bu farw" in welsh.content.decode()


def test_the_welsh_page_without_a_session_is_the_translations_stored_page(
    client, editor, publisher
):
    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    welsh = welsh_translation(review, by=editor, publisher=publisher)

    stored = live_copy(welsh).page_document
    with i18n.override("cy"):
        response = client.get(reverse("reviews:detail", kwargs={"slug": "baby-t"}))

    assert stored and response.content.decode() == stored


def test_in_welsh_a_review_without_a_translation_shows_its_english_content(
    client, editor, publisher
):
    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    client.cookies["sessionid"] = "none"  # rendered, not the stored page

    with i18n.override("cy"):
        response = client.get(reverse("reviews:detail", kwargs={"slug": review.slug}))

    assert response.status_code == 200
    assert response.context["content_language"] == "en"
    assert "Baby T" in response.content.decode()


def test_in_welsh_the_page_says_its_content_is_welsh(client, editor, publisher):
    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    welsh_translation(review, by=editor, publisher=publisher)
    client.cookies["sessionid"] = "none"

    with i18n.override("cy"):
        response = client.get(reverse("reviews:detail", kwargs={"slug": review.slug}))

    assert response.context["content_language"] == "cy"
    assert response.context["review"].title == "Cymraeg Baby T"


def test_a_translations_own_slug_is_no_public_address(client, editor, publisher):
    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    welsh_translation(review, by=editor, publisher=publisher)

    assert client.get(reverse("reviews:detail", kwargs={"slug": "baby-t-cy"})).status_code == 404


def test_a_welsh_word_finds_the_welsh_translation_in_welsh_only(editor, publisher):
    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    welsh_translation(review, by=editor, publisher=publisher, word="Ymwelydd")

    with i18n.override("cy"):
        welsh = search(query="ymwelydd", filters=ReviewFilters())
    english = search(query="ymwelydd", filters=ReviewFilters())

    assert welsh.total > 0
    assert {hit.review_slug for hit, _ in welsh.hits} == {"baby-t"}
    assert english.total == 0


def test_in_welsh_untranslated_reviews_are_still_found_by_english_words(editor, publisher):
    translated = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    welsh_translation(translated, by=editor, publisher=publisher)
    build_review(title="Baby U", slug="baby-u", summary="Neglect was missed.")

    with i18n.override("cy"):
        found = search(query="neglect", filters=ReviewFilters())

    assert {hit.review_slug for hit, _ in found.hits} == {"baby-u"}


@pytest.mark.postgres
def test_postgresql_indexes_welsh_entries_without_english_stemming(editor, publisher):
    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    welsh = welsh_translation(review, by=editor, publisher=publisher, word="gweithwyr")
    from django.contrib.postgres.search import SearchQuery

    entries = SearchEntry.objects.filter(review=live_copy(welsh))
    # english stemming would store "gweithwyr" as "gweithwyr" too, but "ymwelwyr" as
    # "ymelwyr"-like stems; the simple dictionary keeps every word as written.
    assert entries.filter(vector=SearchQuery("gweithwyr", config="simple")).exists()
    with i18n.override("cy"):
        assert search(query="gweithwyr", filters=ReviewFilters()).total > 0


def test_the_pages_with_welsh_content_are_known_by_their_address(editor, publisher):
    from reviews.selectors import review_translated_slugs

    translated = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    published(by=editor, publisher=publisher, title="Baby U", slug="baby-u")
    welsh_translation(translated, by=editor, publisher=publisher)

    assert review_translated_slugs(language="cy") == {"baby-t"}


def test_deleting_a_review_deletes_its_translation_and_its_search_entries(
    editor, publisher, superuser
):
    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    welsh = welsh_translation(review, by=editor, publisher=publisher)
    welsh_live = live_copy(welsh)

    services.review_delete(review=review, user=superuser)

    assert not Review.objects.filter(pk__in=[welsh.pk, welsh_live.pk]).exists()
    assert not SearchEntry.objects.filter(review_id=welsh_live.pk).exists()


def test_the_english_page_reads_no_more_for_having_a_translation(client, editor, publisher):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    url = reverse("reviews:detail", kwargs={"slug": review.slug})
    client.cookies["sessionid"] = "none"  # the rendered page, not the stored one
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    # A word of the translation's own, not "Cymraeg", which every page's language switch shows.
    welsh_translation(review, by=editor, publisher=publisher, word="Cyfieithwyd")
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        english = client.get(url)
    client.get("/cy" + url)
    with CaptureQueriesContext(connection) as welsh:
        welsh_page = client.get("/cy" + url)

    assert "Cyfieithwyd" not in english.content.decode()
    assert "Cyfieithwyd" in welsh_page.content.decode()
    # One query, as before translations existed: the live copy with its stored body.
    assert len(after) == len(before) == 1, [query["sql"] for query in after.captured_queries]
    # In Welsh, one query more: the translation's row, with its stored page body.
    assert len(welsh) == 2
