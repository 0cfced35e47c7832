"""What the portal itself stores: counters for the rate limiters (portal.ratelimit)."""

from django.db import models


class RateCounter(models.Model):
    """Hits by one client (a digest of scope and identity) in one fixed time window.

    Used only when the cache is local to each worker process; with Redis the counts live
    there instead. Rows are deleted once expired.
    """

    key = models.CharField(max_length=80)
    window = models.BigIntegerField(help_text="The window's number: time // window seconds.")
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(help_text="Unix time after which the row is unused.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="portal_ratecounter_key_window")
        ]
        indexes = [models.Index(fields=["expires_at"], name="portal_ratecounter_expires")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.hits}"
