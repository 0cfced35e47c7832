"""Every change to a review's action plan, each one checked, atomic and audited.

Like the review workflow (reviews/publishing/services.py): keyword arguments only; the
acting user's permission is checked here (the admin's checks are a convenience); one
transaction holding a lock on the row; one audit entry per change; bad input raises
`WorkflowError` with a message for the user and changes nothing. The status rules are in
rules.py (and docs/action-plans.md).
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reviews.actions.attachments import attachment_check, read_capped
from reviews.actions.changes import (
    Event,
    audit_action,
    create_action,
    delete_files_on_commit,
    lock_action,
    refuse_stale,
    save_action,
    update_action,
)
from reviews.actions.fields import ActionFields
from reviews.actions.plan_import import ImportReport, action_plan_import
from reviews.actions.rules import Status
from reviews.models import Action, ActionAttachment, Review
from reviews.records import (
    PERMISSION_ACTION_ACCEPT,
    PERMISSION_ACTION_DELETE,
    PERMISSION_ACTION_EDIT,
    StaleEditError,
    WorkflowError,
    display_name,
    lock_review,
    require_permission,
    required_text,
)

__all__ = [
    "ActionFields",
    "ImportReport",
    "StaleEditError",
    "WorkflowError",
    "action_accept",
    "action_create",
    "action_delete",
    "action_evidence_submit",
    "action_plan_import",
    "action_reject",
    "action_update",
    "attachment_add",
    "attachment_remove",
]


# Actions ---------------------------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    review: Review,
    user: AbstractBaseUser,
    recommendation_number: int,
    fields: ActionFields,
    status: str = Status.NOT_STARTED,
) -> Action:
    """Add an action at the end of a recommendation's actions."""
    require_permission(user, PERMISSION_ACTION_EDIT, "add actions")
    locked_review = lock_review(review)
    return create_action(
        review=locked_review,
        user=user,
        recommendation_number=recommendation_number,
        fields=fields.cleaned(),
        status=status,
    )


@transaction.atomic
def action_update(
    *,
    action: Action,
    user: AbstractBaseUser,
    expected_version: int | None,
    fields: ActionFields,
    status: str,
) -> Action:
    """Change an action's text, owner, due date, notes, evidence and status (rules.py)."""
    require_permission(user, PERMISSION_ACTION_EDIT, "change actions")
    locked = lock_action(action)
    refuse_stale(locked, expected_version)
    return update_action(locked, user=user, fields=fields.cleaned(), status=status)


@transaction.atomic
def action_evidence_submit(
    *, action: Action, user: AbstractBaseUser, evidence: str | None = None
) -> Action:
    """Say the action is done and here is the proof; a publisher then accepts or rejects."""
    require_permission(user, PERMISSION_ACTION_EDIT, "submit evidence")
    locked = lock_action(action)
    fields = ActionFields(
        description=locked.description,
        owner=locked.owner,
        due_on=locked.due_on,
        progress=locked.progress,
        evidence=locked.evidence if evidence is None else evidence,
    ).cleaned()
    if locked.status not in (Status.NOT_STARTED, Status.IN_PROGRESS):
        raise WorkflowError(
            f"Evidence can only be submitted for an action not started or in progress; this "
            f"one is “{locked.get_status_display()}”."
        )
    return update_action(locked, user=user, fields=fields, status=Status.EVIDENCE_SUBMITTED)


def _refuse_own_evidence(locked: Action, user: AbstractBaseUser, doing: str) -> None:
    if locked.evidence_submitted_by_id is not None and locked.evidence_submitted_by_id == user.pk:
        raise WorkflowError(
            f"You submitted this evidence, so another publisher must {doing} it (four eyes)."
        )


@transaction.atomic
def action_accept(*, action: Action, user: AbstractBaseUser, note: str = "") -> Action:
    """Accept the submitted evidence: the action is complete. Never the submitter's own."""
    require_permission(user, PERMISSION_ACTION_ACCEPT, "accept evidence")
    locked = lock_action(action)
    if locked.status != Status.EVIDENCE_SUBMITTED:
        raise WorkflowError(
            f"Only submitted evidence can be accepted; this action is "
            f"“{locked.get_status_display()}”."
        )
    _refuse_own_evidence(locked, user, "accept")
    save_action(
        locked,
        status=Status.COMPLETE,
        accepted_by=user,
        accepted_by_name=display_name(user),
        accepted_at=timezone.now(),
        rejection_reason="",
    )
    audit_action(
        Event.ACTION_ACCEPTED,
        user=user,
        action=locked,
        note=note.strip(),
        submitted_by=locked.evidence_submitted_by_name,
    )
    return locked


@transaction.atomic
def action_reject(*, action: Action, user: AbstractBaseUser, reason: str) -> Action:
    """Send the evidence back, saying why: the action is in progress again."""
    require_permission(user, PERMISSION_ACTION_ACCEPT, "send evidence back")
    reason = required_text(reason, "a reason for sending the evidence back")
    locked = lock_action(action)
    if locked.status != Status.EVIDENCE_SUBMITTED:
        raise WorkflowError(
            f"Only submitted evidence can be sent back; this action is "
            f"“{locked.get_status_display()}”."
        )
    _refuse_own_evidence(locked, user, "send back")
    submitted_by = locked.evidence_submitted_by_name
    save_action(
        locked,
        status=Status.IN_PROGRESS,
        rejection_reason=reason,
        evidence_submitted_by=None,
        evidence_submitted_by_name="",
        evidence_submitted_at=None,
    )
    audit_action(
        Event.ACTION_REJECTED, user=user, action=locked, reason=reason, submitted_by=submitted_by
    )
    return locked


@transaction.atomic
def action_delete(*, action: Action, user: AbstractBaseUser) -> None:
    """Remove an action that is not complete; the later ones of its recommendation move up."""
    require_permission(user, PERMISSION_ACTION_DELETE, "delete actions")
    lock_review(action.review)
    locked = lock_action(action)
    if locked.status == Status.COMPLETE:
        raise WorkflowError("A complete action is part of the board's record and stays.")
    audit_action(
        Event.ACTION_DELETED, user=user, action=locked, description=locked.description[:200]
    )
    names = list(locked.attachments.values_list("file", flat=True))
    number, position, review = locked.recommendation_number, locked.position, locked.review
    locked.delete()
    # Positions stay 1, 2, 3... so a CSV's rows keep matching the actions they came from.
    later = Action.objects.filter(
        review=review, recommendation_number=number, position__gt=position
    ).order_by("position")
    for moved in later:
        Action.objects.filter(pk=moved.pk).update(
            position=moved.position - 1, version=F("version") + 1
        )
    delete_files_on_commit(names)


# Evidence files --------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, action: Action, user: AbstractBaseUser, upload: UploadedFile
) -> ActionAttachment:
    """Store an evidence file after checking what its content is (attachments.py)."""
    require_permission(user, PERMISSION_ACTION_EDIT, "add evidence files")
    checked = attachment_check(name=upload.name or "", data=read_capped(upload))
    locked = lock_action(action)
    if locked.status == Status.COMPLETE:
        raise WorkflowError("The action is complete; its evidence can no longer change.")
    attachment = ActionAttachment(
        action=locked,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
        uploaded_by_name=display_name(user),
    )
    attachment.file.save("evidence", ContentFile(checked.data), save=False)
    try:
        attachment.save()
        audit_action(
            Event.ACTION_ATTACHMENT_ADDED,
            user=user,
            action=locked,
            file=checked.original_name,
            sha256=checked.sha256,
            size=checked.size,
        )
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: ActionAttachment, user: AbstractBaseUser) -> None:
    require_permission(user, PERMISSION_ACTION_EDIT, "remove evidence files")
    locked = lock_action(attachment.action)
    if locked.status == Status.COMPLETE:
        raise WorkflowError("The action is complete; its evidence can no longer change.")
    try:
        row = ActionAttachment.objects.select_for_update().get(pk=attachment.pk, action=locked)
    except ActionAttachment.DoesNotExist as error:
        raise WorkflowError("That file has already been removed.") from error
    audit_action(
        Event.ACTION_ATTACHMENT_REMOVED,
        user=user,
        action=locked,
        file=row.original_name,
        sha256=row.sha256,
    )
    name = row.file.name
    row.delete()
    delete_files_on_commit([name])
