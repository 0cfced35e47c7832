"""An action plan in a real browser: an editor adds an action to a recommendation, submits
its evidence with a file; a second person accepts it and the action is complete (blue)."""

import pytest

from reviews.models import Action
from tests.browser.test_admin_flow import choose_in_autocomplete, sign_in
from tests.reviews.actions.files import PDF
from tests.reviews.actions.helpers import in_days, plan_review

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editor_submits_evidence_and_a_publisher_accepts_it(
    live_server, chromium, editor, publisher, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    review = plan_review(slug="baby-x", title="Baby X")

    context, page = sign_in(chromium, live_server, "edith")
    page.goto(f"{live_server.url}/admin/reviews/review/{review.pk}/change/")
    page.click("text=Add an action to recommendation 2")
    page.fill("#id_description", "Audit the step-down forms of the last quarter.")
    choose_in_autocomplete(page, "id_owner", "GP")
    page.fill("#id_due_on", in_days(10).isoformat())
    page.select_option("#id_new_status", value="evidence-submitted")
    page.fill("#id_evidence", "The audit report, signed by the practice manager.")
    page.click("input[name=_continue]")
    page.wait_for_selector("text=Evidence submitted by")
    page.set_input_files(
        "#id_file", files=[{"name": "Audit.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("input[value='Upload file']")
    page.wait_for_selector("text=Evidence file added.")
    assert page.is_visible("a:has-text('Audit.pdf')")
    # Editors see no accept button.
    assert not page.is_visible("input[value^='Accept the evidence']")
    context.close()

    action = Action.objects.get()
    assert (action.recommendation_number, action.status) == (2, "evidence-submitted")

    context, page = sign_in(chromium, live_server, "percy")
    page.goto(f"{live_server.url}/admin/reviews/action/{action.pk}/change/")
    page.fill("#id_note", "Checked the audit.")
    page.click("input[value^='Accept the evidence']")
    page.wait_for_selector("text=Evidence accepted: the action is complete.")
    assert page.is_visible(".brag-blue")
    context.close()

    action.refresh_from_db()
    assert (action.status, action.accepted_by) == ("complete", publisher)
