"""The privacy check of a review: protected names, scanning every field, acknowledgements.

Built on the pure scanner in reviews/privacy/scanner.py (docs/privacy.md):

- **Protected names** (the real names connected to a case) are hashed as soon as they
  arrive and the clear text is dropped: only keyed HMAC digests are stored
  (`ProtectedNameDigest`). The key is derived from SECRET_KEY with a fixed purpose string,
  and never stored; a short fingerprint of it (`key_id`) says which key made each digest.
- **Scanning** (`review_scan`, `snapshot_scan`) covers every text field of the review and of
  each child row, as `reviews.revisions` serialises them, so a field added later is
  scanned without anyone remembering to add it here.
- **Acknowledgements** are keyed by a keyed fingerprint of the finding (kind, field, the
  matched text and ~30 characters either side): they keep applying while that text is
  there, and stop the moment it changes.
- **The gate**: `privacy_refuse_unresolved` raises WorkflowError listing every unresolved
  finding; review_publish (and so scheduling) and the document import call it.

State changes here follow reviews/publishing/services.py: keyword-only, atomic, permission-checked,
audited; bad input raises WorkflowError and changes nothing.
"""

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils.crypto import salted_hmac

from reviews import records
from reviews.models import AuditEntry, Review
from reviews.models.privacy import PrivacyAcknowledgement, ProtectedNameDigest
from reviews.privacy import scanner as privacy
from reviews.publishing.revisions import TREE, Children, serialize_review, snapshot_references
from reviews.records import WorkflowError
from reviews.validators import validate_partial_date

NAMES_KEY_PURPOSE = "portal.protected-names"
ACKNOWLEDGEMENT_KEY_PURPOSE = "portal.privacy-acknowledgement"
# Longer phrases make every scan slower (each word starts this many hashed n-grams).
MAX_PHRASE_WORDS = 6
MAX_NAMES_PER_REVIEW = 500
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


# Keys ------------------------------------------------------------------------------------


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _derived_key(purpose: str, secret: str) -> bytes:
    return salted_hmac(purpose, "hmac-key", secret=secret, algorithm="sha256").digest()


def _key_id(key: bytes) -> str:
    return hmac.new(key, b"key-id", hashlib.sha256).hexdigest()[:16]


def _keys(purpose: str) -> list[tuple[str, bytes]]:
    """(key_id, key) for SECRET_KEY, then for each of SECRET_KEY_FALLBACKS."""
    keys = [_derived_key(purpose, secret) for secret in _secrets() if secret]
    return [(_key_id(key), key) for key in keys]


def names_key() -> bytes:
    """The key protected names are hashed with now (from SECRET_KEY; never stored)."""
    return _keys(NAMES_KEY_PURPOSE)[0][1]


# Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProtectedNamesCount:
    usable: int
    unusable: int  # made with a secret key the portal no longer has: re-enter the names

    @property
    def total(self) -> int:
        return self.usable + self.unusable


def protected_names_count(*, review: Review) -> ProtectedNamesCount:
    """How many protected names a review has. Never which: only digests are stored."""
    known = {key_id for key_id, _ in _keys(NAMES_KEY_PURPOSE)}
    usable = unusable = 0
    for key_id, count in (
        ProtectedNameDigest.objects.filter(review=review)
        .values("key_id")
        .annotate(count=models.Count("pk"))
        .values_list("key_id", "count")
    ):
        if key_id in known:
            usable += count
        else:
            unusable += count
    return ProtectedNamesCount(usable=usable, unusable=unusable)


def protected_names_matchers(*, review: Review | None) -> list[privacy.ProtectedNames]:
    """Matchers for a review's stored digests, one per key that made some of them."""
    if review is None or review.pk is None:
        return []
    keys = dict(_keys(NAMES_KEY_PURPOSE))
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for digest, words, key_id in ProtectedNameDigest.objects.filter(review=review).values_list(
        "digest", "words", "key_id"
    ):
        groups[key_id].append((digest, words))
    return [
        privacy.ProtectedNames.from_digests(
            [digest for digest, _ in rows],
            key=keys[key_id],
            max_words=max(words for _, words in rows),
        )
        for key_id, rows in groups.items()
        if key_id in keys
    ]


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


class _Scan:
    def __init__(self, *, review: Review | None, pseudonyms: Iterable[str]) -> None:
        self.matchers = protected_names_matchers(review=review)
        self.pseudonyms = [name for name in pseudonyms if name]
        self.acknowledgement_keys = [key for _, key in _keys(ACKNOWLEDGEMENT_KEY_PURPOSE)]
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
    """Scan a review as `reviews.revisions` serialises it (a revision, or a document).

    `review` is the working copy whose protected names and acknowledgements apply (None for
    a review that does not exist yet: no names, nothing acknowledged).
    """
    data = snapshot["review"]
    scan = _Scan(review=review, pseudonyms=[data.get("title", ""), data.get("child_pseudonym", "")])
    scan.row(Review, data, parent_field=None, children=TREE, prefix="", row_label="", indexes=())
    _scan_shared_records(scan, snapshot)
    return scan.findings


def _scan_shared_records(scan: "_Scan", snapshot: dict) -> None:
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


def privacy_refuse_unresolved(*, review: Review, snapshot: dict | None = None) -> None:
    """Raise WorkflowError listing every unresolved finding of `snapshot` (or the review)."""
    findings = unresolved(
        snapshot_scan(snapshot=snapshot or serialize_review(review), review=review)
    )
    if findings:
        raise WorkflowError(refusal_message(findings, doing="it cannot be published"))


def privacy_refuse_public_text(*, review: Review, field_name: str, text: str) -> None:
    """Raise WorkflowError if a public text given with a state change (the "last updated"
    note when publishing, the notice when withdrawing) holds anything the check finds:
    it is not stored in a revision, so the revision's scan never sees it."""
    model_field = Review._meta.get_field(field_name)
    scan = _Scan(review=review, pseudonyms=[review.title, review.child_pseudonym])
    scan.text(
        text, model=Review, model_field=model_field, field_key=field_name, row_label="",
        row_indexes=(),
    )  # fmt: skip
    if scan.findings:
        raise WorkflowError(
            refusal_message(
                scan.findings,
                doing=f"the {model_field.verbose_name} cannot be published",
                remedy="taken out of it",
            )
        )


# Changing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProtectedNamesAdded:
    added: int
    already_stored: int
    total: int


def _name_lines(names: str | Iterable[str]) -> list[str]:
    return names.splitlines() if isinstance(names, str) else list(names)


@transaction.atomic
def protected_names_add(
    *, review: Review, names: str | Iterable[str], user: AbstractBaseUser
) -> ProtectedNamesAdded:
    """Hash each name or phrase (one a line) and store the digests; the clear text is dropped.

    Messages refer to lines by number, never by their text, so no name is ever echoed
    back into a page, a log or a message.
    """

    records.require_permission(user, records.PERMISSION_EDIT, "change reviews' protected names")
    locked = records.lock_review(review)
    key = names_key()
    key_id = _key_id(key)
    wanted: dict[str, int] = {}
    for number, line in enumerate(_name_lines(names), start=1):
        normalised = privacy.normalise_name(line)
        if not normalised:
            continue
        words = len(normalised.split())
        if words > MAX_PHRASE_WORDS:
            raise records.WorkflowError(
                f"Line {number} has {words} words; a protected name or phrase can have at "
                f"most {MAX_PHRASE_WORDS}. Nothing was stored."
            )
        wanted[privacy.hash_name(normalised, key=key)] = words
    if not wanted:
        raise records.WorkflowError("Enter at least one name or phrase, one a line.")
    stored = set(
        ProtectedNameDigest.objects.filter(review=locked, digest__in=wanted).values_list(
            "digest", flat=True
        )
    )
    new = {digest: words for digest, words in wanted.items() if digest not in stored}
    total = ProtectedNameDigest.objects.filter(review=locked).count() + len(new)
    if total > MAX_NAMES_PER_REVIEW:
        raise records.WorkflowError(
            f"A review can have at most {MAX_NAMES_PER_REVIEW} protected names. Nothing was stored."
        )
    ProtectedNameDigest.objects.bulk_create(
        ProtectedNameDigest(review=locked, digest=digest, words=words, key_id=key_id)
        for digest, words in new.items()
    )
    records.audit(
        action=AuditEntry.Action.PROTECTED_NAMES_CHANGED,
        user=user,
        review=locked,
        added=len(new),
        stored=total,
    )
    return ProtectedNamesAdded(added=len(new), already_stored=len(stored), total=total)


@transaction.atomic
def protected_names_clear(*, review: Review, user: AbstractBaseUser) -> int:
    """Delete every protected name of a review (to re-enter them); returns how many."""

    records.require_permission(user, records.PERMISSION_EDIT, "change reviews' protected names")
    locked = records.lock_review(review)
    deleted, _ = ProtectedNameDigest.objects.filter(review=locked).delete()
    if deleted:
        records.audit(
            action=AuditEntry.Action.PROTECTED_NAMES_CHANGED,
            user=user,
            review=locked,
            cleared=deleted,
            stored=0,
        )
    return deleted


@transaction.atomic
def privacy_acknowledge(
    *, review: Review, fingerprint: str, reason: str, user: AbstractBaseUser
) -> PrivacyAcknowledgement:
    """Record a publisher's decision that one finding, as it stands, may be published.

    The finding must still be in the review's working copy: an acknowledgement made from a
    page opened before the text changed is refused.
    """

    records.require_permission(user, records.PERMISSION_PUBLISH, "acknowledge privacy findings")
    reason = records.required_text(reason, "a reason why this can be published")
    if len(reason) > 1000:
        raise records.WorkflowError("Keep the reason under 1,000 characters.")
    locked = records.lock_review(review)
    if any(matcher.scan(reason) for matcher in protected_names_matchers(review=locked)):
        raise records.WorkflowError(
            "The reason contains one of the review's protected names. Describe the finding "
            "without repeating it."
        )
    finding = next(
        (f for f in review_scan(review=locked) if fingerprint in f.fingerprints),
        None,
    )
    if finding is None:
        raise records.WorkflowError(
            "That finding is no longer in the review (its text has changed). Look at the "
            "privacy check again."
        )
    if finding.acknowledged:
        return finding.acknowledgement
    acknowledgement = PrivacyAcknowledgement.objects.create(
        review=locked,
        kind=finding.kind,
        where=finding.where[:200],
        fingerprint=finding.fingerprint,
        key_id=_keys(ACKNOWLEDGEMENT_KEY_PURPOSE)[0][0],
        reason=reason,
        created_by=user,
        created_by_name=records.display_name(user),
    )
    records.audit(
        action=AuditEntry.Action.PRIVACY_ACKNOWLEDGED,
        user=user,
        review=locked,
        revision=records.latest_revision(locked),
        kind=finding.kind,
        where=finding.where,
        reason=reason,
    )
    return acknowledgement
