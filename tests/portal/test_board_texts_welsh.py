"""The board's own texts (PortalSettings) in Welsh on Welsh pages: its name, introduction,
team-meetings text, accessibility statement and privacy notice, with the English shown,
marked as English, where the board has not written the Welsh (docs/welsh.md)."""

import pytest

from portal.models import PortalSettings
from reviews.models import Review
from reviews.publishing import renames
from tests.reviews.translation_helpers import welsh_translation
from tests.reviews.workflow_helpers import published

pytestmark = pytest.mark.django_db


def save(**texts) -> PortalSettings:
    portal = PortalSettings.load()
    for field, value in texts.items():
        setattr(portal, field, value)
    return renames.portal_settings_save(portal=portal)


def html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_welsh_pages_show_the_boards_welsh_texts_and_english_pages_the_english(client):
    save(
        board_name="Riverside Partnership",
        board_name_cy="Partneriaeth Glan yr Afon",
        introduction="What a review is.",
        introduction_cy="Beth yw adolygiad.",
        accessibility_statement="We test with screen readers.",
        accessibility_statement_cy="Rydym yn profi gyda darllenwyr sgrin.",
        privacy_notice="We keep little.",
        privacy_notice_cy="Ychydig a gadwn.",
    )

    welsh, english = html(client, "/cy/"), html(client, "/")
    assert '<div class="lede prose"><p>Beth yw adolygiad.</p></div>' in welsh
    assert "<title>" in welsh and "– Partneriaeth Glan yr Afon</title>" in welsh
    assert 'class="site-logo__name">Partneriaeth Glan yr Afon<' in welsh
    assert "Riverside Partnership" not in welsh
    assert '<div class="lede prose"><p>What a review is.</p></div>' in english
    assert "Partneriaeth Glan yr Afon" not in english
    assert '<div class="prose"><p>Rydym yn profi gyda darllenwyr sgrin.</p></div>' in html(
        client, "/cy/accessibility/"
    )
    assert '<div class="prose"><p>Ychydig a gadwn.</p></div>' in html(client, "/cy/privacy/")


def test_a_text_not_yet_in_welsh_is_shown_in_english_marked_as_english(client):
    save(board_name="Riverside Partnership", introduction="What a review is.")

    welsh = html(client, "/cy/")

    assert '<div class="lede prose" lang="en-GB"><p>What a review is.</p></div>' in welsh
    assert 'class="site-logo__name">Riverside Partnership<' in welsh  # a name is not marked


def test_welsh_team_meetings_text_reaches_a_translations_stored_page(editor, publisher):
    review = published(by=editor, publisher=publisher, title="Baby T", slug="baby-t")
    welsh_translation(review, by=editor, publisher=publisher)

    save(team_meetings_text="Discuss this.", team_meetings_text_cy="Trafodwch hyn.")

    english = Review.objects.published().get(slug="baby-t").page_html
    welsh = Review.objects.published(translations=True).get().page_html
    assert '<div class="callout prose"><p>Discuss this.</p></div>' in english
    assert '<div class="callout prose"><p>Trafodwch hyn.</p></div>' in welsh
    assert "Discuss this." not in welsh


def test_the_welsh_feed_is_titled_with_the_boards_welsh_name(client):
    save(board_name="Riverside Partnership", board_name_cy="Partneriaeth Glan yr Afon")

    assert "Partneriaeth Glan yr Afon" in html(client, "/cy/feeds/reviews/")
    assert "Partneriaeth Glan yr Afon" not in html(client, "/feeds/reviews/")
