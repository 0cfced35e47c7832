"""The board's editing flow in a real browser: an editor writes a review in the admin, previews
it and submits it; a second person signs it off; the public then reads it.

The texts are pseudonymous and hold no identifiers (names, dates of birth, addresses...), as
real ones must: publishing is refused while the anonymisation check finds any.
"""

import re

import pytest

from tests.factories import BoardFactory

pytestmark = [
    pytest.mark.browser,
    # One worker runs every browser test, so only one starts Chromium (scripts/test.sh).
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"  # every user the factories make has it
REVIEW = {
    "title": "Child K",
    "slug": "child-k",
    "child_age_text": "4 months",
    "summary": "Child K was admitted to hospital with a head injury at 4 months.",
    "event_when": "At 6 weeks",
    "event_text": "The health visitor saw Child K at home and noted a bruise on the cheek.",
    "learning_title": "Bruising in babies who are not yet mobile",
    "learning_body": "Any bruise on a baby who cannot move about needs a referral, every time.",
    "prompt": "How does your team make sure a bruise on a baby is always followed up?",
}


def sign_in(chromium, live_server, username: str):
    context = chromium.new_context()
    # The Markdown editor asks the server for a preview at every keystroke. The test server
    # shares one SQLite connection between its threads, and those requests racing the form's
    # save break it; the previews are not what this test is about.
    context.route("**/admin/markdownx/**", lambda route: route.abort())
    # So do the reading-age figures (tests/browser/test_admin_readability.py tests them).
    context.route("**/admin/reviews/review/readability/", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    return context, page


def choose_in_autocomplete(page, select_id: str, text: str) -> None:
    """Pick `text` in one of the admin's autocomplete (select2) boxes, as a person does."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_an_editor_writes_a_review_a_publisher_signs_it_off_and_the_public_reads_it(
    live_server, chromium, editor, publisher
):
    BoardFactory(name="Northvale Safeguarding Children Partnership")

    # The editor writes the review with its chronology and key learning.
    context, page = sign_in(chromium, live_server, "edith")
    page.goto(live_server.url + "/admin/reviews/review/add/")
    page.locator("#id_title").press_sequentially(REVIEW["title"])
    # The address is filled in from the title as the editor types it.
    assert page.input_value("#id_slug") == REVIEW["slug"]
    page.select_option("#id_review_type", label="Serious Case Review")
    choose_in_autocomplete(page, "id_board", "Northvale")
    page.fill("#id_child_pseudonym", REVIEW["title"])
    page.fill("#id_child_age_text", REVIEW["child_age_text"])
    page.select_option("#id_child_outcome", value="serious-harm")
    page.fill("#id_summary", REVIEW["summary"])
    page.click("#chronology_events-group .add-row a")
    page.fill("#id_chronology_events-0-when", REVIEW["event_when"])
    page.fill("#id_chronology_events-0-text", REVIEW["event_text"])
    page.click("#learning_points-group .add-row a")
    page.fill("#id_learning_points-0-title", REVIEW["learning_title"])
    page.fill("#id_learning_points-0-body", REVIEW["learning_body"])
    choose_in_autocomplete(page, "id_learning_points-0-themes", "Professional curiosity")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    review_url = page.url

    # Prompts are edited on the learning point's own page.
    page.click("#learning_points-0 a.inlinechangelink")
    page.fill("#id_prompts-0-question", REVIEW["prompt"])
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    # The preview shows the working copy on the public template, marked as not published.
    page.goto(review_url)
    page.click("text=Preview")
    banner = page.locator(".preview-banner")
    assert "Preview — not published" in banner.inner_text()
    assert REVIEW["prompt"] in page.content()

    page.goto(review_url)
    page.click("input[value='Submit for sign-off']")
    page.wait_for_selector(".messagelist .success")
    assert "Submitted for sign-off" in page.locator(".messagelist").inner_text()
    context.close()

    # Not public until a second person signs it off.
    anonymous = chromium.new_context()
    public = anonymous.new_page()
    assert public.goto(live_server.url + "/reviews/child-k/").status == 404

    context, page = sign_in(chromium, live_server, "percy")
    page.goto(review_url)
    page.click("input[value^='Sign off and publish']")
    page.wait_for_selector(".messagelist")
    assert "Signed off and published." in page.locator(".messagelist").inner_text()
    context.close()

    response = public.goto(live_server.url + "/reviews/child-k/")
    assert response.status == 200
    assert public.locator("h1").inner_text() == "Child K — Case Summary"
    text = public.locator("main").inner_text()
    for key in ("summary", "event_text", "learning_title", "learning_body", "prompt"):
        assert REVIEW[key] in text, key
    assert "Professional curiosity" in text
    anonymous.close()
