"""The subscriber's pages in Chromium: the form with its error summary, and the pages the
e-mail links open, with no axe-core violations and nothing wider than a 320 px phone."""

import pytest

from learning.subscriptions.tokens import Purpose, subscription_token
from tests.browser.test_public_pages import axe_violations
from tests.learning.subscriptions.helpers import subscribed

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def link_pages() -> list[str]:
    reader = subscribed("reader@example.org")
    token = {
        purpose: subscription_token(subscription=reader, purpose=purpose) for purpose in Purpose
    }
    return [
        f"/subscribe/confirm/{token[Purpose.CONFIRM]}/",
        f"/subscribe/choices/{token[Purpose.CHOICES]}/",
        f"/unsubscribe/{token[Purpose.UNSUBSCRIBE]}/",
        "/subscribe/confirm/not-a-token/",
    ]


@pytest.mark.axe
def test_the_form_and_its_error_summary_have_no_axe_violations(live_server, axe_page):
    axe_page.goto(live_server.url + "/subscribe/")
    assert axe_violations(axe_page) == []
    axe_page.fill("#id_email", "not an address")
    axe_page.check("#id_scope_1")
    axe_page.click(".subscribe-form button[type=submit]")
    assert axe_page.locator(".error-summary").is_visible()
    assert axe_violations(axe_page) == []
    # The summary's links take the keyboard to the fields.
    axe_page.click(".error-summary a >> nth=0")
    assert axe_page.evaluate("() => document.activeElement.id") == "id_email"


@pytest.mark.axe
def test_the_pages_the_links_open_have_no_axe_violations(live_server, axe_page):
    for path in link_pages():
        axe_page.goto(live_server.url + path)
        assert axe_violations(axe_page) == [], path


def test_every_subscription_page_fits_a_320_pixel_wide_screen(live_server, page):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/subscribe/", *link_pages()]:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path}: {overflow}px wider than the screen"
