"""Reading an action plan CSV and checking every row against the database, writing nothing.

services.action_plan_import writes what this plans, all or nothing. Each problem is one
line, `file:line: column: message`, the line being where the row starts in the file (a
cell may span lines). Rows are matched to actions by review, recommendation and order: the
second row for recommendation 3 of a review is that recommendation's second action.
"""

import csv
import dataclasses
import datetime
import io
import re
from collections import defaultdict

from django.conf import settings
from django.db.models import Count

from reviews.actions.csv_format import COLUMNS, READ_ONLY_COLUMNS, unneutralise
from reviews.actions.fields import (
    ActionFields,
    did_you_mean,
    field_problems,
    plain_text,
    recommendation_problem,
)
from reviews.actions.rules import Status, refused_transition, wanted_status
from reviews.models import Action, Agency, Review

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 10_000
MAX_PROBLEMS = 200
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
STATUS_VALUES = tuple(Status.values)


class ActionPlanError(Exception):
    """The file was refused; `problems` lists every reason, one `file:line: ...` each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclasses.dataclass
class PlanRow:
    line: int
    review: Review
    recommendation_number: int
    fields: ActionFields
    status: str


@dataclasses.dataclass
class Step:
    row: PlanRow
    action: Action | None  # None: a new action, at `position`
    position: int | None = None


class _Problems(list):
    def __init__(self, filename: str) -> None:
        super().__init__()
        self.filename = filename

    def add(self, line: int, message: str, column: str | None = None) -> None:
        if len(self) >= MAX_PROBLEMS:
            return
        where = f"{self.filename}:{line}: " + (f"{column}: " if column else "")
        self.append(where + message)
        if len(self) == MAX_PROBLEMS:
            self.append(f"{self.filename}: stopped after {MAX_PROBLEMS} problems")


def _limits() -> tuple[int, int]:
    return (
        int(getattr(settings, "ACTION_PLAN_MAX_BYTES", DEFAULT_MAX_BYTES)),
        int(getattr(settings, "ACTION_PLAN_MAX_ROWS", DEFAULT_MAX_ROWS)),
    )


def _text(data: bytes, problems: _Problems) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(line, "the file is not UTF-8 text (in Excel, save it as “CSV UTF-8”)")
        return None


def _records(text: str, problems: _Problems):
    """(first line, cells) for each record of the file."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        problems.add(start, f"not valid CSV ({error})")


def _header_problem(cells: list[str]) -> str | None:
    names = [cell.strip().lower() for cell in cells]
    if names in (list(COLUMNS), list(COLUMNS + READ_ONLY_COLUMNS)):
        return None
    expected = ",".join(COLUMNS)
    for index, column in enumerate(COLUMNS):
        if index >= len(names) or names[index] != column:
            found = f"'{cells[index]}'" if index < len(cells) else "nothing"
            return (
                f"the first row must name the columns {expected}; column {index + 1} "
                f"should be '{column}', not {found}"
            )
    return (
        f"the first row must name the columns {expected} and nothing else (an export's "
        f"{','.join(READ_ONLY_COLUMNS)} may follow them)"
    )


class _Lookups:
    """Reviews, agencies and recommendation counts, each read once for the whole file."""

    def __init__(self) -> None:
        reviews = Review.objects.working_copies().annotate(
            recommendation_total=Count("recommendations")
        )
        self.reviews = {review.slug: review for review in reviews}
        agencies = list(Agency.objects.all())
        self.agencies = {agency.name: agency for agency in agencies}
        self.agencies_folded: dict[str, list[Agency]] = defaultdict(list)
        for agency in agencies:
            self.agencies_folded[agency.name.casefold()].append(agency)

    def agency(self, name: str) -> Agency | None:
        if name in self.agencies:
            return self.agencies[name]
        same = self.agencies_folded.get(name.casefold(), [])
        return same[0] if len(same) == 1 else None


def _row(
    line: int, cells: dict[str, str], lookups: _Lookups, problems: _Problems
) -> PlanRow | None:
    before = len(problems)
    for column in COLUMNS:
        if column not in ("progress", "evidence") and not cells[column]:
            problems.add(line, "this column cannot be empty", column)
    if len(problems) > before:
        return None

    review = lookups.reviews.get(cells["review"])
    if review is None:
        hint = did_you_mean(cells["review"], list(lookups.reviews))
        problems.add(line, f"unknown review '{cells['review']}'{hint}", "review")
    number = None
    if not cells["recommendation"].isdigit():
        problems.add(
            line, f"'{cells['recommendation']}' is not a recommendation number", "recommendation"
        )
    elif review is not None:
        number = int(cells["recommendation"])
        problem = recommendation_problem(review, number, review.recommendation_total)
        if problem:
            problems.add(line, problem, "recommendation")
    owner = lookups.agency(cells["owner"])
    if owner is None:
        hint = did_you_mean(cells["owner"], list(lookups.agencies))
        problems.add(line, f"unknown agency '{cells['owner']}'{hint}", "owner")
    due_on = None
    if not ISO_DATE.fullmatch(cells["due"]):
        problems.add(line, f"'{cells['due']}' is not a date written YYYY-MM-DD", "due")
    else:
        try:
            due_on = datetime.date.fromisoformat(cells["due"])
        except ValueError:
            problems.add(line, f"{cells['due']} is not a date that exists", "due")
    status = cells["status"]
    if status not in STATUS_VALUES:
        problems.add(
            line,
            f"unknown status '{status}' (use {', '.join(STATUS_VALUES[:-1])} or "
            f"{STATUS_VALUES[-1]})",
            "status",
        )
    elif wanted_status(status) == Status.EVIDENCE_SUBMITTED and not cells["evidence"]:
        problems.add(line, f"an action marked '{status}' needs its evidence", "evidence")
    if len(problems) > before or review is None or owner is None or due_on is None:
        return None
    fields = ActionFields(
        description=cells["action"],
        owner=owner,
        due_on=due_on,
        progress=cells["progress"],
        evidence=cells["evidence"],
    )
    for column, message in field_problems(review, fields):
        problems.add(line, message, column)
    if len(problems) > before:
        return None
    return PlanRow(
        line=line, review=review, recommendation_number=number, fields=fields, status=status
    )


def read_action_plan(*, filename: str, data: bytes) -> list[PlanRow]:
    """Every row of the file, checked on its own; raises ActionPlanError on any problem."""
    problems = _Problems(filename)
    max_bytes, max_rows = _limits()
    if len(data) > max_bytes:
        raise ActionPlanError(
            [f"{filename}: the file is larger than {max_bytes // 1_048_576} MB; split it"]
        )
    text = _text(data, problems)
    if text is None:
        raise ActionPlanError(problems)
    records = _records(text, problems)
    first = next(records, None)
    if first is None:
        raise ActionPlanError(problems or [f"{filename}:1: the file is empty"])
    header_problem = _header_problem(first[1])
    if header_problem:
        problems.add(first[0], header_problem)
        raise ActionPlanError(problems)
    width = len(first[1])
    lookups = _Lookups()
    rows: list[PlanRow] = []
    count = 0
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > max_rows:
            problems.add(line, f"more than {max_rows:,} rows; split the file")
            break
        if len(cells) != width:
            problems.add(line, f"{len(cells)} cells where the first row names {width} columns")
            continue
        values = {column: unneutralise(cells[index]) for index, column in enumerate(COLUMNS)}
        values = {
            column: plain_text(value)
            if column in ("action", "progress", "evidence")
            else value.strip()
            for column, value in values.items()
        }
        row = _row(line, values, lookups, problems)
        if row is not None:
            rows.append(row)
    if problems:
        raise ActionPlanError(problems)
    if not rows:
        raise ActionPlanError([f"{filename}:2: the file has no actions"])
    return rows


def plan_changes(*, filename: str, rows: list[PlanRow]) -> list[Step]:
    """What importing `rows` does to each action; raises ActionPlanError if a row may not.

    Call it in a transaction: it locks the actions of every review in the file."""
    problems = _Problems(filename)
    reviews = {row.review.pk: row.review for row in rows}
    existing: dict[tuple[int, int], list[Action]] = defaultdict(list)
    # Locked until the import's transaction ends: what is planned here is what is written.
    actions = (
        Action.objects.select_for_update()
        .filter(review__in=list(reviews))
        .order_by("review_id", "recommendation_number", "position")
    )
    for action in actions:
        action.review = reviews[action.review_id]
        existing[(action.review_id, action.recommendation_number)].append(action)
    seen: dict[tuple[int, int], int] = defaultdict(int)
    steps = []
    for row in rows:
        key = (row.review.pk, row.recommendation_number)
        index = seen[key]
        seen[key] += 1
        actions = existing[key]
        if index >= len(actions):
            last = actions[-1].position if actions else 0
            steps.append(Step(row=row, action=None, position=last + index - len(actions) + 1))
            continue
        action = actions[index]
        if action.status == Status.COMPLETE:
            if row.status != Status.COMPLETE or row.fields.differs_from(action):
                problems.add(
                    row.line,
                    "this action is complete (its evidence was accepted), so it cannot change",
                    "status" if row.status != Status.COMPLETE else None,
                )
                continue
        else:
            refusal = refused_transition(action.status, wanted_status(row.status))
            if refusal:
                problems.add(row.line, refusal, "status")
                continue
        steps.append(Step(row=row, action=action))
    if problems:
        raise ActionPlanError(problems)
    return steps
