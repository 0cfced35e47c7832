"""Glossary terms in Chromium: what a screen reader is told of a marked term, the meaning
shown by keyboard focus, and the /glossary/ page with no axe violations at 1280 and 320 px."""

import pytest

from tests.browser.test_public_pages import axe_violations
from tests.portal.pages import make_public_content

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_marked_term_has_its_meaning_as_its_accessible_description(live_server, page):
    from playwright.sync_api import expect  # the browser tests skip without playwright

    review = make_public_content()
    page.goto(live_server.url + review.get_absolute_url())

    gp = page.get_by_role("link", name="GP", exact=True)

    assert gp.count() == 1  # only the first use is marked
    # What Chromium's accessibility tree gives a screen reader: the name and the meaning.
    description = gp.evaluate(
        "e => document.getElementById(e.getAttribute('aria-describedby')).textContent"
    )
    assert "General practitioner, a family doctor." in description
    # Chromium's own accessibility tree (what it hands screen readers), through the
    # DevTools protocol: the link is named "GP" and described by its meaning.
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    terms = {
        node["name"]["value"]: node.get("description", {}).get("value", "")
        for node in tree["nodes"]
        if node.get("role", {}).get("value") == "link"
        and node.get("name", {}).get("value") in ("GP", "HV", "A&E")
    }
    assert terms == {
        "GP": "(General practitioner, a family doctor.)",
        "HV": "(Health visitor, a nurse who visits families with young children.)",
        "A&E": "(Accident and emergency, the hospital department for urgent care.)",
    }
    expect(gp).to_have_accessible_description("(General practitioner, a family doctor.)")


def test_focusing_a_term_by_keyboard_shows_its_meaning_beside_it(live_server, page):
    review = make_public_content()
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + review.get_absolute_url())
    meaning = page.locator("#term-gp-meaning")

    assert not meaning.is_visible()
    page.get_by_role("link", name="GP", exact=True).focus()

    assert meaning.is_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


@pytest.mark.axe
@pytest.mark.parametrize("width", [1280, 320])
def test_the_glossary_page_has_no_axe_violations(live_server, axe_page, width):
    make_public_content()
    axe_page.set_viewport_size({"width": width, "height": 800})

    response = axe_page.goto(live_server.url + "/glossary/")

    assert response.status == 200
    assert axe_page.locator("#term-gp").count() == 1
    assert axe_violations(axe_page) == []


@pytest.mark.axe
@pytest.mark.parametrize("width", [1280, 320])
def test_the_review_page_with_marked_terms_has_no_axe_violations(live_server, axe_page, width):
    review = make_public_content()
    axe_page.set_viewport_size({"width": width, "height": 800})
    axe_page.goto(live_server.url + review.get_absolute_url())
    axe_page.get_by_role("link", name="GP", exact=True).focus()  # meaning shown

    assert axe_violations(axe_page) == []
