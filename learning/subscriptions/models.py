"""E-mail subscriptions to new and updated reviews, and what each digest has announced.

A subscription is one address (unique, stored lower-cased) with its choices: everything, or
some themes and/or agencies; a daily or weekly digest; the language it was made in. Nothing
but the one confirmation message is sent until `confirmed_at` is set (double opt-in), and
an unconfirmed subscription is deleted after `UNCONFIRMED_DAYS` (services.subscriptions_expire).

`DigestDelivery` is one review version announced to one subscription. It is claimed in the
same transaction as the message is sent (learning/subscriptions/digests.py), and the unique
constraint is what makes sending idempotent: a review version can be claimed for a
subscription once. It points at the review's working copy, which lives as long as the
review, not at the live copy that publishing replaces (docs/architecture.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# An unconfirmed address is forgotten after this many days (privacy notice, docs).
UNCONFIRMED_DAYS = 7


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        WELSH = "cy", "Cymraeg"

    email = models.EmailField(max_length=254, unique=True)
    everything = models.BooleanField(
        default=True, help_text="Every new and updated review, whatever its themes and agencies."
    )
    themes = models.ManyToManyField(
        "learning.Theme", blank=True, related_name="subscriptions", help_text="Chosen themes."
    )
    agencies = models.ManyToManyField(
        "reviews.Agency", blank=True, related_name="subscriptions", help_text="Chosen agencies."
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last time someone asked for this address at /subscribe/; an unconfirmed
    # subscription is deleted UNCONFIRMED_DAYS after it.
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the digest last looked for news for this subscription (sent or not), and when it
    # last actually sent one.
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "learning"
        ordering = ["email"]
        indexes = [
            models.Index(fields=["confirmed_at", "frequency"], name="subscription_due"),
            models.Index(fields=["requested_at"], name="subscription_requested"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class DigestDelivery(models.Model):
    """One version of one review, announced to one subscription (claimed, then sent)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The review's working copy.",
    )
    # The version announced: when the live copy last went public or was last updated.
    version_at = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        app_label = "learning"
        verbose_name_plural = "digest deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "review", "version_at"],
                name="digest_delivery_once",
            )
        ]

    def __str__(self) -> str:
        return f"Review {self.review_id} to subscription {self.subscription_id}"
