"""What changed between two revisions of a review, in the board's words: the history page's
list of changes and its word-by-word text differences. Reads the snapshots revisions.py
makes, field by field and row by row, in the shape of its TREE.
"""

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from reviews.models import Review
from reviews.publishing.revisions import TREE, Children, copied_fields, copied_relations


@dataclass
class Change:
    """One changed field or row, ready for a template: `parts` are (kind, text) pairs."""

    label: str
    kind: str  # "changed", "added" or "removed"
    old: str = ""
    new: str = ""
    parts: list[tuple[str, str]] = field(default_factory=list)


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word by word: [("equal"|"removed"|"added", text), ...]."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for opcode, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if opcode == "equal":
            parts.append(("equal", "".join(old_tokens[old_start:old_end])))
            continue
        if old_end > old_start:
            parts.append(("removed", "".join(old_tokens[old_start:old_end])))
        if new_end > new_start:
            parts.append(("added", "".join(new_tokens[new_start:new_end])))
    return parts


class _Names:
    """Turns stored ids back into names (boards, agencies, themes), one query per model."""

    def __init__(self) -> None:
        self.cache: dict[type[models.Model], dict[Any, str]] = {}

    def __call__(self, model: type[models.Model], pk: Any) -> str:
        if model not in self.cache:
            self.cache[model] = {obj.pk: str(obj) for obj in model._default_manager.all()}
        return self.cache[model].get(pk, f"(deleted {model._meta.verbose_name} {pk})")


def _readable(model_field: models.Field, value: Any, names: _Names) -> str:
    if value is None or value == "":
        return ""
    if model_field.is_relation:
        return names(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    return str(value)


def _readable_many(relation: models.Field, values: list, names: _Names) -> str:
    return ", ".join(sorted(names(relation.related_model, pk) for pk in values))


def _row_changes(model, parent_field, children, old: dict, new: dict, prefix: str, names):
    changes: list[Change] = []
    for model_field in copied_fields(model, parent_field):
        key = model_field.attname
        old_text = _readable(model_field, old.get(key), names)
        new_text = _readable(model_field, new.get(key), names)
        if old_text != new_text:
            label = f"{prefix}{str(model_field.verbose_name).capitalize()}"
            changes.append(
                Change(label, "changed", old_text, new_text, text_diff(old_text, new_text))
            )
    for relation in copied_relations(model):
        old_text = _readable_many(relation, old.get(relation.name, []), names)
        new_text = _readable_many(relation, new.get(relation.name, []), names)
        if old_text != new_text:
            label = f"{prefix}{str(relation.verbose_name).capitalize()}"
            changes.append(
                Change(label, "changed", old_text, new_text, text_diff(old_text, new_text))
            )
    for child in children:
        changes += _children_changes(
            child, old.get(child.accessor, []), new.get(child.accessor, []), prefix, names
        )
    return changes


def _summary(child: Children, row: dict) -> str:
    for name in ("title", "heading", "when", "question", "text"):
        if row.get(name):
            return str(row[name])
    return ""


def _children_changes(child: Children, old_rows, new_rows, prefix: str, names) -> list[Change]:
    # Rows are matched by position, which is how editors see and number them.
    old_by_position = {row.get("position"): row for row in old_rows}
    new_by_position = {row.get("position"): row for row in new_rows}
    changes: list[Change] = []
    for position in sorted(set(old_by_position) | set(new_by_position), key=lambda p: p or 0):
        label = f"{prefix}{child.label} {position}"
        old_row, new_row = old_by_position.get(position), new_by_position.get(position)
        if old_row is None:
            text = _summary(child, new_row)
            changes.append(Change(label, "added", "", text, [("added", text)]))
        elif new_row is None:
            text = _summary(child, old_row)
            changes.append(Change(label, "removed", text, "", [("removed", text)]))
        else:
            changes += _row_changes(
                child.model,
                child.parent_field,
                child.children,
                old_row,
                new_row,
                f"{label}: ",
                names,
            )
    return changes


def diff_snapshots(old: dict, new: dict) -> list[Change]:
    """What changed from `old` to `new`, field by field and row by row, in page order."""
    return _row_changes(Review, None, TREE, old["review"], new["review"], "", _Names())
