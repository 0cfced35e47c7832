"""Scanning a review for the privacy check: every text field of it, its rows and its records.

The scan (`review_scan`, `snapshot_scan`) covers every text field of the review and of each
child row, as `reviews.publishing.revisions` serialises them, so a field added later is scanned
without anyone remembering to add it here; the shared records the review links to (board, review
type, agencies, themes) are scanned with it. Each finding is a `ReviewFinding`, placed in its
field and row, with the acknowledgement that applies to it, if any: acknowledgements are keyed
by a keyed fingerprint of the finding (kind, field, the matched text and ~30 characters either
side), so they keep applying while that text is there and stop the moment it changes.
`unresolved` and `refusal_message` say what stands in the way of publishing."""

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.validators import URLValidator
from django.db import models

from reviews.models import Review
from reviews.models.privacy import PrivacyAcknowledgement
from reviews.privacy import scanner as privacy
from reviews.privacy.keys import ACKNOWLEDGEMENT_KEY_PURPOSE, keys_for
from reviews.privacy.stored_names import protected_names_matchers
from reviews.publishing.revisions import TREE, Children, serialize_review, snapshot_references
from reviews.validators import validate_partial_date

MAX_LISTED_IN_REFUSAL = 10

KIND_LABELS = {
    privacy.POSTCODE: "Postcode",
    privacy.PHONE: "Phone number",
    privacy.EMAIL: "Email address",
    privacy.NHS_NUMBER: "NHS number",
    privacy.NI_NUMBER: "National Insurance number",
    privacy.DATE_OF_BIRTH: "Full date (could be a date of birth)",
    privacy.ADDRESS: "Street address",
    privacy.PERSON_NAME: "Person's name",
    privacy.PROTECTED_NAME: "Protected name",
}

# The lead reviewer is a person named on purpose: the published author. Everything else in
# that field (a protected name, an email address...) is still reported.
NAMED_ON_PURPOSE = {(Review, "reviewer"): {privacy.PERSON_NAME}}


@dataclass(frozen=True)
class ReviewFinding:
    """One finding of a review's privacy check, placed in its field and row."""

    kind: str
    field_key: str  # "summary", "chronology_events.text", "learning_points.prompts.question"
    field_label: str  # "Case summary"
    row_label: str  # "" for the review itself, "Chronology event 3", "Learning point 2, prompt 1"
    row_indexes: tuple[int, ...]  # index of the row (and sub-row) in page order, from 0
    before: str  # the excerpt: before + match + after, whitespace collapsed
    match: str
    after: str
    fingerprints: frozenset[str] = field(repr=False)  # one per acknowledgement key
    fingerprint: str = field(repr=False)  # with the current key: what an acknowledgement stores
    acknowledgement: PrivacyAcknowledgement | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def where(self) -> str:
        if self.row_label:
            return f"{self.row_label}, {self.field_label.lower()}"
        return self.field_label

    @property
    def excerpt(self) -> str:
        return f"{self.before}{self.match}{self.after}"

    @property
    def acknowledged(self) -> bool:
        return self.acknowledgement is not None

    def __str__(self) -> str:
        return f"{self.kind_label} in {self.where}: “{self.excerpt}”"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _excerpt_parts(text: str, start: int, end: int) -> tuple[str, str, str]:
    context = privacy.EXCERPT_CONTEXT
    left, right = max(0, start - context), min(len(text), end + context)
    # Collapse each part on its own, keeping one space where whitespace met the match.
    before = text[left:start]
    after = text[end:right]
    before = _collapse(before) + (" " if before[-1:].isspace() and before.strip() else "")
    after = (" " if after[:1].isspace() and after.strip() else "") + _collapse(after)
    return (
        ("…" if left else "") + before,
        _collapse(text[start:end]),
        after + ("…" if right < len(text) else ""),
    )


def _fingerprint(key: bytes, kind: str, field_key: str, parts: tuple[str, str, str]) -> str:
    message = "\x00".join((kind, field_key, *parts))
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def _scanned_fields(model: type[models.Model], parent_field: str | None) -> list[models.Field]:
    """Every free-text field of a model: editable text, not a choice or a structured date."""
    scanned = []
    for model_field in model._meta.concrete_fields:
        if (
            not model_field.editable
            or model_field.primary_key
            or model_field.choices
            or model_field.is_relation
            or model_field.name == parent_field
            or not isinstance(model_field, models.CharField | models.TextField)
            or validate_partial_date in model_field.validators
        ):
            continue
        scanned.append(model_field)
    return scanned


def _field_label(model_field: models.Field) -> str:
    return str(model_field.verbose_name)[:1].upper() + str(model_field.verbose_name)[1:]


def _is_url(model_field: models.Field) -> bool:
    return any(isinstance(validator, URLValidator) for validator in model_field.validators)


class FieldScanner:
    """Scans texts field by field, collecting ReviewFindings with the acknowledgements that
    apply to them."""

    def __init__(self, *, review: Review | None, pseudonyms: Iterable[str]) -> None:
        self.matchers = protected_names_matchers(review=review)
        self.pseudonyms = [name for name in pseudonyms if name]
        self.acknowledgement_keys = [key for _, key in keys_for(ACKNOWLEDGEMENT_KEY_PURPOSE)]
        self.acknowledgements = (
            {ack.fingerprint: ack for ack in PrivacyAcknowledgement.objects.filter(review=review)}
            if review is not None and review.pk
            else {}
        )
        self.findings: list[ReviewFinding] = []

    def text(self, text: str, *, model, model_field, field_key, row_label, row_indexes) -> None:
        if not text:
            return
        if _is_url(model_field):
            # An address is one token: read its words ("/reviews/jordan-smith") as words.
            text = text.replace("/", " / ").replace("-", " - ").replace("_", " _ ")
        ignored = NAMED_ON_PURPOSE.get((model, model_field.name), set())
        found = privacy.scan_text(
            text,
            protected_names=self.matchers[0] if self.matchers else (),
            pseudonyms=self.pseudonyms,
        )
        for matcher in self.matchers[1:]:
            found += matcher.scan(text)
        seen = set()
        for finding in sorted(found, key=lambda f: (f.start, f.end, f.kind)):
            if finding.kind in ignored or (finding.kind, finding.start, finding.end) in seen:
                continue
            seen.add((finding.kind, finding.start, finding.end))
            parts = _excerpt_parts(text, finding.start, finding.end)
            fingerprints = [
                _fingerprint(key, finding.kind, field_key, parts)
                for key in self.acknowledgement_keys
            ]
            acknowledgement = next(
                (self.acknowledgements[f] for f in fingerprints if f in self.acknowledgements),
                None,
            )
            self.findings.append(
                ReviewFinding(
                    kind=finding.kind,
                    field_key=field_key,
                    field_label=_field_label(model_field),
                    row_label=row_label,
                    row_indexes=row_indexes,
                    before=parts[0],
                    match=parts[1],
                    after=parts[2],
                    fingerprints=frozenset(fingerprints),
                    fingerprint=fingerprints[0],
                    acknowledgement=acknowledgement,
                )
            )

    def row(self, model, data: dict, *, parent_field, children, prefix, row_label, indexes):
        for model_field in _scanned_fields(model, parent_field):
            self.text(
                str(data.get(model_field.attname) or ""),
                model=model,
                model_field=model_field,
                field_key=f"{prefix}{model_field.attname}",
                row_label=row_label,
                row_indexes=indexes,
            )
        for child in children:
            self.children(child, data.get(child.accessor, []), prefix, row_label, indexes)

    def children(self, child: Children, rows, prefix: str, parent_label: str, indexes) -> None:
        for index, row_data in enumerate(rows):
            number = row_data.get("position") or index + 1
            label = (
                f"{parent_label}, {child.label.lower()} {number}"
                if parent_label
                else f"{child.label} {number}"
            )
            self.row(
                child.model,
                row_data,
                parent_field=child.parent_field,
                children=child.children,
                prefix=f"{prefix}{child.accessor}.",
                row_label=label,
                indexes=(*indexes, index),
            )


def snapshot_scan(*, snapshot: dict, review: Review | None) -> list[ReviewFinding]:
    """Scan a review as `reviews.publishing.revisions` serialises it (a revision, or a document).

    `review` is the working copy whose protected names and acknowledgements apply (None for
    a review that does not exist yet: no names, nothing acknowledged).
    """
    data = snapshot["review"]
    scan = FieldScanner(
        review=review, pseudonyms=[data.get("title", ""), data.get("child_pseudonym", "")]
    )
    scan.row(Review, data, parent_field=None, children=TREE, prefix="", row_label="", indexes=())
    _scan_shared_records(scan, snapshot)
    return scan.findings


def _scan_shared_records(scan: "FieldScanner", snapshot: dict) -> None:
    """The records a review links to are published with it: the board's name, the review
    type, every agency and theme it names. Each is scanned once, labelled with where the
    review uses it; one query per kind of record."""
    places: dict[tuple, list[str]] = {}
    for model, pk, place in snapshot_references(snapshot):
        places.setdefault((model, pk), []).append(place)
    by_model: dict[type, list] = {}
    for model, pk in places:
        by_model.setdefault(model, []).append(pk)
    for model, ids in by_model.items():
        fields = _scanned_fields(model, None)
        if not fields:
            continue
        for record in model._default_manager.filter(pk__in=ids).order_by("pk"):
            used_by = ", ".join(dict.fromkeys(places[(model, record.pk)]))
            label = f"{_field_label_text(model._meta.verbose_name)} “{record}” (on {used_by})"
            for model_field in fields:
                scan.text(
                    str(getattr(record, model_field.attname) or ""),
                    model=model,
                    model_field=model_field,
                    field_key=f"shared.{model._meta.label_lower}.{record.pk}.{model_field.attname}",
                    row_label=label,
                    row_indexes=(),
                )


def _field_label_text(text) -> str:
    return str(text)[:1].upper() + str(text)[1:]


def review_scan(*, review: Review) -> list[ReviewFinding]:
    """Every finding in a review's working copy as it is now, in page order."""
    return snapshot_scan(snapshot=serialize_review(review), review=review)


def unresolved(findings: Iterable[ReviewFinding]) -> list[ReviewFinding]:
    return [finding for finding in findings if not finding.acknowledged]


ACKNOWLEDGE_REMEDY = "fixed, or acknowledged by a publisher on the review's Privacy check page"


def refusal_message(
    findings: list[ReviewFinding], *, doing: str, remedy: str = ACKNOWLEDGE_REMEDY
) -> str:
    """Why something is refused, listing the findings (kind, where, excerpt)."""
    count = len(findings)
    listed = "; ".join(str(finding) for finding in findings[:MAX_LISTED_IN_REFUSAL])
    more = count - MAX_LISTED_IN_REFUSAL
    if more > 0:
        listed += f"; and {more} more"
    things = "thing" if count == 1 else "things"
    return (
        f"The privacy check found {count} {things} that could identify a child or family, "
        f"so {doing} until each is {remedy}: {listed}."
    )
