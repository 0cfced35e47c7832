"""The staff reports in Chromium: no axe-core violations at WCAG 2.2 AA (with filter errors
showing too), nothing refused by the Content-Security-Policy, and usable 320 px wide."""

import datetime

import pytest

from tests.browser.test_admin_flow import PASSWORD
from tests.browser.test_public_pages import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REPORTS = ["/admin/assurance/", "/admin/impact/"]


def report_content() -> None:
    from learning.returns.models import DiscussionReturn, UseCode
    from reviews.models import Action
    from tests.factories import AgencyFactory, ReviewFactory, SuperuserFactory

    SuperuserFactory(username="officer")
    review = ReviewFactory(title="Baby C", slug="baby-c")
    police = AgencyFactory(name="Police")
    today = datetime.date.today()
    for n, status in enumerate(Action.Status):
        Action.objects.create(review=review, recommendation_number=1, position=n + 1,
                              description=f"Action {n}", owner=police, status=status,
                              due_on=today + datetime.timedelta(days=n * 20 - 20))  # fmt: skip
    code = UseCode.objects.create(code="ABCD2345", kind=UseCode.Kind.DISCUSSION_SHEET,
                                  review=review, snapshot={}, digest="0" * 64)  # fmt: skip
    for n in range(3):
        DiscussionReturn.objects.create(
            use_code=code, review=review, discussed_on=today - datetime.timedelta(days=40 * n),
            team_name=f"Team {n}", agency=police, participants=4 + n,
            different="We will ask who else lives in the home.",
            status=DiscussionReturn.Status.VISIBLE,
        )  # fmt: skip


def signed_in(context, live_server):
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


@pytest.mark.axe
@pytest.mark.parametrize("path", [*REPORTS, "/admin/assurance/?brag=purple&agency=nowhere"])
def test_report_has_no_axe_violations_at_wcag_2_2_aa(live_server, chromium, path):
    report_content()
    context = chromium.new_context(bypass_csp=True)
    page = signed_in(context, live_server)
    assert page.goto(live_server.url + path).status == 200
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("path", REPORTS)
def test_report_breaks_no_content_security_rule_and_fits_320_pixels(live_server, chromium, path):
    report_content()
    context = chromium.new_context()
    page = signed_in(context, live_server)
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.goto(live_server.url + path).status == 200
    assert page.locator("svg.chart").count() == 1
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px wider than the screen"
    assert refused == []
    context.close()
