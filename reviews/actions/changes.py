"""What the action services share: locking, saving, auditing, and creating and updating an
action once permission has been checked. Internal to reviews/actions/: the public entry
points are services.py (the admin, the demo) and plan_import.py (the CSV)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from reviews.actions.fields import (
    ActionFields,
    field_problems,
    recommendation_count,
    recommendation_problem,
)
from reviews.actions.rules import NEW_ACTION_STATUSES, Status, refused_transition, wanted_status
from reviews.models import Action, ActionAttachment, AuditEntry, Review
from reviews.records import StaleEditError, WorkflowError, audit_entry, display_name
from reviews.records import audit as review_audit

Event = AuditEntry.Action


def audit_action(event: str, *, user: AbstractBaseUser | None, action: Action, **details) -> None:
    review_audit(
        action=event,
        user=user,
        review=action.review,
        action_id=action.pk,
        recommendation=action.recommendation_number,
        position=action.position,
        **details,
    )


def lock_action(action: Action) -> Action:
    try:
        return Action.objects.select_for_update().select_related("review").get(pk=action.pk)
    except Action.DoesNotExist as error:
        raise WorkflowError("That action no longer exists.") from error


def refuse_stale(locked: Action, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        raise StaleEditError(
            "Someone else changed this action after you opened it. Reload it to see their "
            "changes, then make yours again."
        )


def refuse_problems(review: Review, fields: ActionFields) -> None:
    problems = field_problems(review, fields)
    if problems:
        raise WorkflowError("; ".join(f"{name}: {message}" for name, message in problems))


def save_action(locked: Action, **changes) -> Action:
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db(fields=["version", "updated_at"])
    return locked


def submission(user: AbstractBaseUser | None, run_by: str = "") -> dict:
    return {
        "status": Status.EVIDENCE_SUBMITTED,
        "evidence_submitted_by": user,
        "evidence_submitted_by_name": display_name(user) or run_by,
        "evidence_submitted_at": timezone.now(),
        "rejection_reason": "",
    }


def next_position(review: Review, recommendation_number: int) -> int:
    last = Action.objects.filter(
        review=review, recommendation_number=recommendation_number
    ).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def new_action(
    *,
    review: Review,
    user: AbstractBaseUser | None,
    recommendation_number: int,
    fields: ActionFields,
    status: str,
    run_by: str = "",
    position: int | None = None,
    recommendations: int | None = None,
) -> Action:
    """A checked, unsaved new action (permission already checked). `recommendations` is how
    many the review has, if the caller already counted them (an import counts once)."""
    if recommendations is None:
        recommendations = recommendation_count(review)
    problem = recommendation_problem(review, recommendation_number, recommendations)
    if problem:
        raise WorkflowError(problem[0].upper() + problem[1:] + ".")
    refuse_problems(review, fields)
    status = wanted_status(status)
    if status not in NEW_ACTION_STATUSES:
        raise WorkflowError(f"A new action cannot start as '{status}'.")
    extra = {}
    if status == Status.EVIDENCE_SUBMITTED:
        if not fields.evidence:
            raise WorkflowError("Give the evidence before submitting it.")
        extra = submission(user, run_by)
    return Action(
        review=review,
        recommendation_number=recommendation_number,
        position=position or next_position(review, recommendation_number),
        **fields.model_values(),
        **({"status": status} | extra),
    )


def create_action(**kwargs) -> Action:
    """Add an action (new_action's arguments), audited."""
    action = new_action(**kwargs)
    action.save(force_insert=True)
    audit_action(
        Event.ACTION_CREATED,
        user=kwargs["user"],
        action=action,
        status=action.status,
        run_by=kwargs.get("run_by", ""),
    )
    return action


def create_actions(actions: list[Action], *, user: AbstractBaseUser | None, run_by: str) -> None:
    """Save many checked new actions (from new_action) and their audit entries in batches:
    the same rows and entries as create_action, for an import of thousands of rows."""
    Action.objects.bulk_create(actions, batch_size=500)
    AuditEntry.objects.bulk_create(
        [
            audit_entry(
                action=Event.ACTION_CREATED,
                user=user,
                review=action.review,
                action_id=action.pk,
                recommendation=action.recommendation_number,
                position=action.position,
                status=action.status,
                run_by=run_by,
            )
            for action in actions
        ],
        batch_size=500,
    )


def update_action(
    locked: Action,
    *,
    user: AbstractBaseUser | None,
    fields: ActionFields,
    status: str,
    run_by: str = "",
) -> Action:
    """Apply an edit to a locked action; returns it unchanged (no audit) if nothing differs."""
    wanted = wanted_status(status)
    if locked.status == Status.COMPLETE and (
        status != Status.COMPLETE or fields.differs_from(locked)
    ):
        raise WorkflowError(refused_transition(Status.COMPLETE, Status.IN_PROGRESS) + ".")
    if locked.status == Status.COMPLETE:
        return locked
    refusal = refused_transition(locked.status, wanted)
    if refusal:
        raise WorkflowError(refusal[0].upper() + refusal[1:] + ".")
    refuse_problems(locked.review, fields)
    changed = [
        name
        for name in ("description", "owner", "due_on", "progress", "evidence")
        if (
            fields.owner.pk != locked.owner_id
            if name == "owner"
            else getattr(fields, name) != getattr(locked, name)
        )
    ]
    if not changed and wanted == locked.status:
        return locked
    changes = fields.model_values()
    submitting = wanted == Status.EVIDENCE_SUBMITTED and (
        locked.status != Status.EVIDENCE_SUBMITTED or "evidence" in changed
    )
    if submitting:
        # Whoever last changed the evidence under review counts as its submitter, so they
        # cannot accept it themselves.
        if not fields.evidence:
            raise WorkflowError("Give the evidence before submitting it.")
        changes |= submission(user, run_by)
    else:
        changes["status"] = wanted
    previous = locked.status
    save_action(locked, **changes)
    event = Event.ACTION_EVIDENCE_SUBMITTED if submitting else Event.ACTION_EDITED
    audit_action(
        event,
        user=user,
        action=locked,
        changed=changed,
        status_from=previous if previous != locked.status else None,
        status=locked.status,
        run_by=run_by,
    )
    return locked


def delete_files_on_commit(names: list[str]) -> None:
    storage = ActionAttachment._meta.get_field("file").storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)
