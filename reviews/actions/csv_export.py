"""Writing an action plan CSV that Excel opens with correct accents and dates, and that
imports back to the same actions (docs/action-plans.md).

UTF-8 with a byte-order mark (Excel reads accents), RFC 4180 quoting and CRLF line ends,
ISO dates, and no cell a spreadsheet would read as a formula (csv_format.neutralise).
"""

import csv
import datetime
import io

from django.utils import timezone

from reviews.actions.csv_format import BOM, COLUMNS, READ_ONLY_COLUMNS, neutralise
from reviews.actions.rules import today as portal_today
from reviews.actions.selectors import actions_for_export


def action_plan_csv(*, review_slug: str | None = None, today: datetime.date | None = None) -> bytes:
    """The action plan of one review (by slug) or of every review, as the file's bytes."""
    today = today or portal_today()
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS + READ_ONLY_COLUMNS)
    for action in actions_for_export(review_slug=review_slug, today=today):
        accepted_on = (
            timezone.localdate(action.accepted_at).isoformat() if action.accepted_at else ""
        )
        cells = (
            action.review.slug,
            str(action.recommendation_number),
            action.description,
            action.owner.name,
            action.due_on.isoformat(),
            action.status,
            action.progress,
            action.evidence,
            action.brag,
            action.accepted_by_name if action.accepted_at else "",
            accepted_on,
        )
        writer.writerow([neutralise(cell) for cell in cells])
    return (BOM + out.getvalue()).encode("utf-8")


def action_plan_filename(
    *, review_slug: str | None = None, today: datetime.date | None = None
) -> str:
    today = today or portal_today()
    return f"action-plan-{review_slug or 'all-reviews'}-{today.isoformat()}.csv"
