"""What the privacy check keeps per review: protected-name digests and acknowledgements.

Both belong to the working copy. They are not editable model fields of the review, so
`reviews.publishing.revisions` never snapshots them, publishing never copies them to the live
copy, and review documents never export them. Neither holds any clear text from the case:

- a protected name is stored only as a keyed HMAC digest (reviews/privacy/protected_names.py);
- an acknowledgement is keyed by a keyed fingerprint of the finding (its kind, field and
  the text around it), so it stops applying as soon as that text changes.
"""

from django.conf import settings
from django.db import models


class ProtectedNameDigest(models.Model):
    """One protected name or phrase of a review, as a digest: the name itself is never kept."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="protected_name_digests"
    )
    digest = models.CharField(max_length=64, help_text="HMAC-SHA256 of the normalised name.")
    words = models.PositiveSmallIntegerField(
        help_text="How many words the phrase has: the scanner looks at phrases this long."
    )
    # Which key made the digest (a fingerprint of the key, not the key): after SECRET_KEY
    # changes, digests made with the old key can be recognised and used while it is in
    # SECRET_KEY_FALLBACKS, and reported as unusable after that.
    key_id = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "protected name digest"
        constraints = [
            models.UniqueConstraint(
                fields=["review", "digest"], name="protected_name_digest_unique"
            ),
        ]

    def __str__(self) -> str:
        return "Protected name (stored as a digest)"


class PrivacyAcknowledgement(models.Model):
    """A publisher's decision that one finding of the privacy check may be published."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="privacy_acknowledgements"
    )
    kind = models.CharField(max_length=30)
    where = models.CharField(max_length=200, help_text="Field and row, as the check names them.")
    fingerprint = models.CharField(
        max_length=64,
        help_text="Keyed digest of the kind, field, matched text and the text around it.",
    )
    key_id = models.CharField(max_length=16)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "fingerprint"], name="privacy_acknowledgement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Acknowledged {self.kind} in {self.where}"
