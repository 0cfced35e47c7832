"""The privacy check's state changes and its publishing gate.

Built on the pure scanner in reviews/privacy/scanner.py (docs/privacy.md):

- **Protected names** (the real names connected to a case) are hashed as soon as they
  arrive and the clear text is dropped: only keyed HMAC digests are stored
  (`ProtectedNameDigest`). The key is derived from SECRET_KEY with a fixed purpose string,
  and never stored; a short fingerprint of it (`key_id`) says which key made each digest
  (reviews/privacy/keys.py). Reading them back (how many, matchers) is in
  reviews/privacy/stored_names.py.
- **Scanning** (`review_scan`, `snapshot_scan`, in reviews/privacy/review_scan.py) covers
  every text field of the review and of each child row, as `reviews.publishing.revisions` serialises
  them, so a field added later is scanned without anyone remembering to add it here.
- **Acknowledgements** are keyed by a keyed fingerprint of the finding (kind, field, the
  matched text and ~30 characters either side): they keep applying while that text is
  there, and stop the moment it changes.
- **The gate**: `privacy_refuse_unresolved` raises WorkflowError listing every unresolved
  finding; review_publish (and so scheduling) and the document import call it.

State changes here follow reviews/publishing/services.py: keyword-only, atomic, permission-checked,
audited; bad input raises WorkflowError and changes nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from reviews import records
from reviews.models import AuditEntry, Review
from reviews.models.privacy import PrivacyAcknowledgement, ProtectedNameDigest
from reviews.privacy import scanner as privacy
from reviews.privacy.keys import ACKNOWLEDGEMENT_KEY_PURPOSE, key_id_of, keys_for, names_key
from reviews.privacy.review_scan import (
    FieldScanner,
    refusal_message,
    review_scan,
    snapshot_scan,
    unresolved,
)
from reviews.privacy.stored_names import protected_names_matchers
from reviews.publishing.revisions import serialize_review
from reviews.records import WorkflowError

# Longer phrases make every scan slower (each word starts this many hashed n-grams).
MAX_PHRASE_WORDS = 6
MAX_NAMES_PER_REVIEW = 500


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
    scan = FieldScanner(review=review, pseudonyms=[review.title, review.child_pseudonym])
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
    key_id = key_id_of(key)
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
        key_id=keys_for(ACKNOWLEDGEMENT_KEY_PURPOSE)[0][0],
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
