"""Who wrote the content that would go public: the four-eyes rule reads it from the history.

Sign-off used to be refused only when the publisher had made the last save, so a publisher
could edit, let a colleague save once without changing anything, and then publish their own
words. The rule now looks at content, not at saves: an author is whoever saved a revision
whose content differs from the revision before it, since the last version another person
signed off. A save that changes nothing makes nobody an author. A change that someone else
later undid still counts its writer: the safe side, and rare.
"""

from reviews.models import AuditEntry, Review, ReviewRevision

SIGNED_OFF = (AuditEntry.Action.PUBLISHED, AuditEntry.Action.SCHEDULED)


def content_authors_since_sign_off(*, review: Review) -> set[int]:
    """Ids of the users who changed the review's content since its last signed-off revision
    (since its creation, before a first publication)."""
    signed = AuditEntry.objects.filter(
        review=review, action__in=SIGNED_OFF, revision_number__isnull=False
    ).values_list("revision_number", flat=True)
    baseline = max(signed, default=0)
    revisions = ReviewRevision.objects.filter(review=review, number__gte=max(baseline, 1))
    previous = None if baseline else {}
    authors: set[int] = set()
    for number, author, snapshot in revisions.order_by("number").values_list(
        "number", "created_by_id", "snapshot"
    ):
        if number == baseline:
            previous = snapshot
            continue
        if snapshot != previous:
            authors.add(author)
        previous = snapshot
    return authors
