"""The return form on a 320 px wide phone screen: filled in and sent, with no axe-core
violations before or after a mistake."""

import datetime

import pytest
from django.utils import timezone

from learning.returns.models import DiscussionReturn
from tests.browser.test_public_pages import axe_violations
from tests.portal.pages import REVIEW_SLUG, make_public_content, review_use_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 320, "height": 640}


def overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.axe
def test_a_team_fills_in_and_sends_the_return_form_on_a_phone(live_server, axe_page):
    make_public_content()
    use_code = review_use_code(REVIEW_SLUG)
    page = axe_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/use/{use_code.code}/")

    assert axe_violations(page) == []
    assert overflow(page) <= 0

    # A first try without the required answer shows the error summary, still accessible.
    page.fill("#id_team_name", "Earlsdon GP practice")
    page.click("form.use-form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    assert overflow(page) <= 0
    page.click(".error-summary a >> nth=0")

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.fill("#id_discussed_on", yesterday.isoformat())
    page.fill("#id_team_name", "Earlsdon GP practice")
    page.select_option("#id_agency", label="GP")
    page.fill("#id_participants", "7")
    page.check("label:has-text('Health visitor')")
    page.check("label:has-text('Nurse')")
    page.check("#id_prompts_discussed_0")
    page.fill("#id_different", "We will phone the health visitor before closing a concern.")
    page.fill("#id_email", "lead@example.org")
    page.click("form.use-form button[type=submit]")

    assert page.locator("h1").inner_text() == "Thank you"
    assert axe_violations(page) == []
    stored = DiscussionReturn.objects.get()
    assert stored.roles == ["health-visitor", "nurse"]
    assert stored.prompts_discussed == ["1.1"]
    assert stored.email == "lead@example.org"


def test_the_honeypot_is_out_of_sight_and_out_of_the_tab_order(live_server, page):
    make_public_content()
    use_code = review_use_code(REVIEW_SLUG)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/use/{use_code.code}/")

    box = page.locator("#id_website").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    assert page.get_attribute("#id_website", "tabindex") == "-1"
