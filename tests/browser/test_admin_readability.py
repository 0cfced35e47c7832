"""Reading-age figures update as an editor types, through the admin's small static script
(no inline script: the Content-Security-Policy stays as it is)."""

import pytest

from tests.browser.test_admin_flow import sign_in
from tests.reviews.workflow_helpers import draft

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_plain_summarys_words_and_reading_age_update_as_the_editor_types(
    live_server, chromium, editor
):
    review = draft(by=editor)
    context, page = sign_in(chromium, live_server, "edith")
    context.unroute("**/admin/reviews/review/readability/")  # sign_in blocks it for others
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/admin/reviews/review/{review.pk}/change/")
    region = page.locator('[data-readability-field="plain_summary"]')
    assert region.get_attribute("aria-live") == "polite"

    page.fill("#id_plain_summary", " ".join(["word"] * 61) + ".")

    page.wait_for_function(
        "() => document.querySelector('[data-readability-field=plain_summary]')"
        ".textContent.includes('61 of at most 60 words')",
        timeout=10_000,
    )
    assert "too long" in region.text_content()
    assert not [error for error in errors if "Content Security Policy" in error]
    context.close()
