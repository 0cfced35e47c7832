"""The action services: status rules, four eyes, stale edits, audit, bad input."""

import pytest
from django.core.exceptions import PermissionDenied

from reviews.actions import services
from reviews.actions.rules import EDIT_TRANSITIONS, Status
from reviews.models import Action, AuditEntry
from tests.reviews.actions.helpers import (
    add_action,
    completed,
    fields,
    in_days,
    plan_review,
    submitted,
)
from tests.reviews.workflow_helpers import superuser, user_in

pytestmark = pytest.mark.django_db


def update(action, *, by, status=None, **kw):
    action.refresh_from_db()
    current = dict(
        description=action.description,
        owner=action.owner.name,
        due_on=action.due_on,
        progress=action.progress,
        evidence=action.evidence,
    )
    return services.action_update(
        action=action,
        user=by,
        expected_version=action.version,
        fields=fields(**(current | kw)),
        status=status or action.status,
    )


def test_actions_are_numbered_within_their_recommendation(editor):
    review = plan_review()
    first = add_action(review, by=editor, recommendation=2)
    second = add_action(review, by=editor, recommendation=2)
    other = add_action(review, by=editor, recommendation=1)

    assert (first.position, second.position, other.position) == (1, 2, 1)
    assert first.status == Status.NOT_STARTED
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.ACTION_CREATED).first()
    assert entry.review_id == review.pk and entry.details["recommendation"] == 1


def test_an_action_for_a_recommendation_the_review_does_not_have_is_refused(editor):
    review = plan_review()
    with pytest.raises(services.WorkflowError, match="there is no recommendation 3"):
        add_action(review, by=editor, recommendation=3)
    assert not Action.objects.exists()


def test_a_due_date_before_the_review_existed_is_refused(editor):
    review = plan_review()
    with pytest.raises(services.WorkflowError, match="before the review existed"):
        add_action(review, by=editor, due_on=in_days(-1))


def test_an_empty_or_overlong_action_text_is_refused(editor):
    review = plan_review()
    with pytest.raises(services.WorkflowError, match="say what will be done"):
        add_action(review, by=editor, description="   ")
    with pytest.raises(services.WorkflowError, match="at most 2,000 characters"):
        add_action(review, by=editor, description="x" * 2001)


def test_an_edit_from_an_older_version_is_refused_as_stale(editor):
    action = add_action(plan_review(), by=editor)
    old_version = action.version
    update(action, by=editor, progress="Started the audit")

    with pytest.raises(services.StaleEditError):
        services.action_update(
            action=action,
            user=editor,
            expected_version=old_version,
            fields=fields(progress="Something else"),
            status=Status.IN_PROGRESS,
        )
    action.refresh_from_db()
    assert action.progress == "Started the audit"


def test_an_edit_that_changes_nothing_writes_nothing(editor):
    action = add_action(plan_review(), by=editor)
    version = action.version
    update(action, by=editor)
    action.refresh_from_db()
    assert action.version == version
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACTION_EDITED).exists()


def test_line_breaks_from_forms_are_stored_one_way(editor):
    action = add_action(plan_review(), by=editor, progress="one\r\ntwo\rthree\n")
    assert action.progress == "one\ntwo\nthree"


@pytest.mark.parametrize(
    ("start", "wanted", "allowed"),
    [
        (Status.NOT_STARTED, Status.IN_PROGRESS, True),
        (Status.IN_PROGRESS, Status.NOT_STARTED, True),
        (Status.IN_PROGRESS, Status.EVIDENCE_SUBMITTED, True),
        (Status.EVIDENCE_SUBMITTED, Status.IN_PROGRESS, False),
        (Status.EVIDENCE_SUBMITTED, Status.NOT_STARTED, False),
    ],
)
def test_edits_follow_the_status_rules(editor, start, wanted, allowed):
    review = plan_review()
    action = add_action(review, by=editor, status=start, evidence="The report")
    assert (wanted in EDIT_TRANSITIONS[start]) is allowed
    if allowed:
        assert update(action, by=editor, status=wanted).status == wanted
    else:
        with pytest.raises(services.WorkflowError, match="a publisher accepts it or sends it back"):
            update(action, by=editor, status=wanted)


def test_an_edit_cannot_make_an_action_complete(editor):
    action = add_action(plan_review(), by=editor, status=Status.IN_PROGRESS)
    updated = update(action, by=editor, status=Status.COMPLETE, evidence="The report")
    assert updated.status == Status.EVIDENCE_SUBMITTED
    assert updated.evidence_submitted_by == editor


def test_submitting_needs_evidence(editor):
    action = add_action(plan_review(), by=editor)
    with pytest.raises(services.WorkflowError, match="Give the evidence"):
        services.action_evidence_submit(action=action, user=editor)
    done = services.action_evidence_submit(action=action, user=editor, evidence="Minutes")
    assert done.status == Status.EVIDENCE_SUBMITTED
    assert done.evidence_submitted_by_name == "edith"


def test_a_second_person_accepts_evidence_and_the_action_is_complete(editor, publisher):
    action = submitted(plan_review(), by=editor)
    accepted = services.action_accept(action=action, user=publisher, note="Seen the audit")

    assert accepted.status == Status.COMPLETE
    assert accepted.accepted_by == publisher and accepted.accepted_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACTION_ACCEPTED)
    assert entry.user == publisher
    assert entry.details["note"] == "Seen the audit"
    assert entry.details["submitted_by"] == "edith"


def test_whoever_submitted_the_evidence_cannot_accept_or_reject_it(publisher):
    action = submitted(plan_review(), by=publisher)
    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.action_accept(action=action, user=publisher)
    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.action_reject(action=action, user=publisher, reason="Not enough")
    action.refresh_from_db()
    assert action.status == Status.EVIDENCE_SUBMITTED


def test_superusers_are_held_to_four_eyes_too():
    boss = superuser("root")
    action = submitted(plan_review(), by=boss)
    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.action_accept(action=action, user=boss)


def test_changing_submitted_evidence_makes_the_editor_its_submitter(editor, publisher):
    action = submitted(plan_review(), by=editor)
    update(action, by=publisher, evidence="A better report")
    with pytest.raises(services.WorkflowError, match="four eyes"):
        services.action_accept(action=action, user=publisher)
    assert services.action_accept(action=action, user=user_in("Publisher", "paula")).status == (
        Status.COMPLETE
    )


def test_rejection_needs_a_reason_and_sends_the_action_back_in_progress(editor, publisher):
    action = submitted(plan_review(), by=editor)
    with pytest.raises(services.WorkflowError, match="Give a reason"):
        services.action_reject(action=action, user=publisher, reason="  ")

    rejected = services.action_reject(action=action, user=publisher, reason="No dates on it")
    assert rejected.status == Status.IN_PROGRESS
    assert rejected.rejection_reason == "No dates on it"
    assert rejected.evidence_submitted_by is None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACTION_REJECTED)
    assert (entry.user, entry.details["reason"]) == (publisher, "No dates on it")


def test_only_submitted_evidence_can_be_accepted(editor, publisher):
    action = add_action(plan_review(), by=editor)
    with pytest.raises(services.WorkflowError, match="Only submitted evidence"):
        services.action_accept(action=action, user=publisher)


def test_a_complete_action_is_closed(editor, publisher, second_publisher):
    action = completed(plan_review(), by=editor, accepted_by=publisher)
    with pytest.raises(services.WorkflowError, match="complete"):
        update(action, by=editor, progress="More notes")
    with pytest.raises(services.WorkflowError, match="complete"):
        update(action, by=editor, status=Status.IN_PROGRESS)
    with pytest.raises(services.WorkflowError, match="Only submitted evidence"):
        services.action_reject(action=action, user=second_publisher, reason="Changed my mind")
    with pytest.raises(services.WorkflowError, match="stays"):
        services.action_delete(action=action, user=publisher)


def test_deleting_an_action_moves_the_later_ones_up(editor):
    review = plan_review()
    first, second, third = (add_action(review, by=editor) for _ in range(3))
    services.action_delete(action=second, user=editor)

    positions = list(Action.objects.filter(review=review).values_list("pk", "position"))
    assert positions == [(first.pk, 1), (third.pk, 2)]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACTION_DELETED).count() == 1


class TestPermissions:
    def test_staff_without_a_role_cannot_add_or_change_actions(self, editor):
        nobody = user_in(None, "visitor")
        review = plan_review()
        with pytest.raises(PermissionDenied):
            add_action(review, by=nobody)
        action = add_action(review, by=editor)
        with pytest.raises(PermissionDenied):
            update(action, by=nobody, progress="x")
        with pytest.raises(PermissionDenied):
            services.action_delete(action=action, user=nobody)

    def test_editors_cannot_accept_or_reject_evidence(self, editor):
        other_editor = user_in("Editor", "eddie")
        action = submitted(plan_review(), by=editor)
        with pytest.raises(PermissionDenied):
            services.action_accept(action=action, user=other_editor)
        with pytest.raises(PermissionDenied):
            services.action_reject(action=action, user=other_editor, reason="No")

    def test_publishers_may_do_what_editors_do(self, publisher):
        action = add_action(plan_review(), by=publisher)
        assert update(action, by=publisher, status=Status.IN_PROGRESS).status == (
            Status.IN_PROGRESS
        )

    def test_the_roles_have_the_action_permissions(self, editor, publisher):
        assert editor.has_perm("reviews.change_action")
        assert not editor.has_perm("reviews.accept_action")
        assert publisher.has_perm("reviews.change_action")
        assert publisher.has_perm("reviews.accept_action")

    def test_an_inactive_publisher_cannot_accept(self, editor):
        gone = user_in("Publisher", "gone", is_active=False)
        action = submitted(plan_review(), by=editor)
        with pytest.raises(PermissionDenied):
            services.action_accept(action=action, user=gone)
