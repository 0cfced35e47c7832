"""A review tree as data, and back: the one place that knows what a review is made of.

`serialize_review` turns a review with all its child rows into a JSON-ready snapshot;
`restore_review` writes a snapshot onto a review row, replacing every child row. Revisions
store snapshots; reverting restores one onto the working copy; publishing restores the
signed-off one onto the live copy. `diff_snapshots` (diff.py) says, in the board's words,
what changed between two snapshots.

What is copied is derived from the models: every editable field and many-to-many relation
of the review and its child rows. A field added to a model later is therefore copied and
published without anyone remembering to add it here; workflow fields are `editable=False`
and stay with their row.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models

from reviews.models import (
    AnalysisFinding,
    ChronologyEvent,
    DiscussionPrompt,
    LearningPoint,
    Recommendation,
    Review,
)

SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class Children:
    """Child rows reached from a parent row through `accessor`, in position order."""

    accessor: str
    model: type[models.Model]
    parent_field: str
    label: str
    children: tuple["Children", ...] = ()


TREE = (
    Children("chronology_events", ChronologyEvent, "review", "Chronology event"),
    Children("findings", AnalysisFinding, "review", "Analysis finding"),
    Children("recommendations", Recommendation, "review", "Recommendation"),
    Children(
        "learning_points",
        LearningPoint,
        "review",
        "Learning point",
        children=(Children("prompts", DiscussionPrompt, "learning_point", "Prompt"),),
    ),
)

# Left out of the public copy when a review is published as "improvements only".
PRIVATE_WHEN_IMPROVEMENTS_ONLY = {"chronology_events"}


def copied_fields(model: type[models.Model], parent_field: str | None = None):
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or not model_field.editable:
            continue
        if parent_field and model_field.name == parent_field:
            continue
        yield model_field


def copied_relations(model: type[models.Model]):
    return [relation for relation in model._meta.many_to_many if relation.editable]


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _through(relation: models.ManyToManyField) -> tuple[type[models.Model], str, str]:
    """A many-to-many relation's link table, with its source and target id columns."""
    through = relation.remote_field.through
    source = through._meta.get_field(relation.m2m_field_name()).attname
    target = through._meta.get_field(relation.m2m_reverse_field_name()).attname
    return through, source, target


def _serialize_rows(rows: list[models.Model], parent_field: str | None, children) -> list[dict]:
    """Rows of one model, serialized together: one query per relation and child model."""
    if not rows:
        return []
    model = type(rows[0])
    ids = [row.pk for row in rows]
    data = [
        {
            model_field.attname: _to_json(getattr(row, model_field.attname))
            for model_field in copied_fields(model, parent_field)
        }
        for row in rows
    ]
    for relation in copied_relations(model):
        through, source, target = _through(relation)
        linked: dict[Any, list] = {pk: [] for pk in ids}
        links = through.objects.filter(**{f"{source}__in": ids}).values_list(source, target)
        for source_id, target_id in links:
            linked[source_id].append(target_id)
        for row, row_data in zip(rows, data, strict=True):
            row_data[relation.name] = sorted(linked[row.pk])
    for child in children:
        parent_attname = child.model._meta.get_field(child.parent_field).attname
        child_rows = list(
            child.model._default_manager.filter(**{f"{parent_attname}__in": ids}).order_by(
                "position", "pk"
            )
        )
        by_parent: dict[Any, list[dict]] = {pk: [] for pk in ids}
        for child_row, child_data in zip(
            child_rows,
            _serialize_rows(child_rows, child.parent_field, child.children),
            strict=True,
        ):
            by_parent[getattr(child_row, parent_attname)].append(child_data)
        for row, row_data in zip(rows, data, strict=True):
            row_data[child.accessor] = by_parent[row.pk]
    return data


def serialize_review(review: Review) -> dict:
    """Every editable field and child row of a review, as plain JSON data."""
    return {"format": SNAPSHOT_FORMAT, "review": _serialize_rows([review], None, TREE)[0]}


def _assign_fields(row: models.Model, data: dict, parent_field: str | None) -> None:
    for model_field in copied_fields(type(row), parent_field):
        if model_field.attname in data:
            value = data[model_field.attname]
            setattr(
                row, model_field.attname, None if value is None else model_field.to_python(value)
            )


def markdown_fields(model: type[models.Model]) -> list[tuple[str, str]]:
    """(Markdown field, its rendered *_html field) pairs: what a model renders on save."""
    names = {model_field.attname for model_field in model._meta.concrete_fields}
    return [
        (model_field.attname, f"{model_field.attname}_html")
        for model_field in copied_fields(model)
        if f"{model_field.attname}_html" in names
    ]


def stored_html(review: Review) -> dict[str, str]:
    """Markdown text -> the HTML stored for it, across a review's rows, to copy, not render."""
    found: dict[str, str] = {}

    def collect(model, queryset, children) -> None:
        for source, rendered in markdown_fields(model):
            found.update(queryset.values_list(source, rendered))
        for child in children:
            collect(
                child.model,
                child.model._default_manager.filter(**{f"{child.parent_field}__in": queryset}),
                child.children,
            )

    collect(Review, Review.objects.filter(pk=review.pk), TREE)
    return found


def _render(row: models.Model, rendered: dict[str, str] | None) -> None:
    """Fill the row's *_html as save() would: copied from `rendered` when it has the text."""
    pairs = markdown_fields(type(row))
    if not pairs:
        return
    if rendered is not None and all(getattr(row, source) in rendered for source, _ in pairs):
        for source, html in pairs:
            setattr(row, html, rendered[getattr(row, source)])
    else:
        row.render_html()


def _restore_children(
    parents: list[tuple[models.Model, dict]],
    children,
    public: bool,
    *,
    existing: bool,
    rendered: dict[str, str] | None,
) -> None:
    """Replace the child rows of `parents` (row, its snapshot data) with the snapshot's.

    Rows are written with bulk_create, one query per model and relation; bulk_create skips
    save(), so each row's Markdown is rendered (or copied) first, as save() would.
    """
    for child in children:
        if existing:
            # Rows of new parents have no children yet; deleting cascades to grandchildren.
            child.model._default_manager.filter(
                **{f"{child.parent_field}__in": [parent for parent, _ in parents]}
            ).delete()
        rows: list[tuple[models.Model, dict]] = []
        for parent, parent_data in parents:
            if (
                public
                and getattr(parent, "improvements_only", False)
                and child.accessor in PRIVATE_WHEN_IMPROVEMENTS_ONLY
            ):
                continue
            for row_data in parent_data.get(child.accessor, []):
                row = child.model(**{child.parent_field: parent})
                _assign_fields(row, row_data, child.parent_field)
                _render(row, rendered)
                rows.append((row, row_data))
        if not rows:
            continue
        child.model._default_manager.bulk_create([row for row, _ in rows])
        for relation in copied_relations(child.model):
            through, source, target = _through(relation)
            through.objects.bulk_create(
                [
                    through(**{source: row.pk, target: target_id})
                    for row, row_data in rows
                    for target_id in dict.fromkeys(row_data.get(relation.name, []))
                ]
            )
        _restore_children(rows, child.children, public, existing=False, rendered=rendered)


def _references(rows: list[dict], model, parent_field, children, where, found) -> None:
    """Collects (related model, id, where it is used) for every link a snapshot's rows hold."""
    links = [f for f in copied_fields(model, parent_field) if f.is_relation]
    for row in rows:
        place = where(row)
        for link in links:
            if (value := row.get(link.attname)) is not None:
                found.append((link.related_model, value, place))
        for relation in copied_relations(model):
            found.extend((relation.related_model, pk, place) for pk in row.get(relation.name, []))
        for child in children:
            _references(
                row.get(child.accessor, []),
                child.model,
                child.parent_field,
                child.children,
                lambda row, label=child.label: f"{label.lower()} “{_row_name(row)}”",
                found,
            )


def _row_name(row: dict) -> str:
    return str(row.get("title") or row.get("question") or f"number {row.get('position')}")


def snapshot_references(snapshot: dict) -> list[tuple[type[models.Model], Any, str]]:
    """Every shared record a snapshot links to (board, review type, agencies, themes...), as
    (model, primary key, where it is used), in page order."""
    found: list[tuple] = []
    _references([snapshot["review"]], Review, None, TREE, lambda row: "the review", found)
    return found


def snapshot_missing_references(snapshot: dict) -> list[str]:
    """What a snapshot links to that no longer exists, in the board's words: one query per
    kind of record. Empty when everything it names is still there."""
    found = snapshot_references(snapshot)
    wanted: dict[type, set] = {}
    for model, pk, _ in found:
        wanted.setdefault(model, set()).add(pk)
    existing = {
        model: set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for model, ids in wanted.items()
    }
    problems: dict[str, list[str]] = {}
    for model, pk, place in found:
        if pk not in existing[model]:
            name = model._meta.verbose_name
            problems.setdefault(f"a {name} that has since been deleted", []).append(place)
    return [
        f"{what}, used by {', '.join(dict.fromkeys(places))}" for what, places in problems.items()
    ]


def restore_review(
    *, snapshot: dict, into: Review, public: bool = False, rendered: dict[str, str] | None = None
) -> Review:
    """Make `into` (saved or not) hold exactly what `snapshot` describes, child rows included.

    Workflow fields of `into` are left alone. With `public=True` (a live copy) the statutory
    dates are left out, and a review marked "improvements only" loses its case summary and
    chronology, so that nothing that reads live copies (pages, API, feeds, print) can show
    them. `rendered` (Markdown text -> HTML, from `stored_html`) lets child rows copy HTML
    already rendered instead of rendering it again.
    """
    data = snapshot["review"]
    existing = not into._state.adding
    _assign_fields(into, data, None)
    if public:
        # Staff-only dates never reach a live copy, so nothing that reads one can show them.
        for name in Review.STATUTORY_FIELDS:
            setattr(into, name, None)
    if public and into.improvements_only:
        into.summary = ""
    into.save()
    for relation in copied_relations(Review):
        getattr(into, relation.name).set(data.get(relation.name, []))
    _restore_children([(into, data)], TREE, public, existing=existing, rendered=rendered)
    return into


# Reading what changed --------------------------------------------------------------------
