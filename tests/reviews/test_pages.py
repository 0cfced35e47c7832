"""Case summary pages rendered at publish time (reviews/publishing/pages.py) and kept up to date."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import services as learning_services
from portal.cache import public_cache_generation
from portal.models import PortalSettings
from reviews.models import Agency, Review, ReviewType, Theme
from reviews.publishing import renames
from tests.factories import build_review
from tests.reviews.workflow_helpers import edit, live_copy, published, superuser

pytestmark = pytest.mark.django_db


def page(client, review: Review) -> str:
    response = client.get(review.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_publishing_stores_the_page_body_and_the_stored_page_reads_as_the_live_render(client):
    review = build_review(title="Baby S", slug="baby-s", events=3, learning_points=2)
    live = live_copy(review)
    assert "Baby S — Case Summary" in live.page_html
    assert "Key Learning" in live.page_html

    stored = page(client, review)
    Review.objects.filter(pk=live.pk).update(page_html="", page_document="")
    rendered_live = page(client, review)

    assert stored == rendered_live


def test_the_page_shows_the_stored_body_not_a_fresh_render(client):
    review = build_review(slug="stored")
    Review.objects.filter(pk=live_copy(review).pk).update(
        page_html="<article><h1>Stored body</h1></article>", page_document=""
    )

    assert "Stored body" in page(client, review)


def test_the_review_page_takes_one_query_once_the_portal_settings_are_read(client):
    review = build_review(slug="one-query", events=10, learning_points=4, prompts=4)
    page(client, review)

    with CaptureQueriesContext(connection) as queries:
        page(client, review)

    assert len(queries) == 1, [query["sql"] for query in queries]


def test_a_live_copy_without_a_stored_page_is_rendered_live_with_a_fixed_query_count(client):
    small = build_review(slug="small-live", events=1, learning_points=1, prompts=1)
    large = build_review(slug="large-live", events=30, learning_points=8, prompts=5)
    Review.objects.filter(is_live=True).update(page_html="", page_document="")
    counts = []
    for review in (small, large):
        page(client, review)
        with CaptureQueriesContext(connection) as queries:
            html = page(client, review)
        counts.append(len(queries))
        assert "Key Learning" in html

    assert counts[0] == counts[1] > 1


def test_render_command_fills_in_pages_of_reviews_published_before_pages_were_stored():
    review = build_review(slug="older")
    Review.objects.filter(is_live=True).update(page_html="", page_document="")

    out = io.StringIO()
    call_command("review_pages_render", stdout=out)

    assert "Rendered 1 case summary page." in out.getvalue()
    assert "Key Learning" in live_copy(review).page_html
    assert Review.objects.get(pk=review.pk).page_html == ""  # working copies keep none


def test_renaming_a_theme_renders_the_pages_that_link_to_it_again(client):
    review = build_review(slug="themed")
    other = build_review(slug="other", learning_points=0)
    theme = Theme.objects.get(slug="voice-of-the-child")
    theme.name = "Hearing the child"
    untouched = live_copy(other).page_html

    learning_services.theme_save(theme=theme)

    assert "Hearing the child" in page(client, review)
    assert live_copy(other).page_html == untouched


def test_renaming_an_agency_renders_the_pages_that_name_it_again(client):
    review = build_review(slug="agencies")
    agency = Agency.objects.get(name="GP")
    agency.name = "General practice"

    renames.agency_save(agency=agency)

    assert "General practice" in page(client, review)


def test_deleting_an_agency_takes_it_off_stored_pages(client):
    review = build_review(slug="agency-gone")

    renames.agency_delete(agency=Agency.objects.get(name="Police"))

    assert "Police" not in page(client, review)


def test_new_review_type_texts_and_board_names_reach_stored_pages(client):
    review = build_review(slug="typed")
    review_type = ReviewType.objects.get(pk=review.review_type_id)
    review_type.explanation = "A review the **new** way."
    renames.review_type_save(review_type=review_type)
    board = review.board
    board.name = "Renamed Partnership"
    renames.board_save(board=board)

    html = page(client, review)

    assert "A review the <strong>new</strong> way." in html
    assert "Renamed Partnership" in html


def test_the_portal_settings_admin_drops_cached_pages_and_renders_the_team_meetings_text(
    client,
):
    review = build_review(slug="meetings")
    before = public_cache_generation()
    assert "Discuss this one" not in page(client, review)
    client.force_login(superuser())
    portal = PortalSettings.load()

    response = client.post(
        reverse("admin:reviews_portalsettings_change", args=[portal.pk]),
        {
            "board_name": "New Board Name",
            "logo_text": "NBN",
            "team_meetings_text": "Discuss this one in your **team meeting**.",
        },
    )

    assert response.status_code == 302
    assert public_cache_generation() != before
    client.logout()
    html = page(client, review)
    assert "Discuss this one in your <strong>team meeting</strong>." in html
    assert "New Board Name" in html


def test_staff_preview_shows_the_working_copy_not_the_stored_page(client, editor, publisher):
    review = published(by=editor, publisher=publisher, summary="The published summary.")
    edit(review, by=editor, summary="The edited summary.")
    client.force_login(editor)

    preview = client.get(reverse("admin:reviews_review_preview", args=[review.pk]))

    assert "The edited summary." in preview.content.decode()
    assert "The published summary." in live_copy(review).page_html
    client.logout()
    assert "The published summary." in page(client, review)


def test_renaming_a_board_and_an_agency_in_the_admin_reaches_stored_pages(client):
    review = build_review(slug="admin-renames")
    agency = Agency.objects.get(name="GP")
    client.force_login(superuser())

    board_saved = client.post(
        reverse("admin:reviews_board_change", args=[review.board_id]),
        {
            "name": "Admin Renamed Partnership",
            "slug": review.board.slug,
            # The board's statutory timescales, as the form shows them (England's).
            "panel_notice_working_days": 5,
            "rapid_review_working_days": 15,
            "publication_wait_working_days": 7,
            "keep_published_months": 12,
        },
    )
    agency_saved = client.post(
        reverse("admin:reviews_agency_change", args=[agency.pk]),
        {"name": "General practice", "slug": agency.slug},
    )

    assert board_saved.status_code == 302 and agency_saved.status_code == 302
    client.logout()
    html = page(client, review)
    assert "Admin Renamed Partnership" in html
    assert "General practice" in html


def test_visitors_without_a_session_get_the_whole_page_stored_at_publishing(client, settings):
    review = build_review(title="Baby D", slug="baby-d", events=2, learning_points=2)
    stored = live_copy(review).page_document
    assert stored.startswith("<!DOCTYPE html>") and "Baby D — Case Summary" in stored

    anonymous = page(client, review)
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-visitor-with-a-session"
    with_session = page(client, review)

    assert anonymous == stored
    assert with_session == stored  # rendered per request, it reads the same
    canonical = f'<meta property="og:url" content="{settings.PORTAL_BASE_URL}/reviews/baby-d/">'
    assert canonical in stored


def test_changing_the_board_name_in_the_portal_settings_reaches_the_stored_pages(client):
    review = build_review(slug="renamed-board")
    portal = PortalSettings.load()
    portal.board_name = "Riverside Safeguarding Partnership"

    renames.portal_settings_save(portal=portal)

    assert "Riverside Safeguarding Partnership" in live_copy(review).page_document
    assert "Riverside Safeguarding Partnership" in page(client, review)


def test_the_stored_whole_page_is_what_visitors_without_a_session_are_served(client, settings):
    review = build_review(slug="served-stored")
    Review.objects.filter(pk=live_copy(review).pk).update(page_document="<p>Stored page</p>")

    assert page(client, review) == "<p>Stored page</p>"
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-visitor-with-a-session"
    assert "Stored page" not in page(client, review)
