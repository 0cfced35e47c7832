"""Importing an action plan CSV: every row through the same changes as the admin's, or none."""

import dataclasses
from collections import Counter

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from reviews.actions import csv_import
from reviews.actions.changes import Event, create_actions, new_action, update_action
from reviews.records import PERMISSION_ACTION_EDIT, WorkflowError, lock_review, require_permission
from reviews.records import audit as review_audit

# The CSV action plan ---------------------------------------------------------------------


@dataclasses.dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} action{'s' if self.created != 1 else ''} added, "
            f"{self.updated} updated, {self.unchanged} unchanged."
        )


@transaction.atomic
def action_plan_import(
    *,
    filename: str,
    data: bytes,
    user: AbstractBaseUser | None,
    run_by: str = "",
) -> ImportReport:
    """Import an action plan CSV (docs/action-plans.md): every row, or none.

    Raises csv_import.ActionPlanError listing `file:line: column: message` for every
    problem; nothing is written. `user` is None only from the command line, where `run_by`
    names who ran it for the audit log.
    """
    if user is not None:
        require_permission(user, PERMISSION_ACTION_EDIT, "import action plans")
    run_by = "" if user is not None else (run_by or "the command line")
    rows = csv_import.read_action_plan(filename=filename, data=data)
    reviews = {row.review.pk: row.review for row in rows}
    for review in sorted(reviews.values(), key=lambda review: review.pk):
        lock_review(review)
    plan = csv_import.plan_changes(filename=filename, rows=rows)
    report = ImportReport()
    problems = []
    new_actions = []
    for step in plan:
        try:
            if step.action is None:
                new_actions.append(_new(step, user=user, run_by=run_by))
            else:
                _update(step, user=user, run_by=run_by, report=report)
        except WorkflowError as error:
            problems.extend(f"{filename}:{step.row.line}: {message}" for message in error.messages)
    if problems:
        raise csv_import.ActionPlanError(problems)  # rolls back every row written
    create_actions(new_actions, user=user, run_by=run_by)
    report.created = len(new_actions)
    rows_per_review = Counter(row.review.pk for row in rows)
    for review in reviews.values():
        review_audit(
            action=Event.ACTION_PLAN_IMPORTED,
            user=user,
            review=review,
            file=filename,
            run_by=run_by,
            rows=rows_per_review[review.pk],
        )
    return report


def _new(step: csv_import.Step, *, user: AbstractBaseUser | None, run_by: str):
    return new_action(
        review=step.row.review,
        user=user,
        recommendation_number=step.row.recommendation_number,
        fields=step.row.fields,
        status=step.row.status,
        run_by=run_by,
        position=step.position,
        recommendations=step.row.review.recommendation_total,
    )


def _update(
    step: csv_import.Step, *, user: AbstractBaseUser | None, run_by: str, report: ImportReport
) -> None:
    locked = step.action  # locked by plan_changes
    version = locked.version
    update_action(locked, user=user, fields=step.row.fields, status=step.row.status, run_by=run_by)
    if locked.version == version:
        report.unchanged += 1
    else:
        report.updated += 1
