"""The assurance report (/admin/assurance/): counts by BRAG, overdue and due-soon lists,
filters, CSV and PDF downloads, and queries that do not grow with the number of actions."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews.assurance.selectors import AssuranceFilters, assurance_report
from reviews.models import Action
from tests.factories import AgencyFactory, BoardFactory, ReviewFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/assurance/"


def today() -> datetime.date:
    return timezone.localdate()


def days(count: int) -> datetime.date:
    return today() + datetime.timedelta(days=count)


def action(review, owner, *, due, status=Action.Status.IN_PROGRESS, number=1, position=None,
           description="Train every health visitor in safe sleep."):  # fmt: skip
    if position is None:
        position = Action.objects.filter(review=review, recommendation_number=number).count() + 1
    return Action.objects.create(
        review=review,
        recommendation_number=number,
        position=position,
        description=description,
        owner=owner,
        due_on=due,
        status=status,
    )


@pytest.fixture
def plan():
    """Two reviews in two boards; police and health visiting own actions in every state."""
    north, south = BoardFactory(name="North Partnership"), BoardFactory(name="South Partnership")
    baby_c = ReviewFactory(title="Baby C", slug="baby-c", board=north)
    child_d = ReviewFactory(title="Child D", slug="child-d", board=south)
    police = AgencyFactory(name="Police")
    health = AgencyFactory(name="Health visiting")
    done = Action.Status.COMPLETE
    action(baby_c, police, due=days(-40), status=done)  # blue, even though its date passed
    action(baby_c, police, due=days(-10))  # red, 10 days overdue
    action(baby_c, police, due=days(-1))  # red, 1 day overdue
    action(baby_c, health, due=days(0))  # amber: due today
    action(baby_c, health, due=days(27))  # amber: the 28th day
    action(child_d, health, due=days(28))  # green: the 29th day
    action(child_d, police, due=days(-3), number=2)  # red
    return {"baby_c": baby_c, "child_d": child_d, "police": police, "health": health,
            "north": north, "south": south}  # fmt: skip


def test_counts_by_brag_per_agency_and_per_review_follow_the_rule(plan):
    report = assurance_report(filters=AssuranceFilters(), today=today())
    # BRAG_SERIES order: blue, red, amber, green.
    assert [(row.label, row.values) for row in report.by_agency] == [
        ("Health visiting", (0, 0, 2, 1)),
        ("Police", (1, 3, 0, 0)),
    ]
    assert [(row.label, row.values) for row in report.by_review] == [
        ("Baby C", (1, 2, 2, 0)),
        ("Child D", (0, 1, 0, 1)),
    ]
    assert report.total == 7 and report.overdue_total == 3 and report.due_soon_total == 2


def test_the_overdue_list_says_how_many_days_most_overdue_first(plan):
    report = assurance_report(filters=AssuranceFilters(), today=today())
    assert [listed.days for listed in report.overdue] == [10, 3, 1]
    assert [listed.days for listed in report.due_soon] == [0, 27]


def test_the_page_shows_the_chart_the_table_and_the_lists_to_staff_who_may_view_actions(
    plan, editor_client
):
    response = editor_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="img"' in page and "<caption>Actions by owning agency and BRAG state" in page
    assert '<th scope="row">Police</th>' in page
    assert "Overdue actions (3)" in page and "Due in the next 28 days (2)" in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_anonymous_visitors_are_sent_to_sign_in_and_staff_without_the_permission_refused(
    plan, client
):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    staff = StaffUserFactory(username="no-role")
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "assurance.csv").status_code == 403


@pytest.mark.parametrize(
    ("params", "expected_total"),
    [
        ({"board": "north-partnership"}, 5),
        ({"agency": "police"}, 4),
        ({"review": "child-d"}, 2),
        ({"brag": "red"}, 3),
        ({"board": "north-partnership", "brag": "amber"}, 2),
    ],
)
def test_each_filter_narrows_the_report(plan, editor_client, params, expected_total):
    response = editor_client.get(URL, params)
    assert response.status_code == 200
    assert response.context["report"].total == expected_total


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"board": "nowhere"}, "There is no board “nowhere”"),
        ({"agency": "<script>"}, "There is no agency “&lt;script&gt;”"),
        ({"review": "x" * 500}, "There is no review “" + "x" * 60 + "”"),
        ({"brag": "purple"}, "“purple” is not a BRAG state"),
    ],
)
def test_a_bad_filter_gets_a_clear_message_and_the_report_of_everything(
    plan, editor_client, params, message
):
    response = editor_client.get(URL, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Some filters could not be used" in page
    assert response.context["report"].total == 7


def test_the_actions_csv_has_every_action_with_brag_and_no_formula(plan, editor_client):
    action(plan["child_d"], plan["police"], due=days(-5), number=3,
           description='=HYPERLINK("http://evil.example","Click")')  # fmt: skip
    response = editor_client.get(URL + "assurance.csv", {"table": "actions", "agency": "police"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffreview,board,recommendation,")
    lines = text.lstrip("\ufeff").split("\r\n")
    assert len(lines) == 1 + 5 + 1  # header, police's five actions, the final line end
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert "child-d,South Partnership,2,1,Train every health visitor in safe sleep.,Police," in text


def test_the_counts_csvs_match_the_tables(plan, editor_client):
    text = editor_client.get(URL + "assurance.csv", {"table": "agencies"}).content.decode()
    assert text.lstrip("\ufeff").split("\r\n")[:3] == [
        "agency,blue,red,amber,green,total",
        "Health visiting,0,0,2,1,3",
        "Police,1,3,0,0,4",
    ]


def test_the_pdf_is_a4_with_the_date_and_page_numbers(plan, editor_client):
    from pypdf import PdfReader

    response = editor_client.get(URL + "assurance.pdf", {"board": "north-partnership"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Page 1 of {len(reader.pages)}" in text
    assert today().strftime("%-d %B %Y") in text
    assert "board: North Partnership" in text
    assert "Overdue actions (2)" in text


def test_queries_do_not_grow_with_the_number_of_actions(plan, editor_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(URL).status_code == 200
        return len(queries)

    few = count()
    more_agencies = [AgencyFactory(name=f"Agency {n}") for n in range(5)]
    for n in range(60):
        action(plan["child_d"], more_agencies[n % 5], due=days(n - 30), number=10 + n % 4)
    assert count() == few


def test_the_admin_index_links_to_the_report(plan, editor_client):
    page = editor_client.get("/admin/").content.decode()
    assert 'href="/admin/assurance/"' in page


def test_the_filter_form_shows_what_was_chosen_and_all_for_a_refused_value(plan, editor_client):
    page = editor_client.get(URL, {"agency": "police", "brag": "purple"}).content.decode()
    assert '<option value="police" selected>Police</option>' in page
    assert '<option value="" selected>All BRAG states</option>' in page
    assert 'aria-invalid="true"' in page.split('name="brag"', 1)[1].split(">", 1)[0]
    # The downloads carry the filters that were used, not the refused one.
    assert 'assurance.pdf?agency=police"' in page
