"""BRAG is computed on the day, the same in SQL and in Python, at every boundary."""

import datetime

import pytest

from reviews.models import BRAG_AMBER, BRAG_BLUE, BRAG_GREEN, BRAG_RED, Action
from tests.reviews.actions.helpers import add_action, completed, plan_review

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("due_in_days", "expected"),
    [
        (-1, BRAG_RED),
        (0, BRAG_AMBER),
        (27, BRAG_AMBER),
        (28, BRAG_GREEN),
        (400, BRAG_GREEN),
    ],
)
def test_brag_of_an_open_action_depends_on_its_due_date_only(editor, due_in_days, expected):
    review = plan_review()
    action = add_action(review, by=editor)
    Action.objects.filter(pk=action.pk).update(due_on=TODAY + datetime.timedelta(due_in_days))
    action.refresh_from_db()

    assert action.brag_on(TODAY) == expected
    assert Action.objects.with_brag(TODAY).get(pk=action.pk).brag == expected
    assert list(Action.objects.brag_filter(expected, TODAY)) == [action]


def test_a_complete_action_is_blue_even_when_its_due_date_has_passed(editor, publisher):
    review = plan_review()
    action = completed(review, by=editor, accepted_by=publisher)
    Action.objects.filter(pk=action.pk).update(due_on=TODAY - datetime.timedelta(days=30))
    action.refresh_from_db()

    assert action.brag_on(TODAY) == BRAG_BLUE
    assert Action.objects.with_brag(TODAY).get(pk=action.pk).brag == BRAG_BLUE


def test_evidence_awaiting_acceptance_is_not_blue(editor):
    from tests.reviews.actions.helpers import submitted

    action = submitted(plan_review(), by=editor)
    action.refresh_from_db()
    Action.objects.filter(pk=action.pk).update(due_on=TODAY - datetime.timedelta(days=1))

    assert Action.objects.with_brag(TODAY).get(pk=action.pk).brag == BRAG_RED


def test_reports_can_count_actions_by_brag_in_one_query(editor, django_assert_num_queries):
    from django.db.models import Count

    review = plan_review()
    for days in (-3, 0, 5, 60):
        action = add_action(review, by=editor)
        Action.objects.filter(pk=action.pk).update(due_on=TODAY + datetime.timedelta(days))

    with django_assert_num_queries(1):
        counts = dict(
            Action.objects.with_brag(TODAY)
            .values("brag")
            .annotate(n=Count("id"))
            .values_list("brag", "n")
        )
    assert counts == {BRAG_RED: 1, BRAG_AMBER: 2, BRAG_GREEN: 1}
