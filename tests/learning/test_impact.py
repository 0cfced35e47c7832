"""The reach and impact report (/admin/impact/): figures per review, theme and agency, the
chart over time, the quotes staff let through, filters, CSV, and constant queries."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.impact.selectors import ImpactFilters, impact_report
from learning.returns.models import DiscussionReturn, UseCode
from tests.factories import (
    AgencyFactory,
    LearningPointFactory,
    ReviewFactory,
    StaffUserFactory,
    SuperuserFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

URL = "/admin/impact/"
_codes = itertools.count()


def use_code(*, review=None, theme=None, kind=UseCode.Kind.DISCUSSION_SHEET) -> UseCode:
    number = next(_codes)
    return UseCode.objects.create(
        code=f"TEST{number:04d}"[:8],
        kind=kind,
        review=review,
        theme=theme,
        snapshot={},
        digest=f"{number:064d}",
    )


def a_return(code, *, agency=None, other="", people=5, on=datetime.date(2026, 3, 10),
             status=DiscussionReturn.Status.VISIBLE, changed=None, text="Ask who else lives there.",
             team="Team"):  # fmt: skip
    return DiscussionReturn.objects.create(
        use_code=code,
        review=code.review,
        discussed_on=on,
        team_name=team,
        agency=agency,
        agency_other=other,
        participants=people,
        different=text,
        status=status,
        follow_up_answered_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
        if changed
        else None,
        practice_changed=changed,
    )


@pytest.fixture
def returns():
    """Baby C (theme: safe sleep) discussed three times, Child D (neglect) once, and a theme
    sheet on neglect once; one return held, one rejected."""
    safe_sleep = ThemeFactory(name="Safe sleep", slug="safe-sleep")
    neglect = ThemeFactory(name="Neglect", slug="neglect")
    baby_c = ReviewFactory(title="Baby C", slug="baby-c")
    child_d = ReviewFactory(title="Child D", slug="child-d")
    LearningPointFactory(review=baby_c, themes=[safe_sleep])
    LearningPointFactory(review=child_d, themes=[neglect])
    police, health = AgencyFactory(name="Police"), AgencyFactory(name="Health visiting")
    sheet_c, sheet_d = use_code(review=baby_c), use_code(review=child_d)
    theme_sheet = use_code(theme=neglect, kind=UseCode.Kind.THEME_SHEET)
    yes, no = DiscussionReturn.PracticeChanged.YES, DiscussionReturn.PracticeChanged.NO
    a_return(sheet_c, agency=police, people=6, changed=yes, on=datetime.date(2026, 1, 5))
    a_return(sheet_c, agency=health, people=4, changed=no, on=datetime.date(2026, 3, 2))
    a_return(sheet_c, other="Youth club", people=3, status=DiscussionReturn.Status.HELD,
             text="Held words", on=datetime.date(2026, 3, 20))  # fmt: skip
    a_return(sheet_c, agency=police, people=50, status=DiscussionReturn.Status.REJECTED,
             text="Spam words")  # fmt: skip
    a_return(sheet_d, agency=police, people=8, on=datetime.date(2026, 3, 9))
    a_return(theme_sheet, agency=health, people=2, changed=yes, on=datetime.date(2026, 4, 1))
    return {"baby_c": baby_c, "child_d": child_d, "police": police, "health": health,
            "neglect": neglect, "safe_sleep": safe_sleep}  # fmt: skip


@pytest.fixture
def viewer_client(client):
    client.force_login(SuperuserFactory(username="board-officer"))
    return client


def figures(line):
    return (line.label, line.discussions, line.people, line.agencies_reached, line.answered,
            line.changed)  # fmt: skip


def test_figures_per_review_theme_and_agency_count_every_return_but_rejected_ones(returns):
    report = impact_report(filters=ImpactFilters())
    assert figures(report.total) == ("All", 5, 23, 3, 3, 2)
    assert [figures(line) for line in report.by_review] == [
        ("Baby C", 3, 13, 3, 2, 1),
        ("Child D", 1, 8, 1, 0, 0),
        ("No review (a theme sheet or a deleted review)", 1, 2, 1, 1, 1),
    ]
    # Neglect: Child D's sheet and the neglect theme sheet.
    assert [figures(line) for line in report.by_theme] == [
        ("Safe sleep", 3, 13, 3, 2, 1),
        ("Neglect", 2, 10, 2, 1, 1),
    ]
    assert [figures(line) for line in report.by_agency] == [
        ("Health visiting", 2, 6, 1, 2, 1),
        ("Police", 2, 14, 1, 1, 1),
        ("Other (named by the team)", 1, 3, 1, 0, 0),
    ]
    assert report.total.changed_share == 67
    assert report.held == 1


def test_months_run_without_gaps_from_the_first_discussion_to_the_last(returns):
    report = impact_report(filters=ImpactFilters())
    assert report.months == [
        (datetime.date(2026, 1, 1), 1),
        (datetime.date(2026, 2, 1), 0),
        (datetime.date(2026, 3, 1), 3),
        (datetime.date(2026, 4, 1), 1),
    ]


def test_quotes_show_only_returns_staff_let_through(returns, viewer_client):
    page = viewer_client.get(URL).content.decode()
    assert "Ask who else lives there." in page
    assert "Held words" not in page and "Spam words" not in page
    assert "1 return counted here is held for the privacy check" in page


def test_filters_narrow_figures_and_quotes(returns, viewer_client):
    response = viewer_client.get(URL, {"theme": "neglect"})
    assert response.context["report"].total.discussions == 2
    assert response.context["quotes"].paginator.count == 2
    response = viewer_client.get(URL, {"agency": "police", "review": "baby-c"})
    assert response.context["report"].total.discussions == 1
    response = viewer_client.get(URL, {"since": "2026-03-01", "until": "2026-03-31"})
    assert response.context["report"].total.discussions == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"review": "nope"}, "There is no review “nope”"),
        ({"theme": "<b>"}, "There is no theme “&lt;b&gt;”"),
        ({"since": "2026-02-30"}, "Enter a real date as YYYY-MM-DD"),
        ({"since": "2026-05-01", "until": "2026-01-01"}, "is before"),
    ],
)
def test_bad_filters_get_a_clear_message_not_an_error(returns, viewer_client, params, message):
    response = viewer_client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_bad_page_number_shows_a_page_not_an_error(returns, viewer_client):
    assert viewer_client.get(URL, {"page": "x"}).status_code == 200
    assert viewer_client.get(URL, {"page": "99999"}).status_code == 200


def test_quotes_are_paginated_twenty_to_a_page(returns, viewer_client):
    code = use_code(review=returns["child_d"])
    for n in range(25):
        a_return(code, agency=returns["police"], text=f"Quote {n}")
    response = viewer_client.get(URL)
    assert len(response.context["quotes"].object_list) == 20
    assert 'rel="next"' in response.content.decode()


def test_the_chart_and_its_table_are_on_the_page(returns, viewer_client):
    page = viewer_client.get(URL).content.decode()
    assert '<svg class="chart"' in page and 'role="img"' in page
    assert "<caption>Discussions per month</caption>" in page


def test_text_typed_by_teams_is_escaped_everywhere(returns, viewer_client):
    code = use_code(review=returns["baby_c"])
    a_return(code, other="<script>x</script>", team="<img src=x>", text="<b>bold</b>")
    page = viewer_client.get(URL).content.decode()
    assert "<script>x" not in page and "<img src=x>" not in page and "<b>bold" not in page


def test_the_csv_downloads_are_safe_for_spreadsheets(returns, viewer_client):
    code = use_code(review=returns["baby_c"])
    a_return(code, agency=returns["police"], text="=cmd|' /C calc'!A0", team="+Team")
    text = viewer_client.get(URL + "impact.csv", {"table": "quotes"}).content.decode()
    assert text.startswith("\ufeffdiscussed on,review,agency,team,participants,what we will do")
    assert "'=cmd" in text and "'+Team" in text and "Held words" not in text
    text = viewer_client.get(URL + "impact.csv", {"table": "reviews"}).content.decode()
    assert "\r\nBaby C,4,18,3,2,1,50\r\n" in text
    text = viewer_client.get(URL + "impact.csv", {"table": "months"}).content.decode()
    assert "2026-02,0" in text


def test_staff_without_permission_are_refused_and_visitors_sent_to_sign_in(returns, client):
    assert client.get(URL).status_code == 302
    client.force_login(StaffUserFactory(username="no-role"))
    assert client.get(URL).status_code == 403


def test_queries_do_not_grow_with_the_number_of_returns(returns, viewer_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert viewer_client.get(URL).status_code == 200
        return len(queries)

    few = count()
    agencies = [AgencyFactory(name=f"Agency {n}") for n in range(4)]
    codes = [use_code(review=returns["baby_c"]), use_code(review=returns["child_d"])]
    for n in range(60):
        a_return(codes[n % 2], agency=agencies[n % 4], on=datetime.date(2025, 1 + n % 12, 1),
                 changed=DiscussionReturn.PracticeChanged.PARTLY if n % 3 else None)  # fmt: skip
    assert count() == few


def test_the_quote_count_taken_from_the_figures_matches_a_count_of_the_quotes(returns):
    from learning.impact.selectors import impact_quotes

    for filters in (ImpactFilters(), ImpactFilters(agency=returns["police"]),
                    ImpactFilters(theme=returns["neglect"])):  # fmt: skip
        report = impact_report(filters=filters)
        told = impact_quotes(filters=filters, page=1, report=report).paginator.count
        counted = impact_quotes(filters=filters, page=1).paginator.count
        assert told == counted
