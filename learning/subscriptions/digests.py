"""Sending the digests: once per due subscription, each review version at most once, none
skipped. Run by `manage.py send_digests`, which a scheduler starts (docs/subscriptions.md).

For each due subscription, one transaction:

1. lock the subscription's row (`select_for_update(skip_locked=True)`: on PostgreSQL a
   second run at the same moment skips it instead of waiting, and does not send it twice);
2. read what to announce from `Review.objects.published()` now (selectors.digest_entries);
3. claim it: insert one DigestDelivery per review version, whose unique constraint refuses
   a version already claimed for this subscription (on SQLite, which has no row locks, this
   constraint and SQLite's one writer at a time are the guard: a second run's claim fails
   and it moves on);
4. send the message;
5. record the look (`last_checked_at`), and commit.

If sending fails (the mail server is down, the connection drops, the process dies), the
transaction rolls back: the claims go, the subscription stays due, and the next run sends
the same reviews. If it succeeds, the claims are committed with it, so no run sends them
again. The one gap left is a crash after the mail server accepted the message and before the
commit returned (a commit's duration): that message would be sent again. Staying
"claimed and committed before sending" would turn that gap into a lost message instead; a
repeat is the better failure for news of a review.
"""

import logging
from dataclasses import dataclass, field

from django.core.mail import mailers
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone, translation

from learning.subscriptions.emails import digest_build
from learning.subscriptions.models import DigestDelivery, Subscription
from learning.subscriptions.selectors import (
    digest_entries,
    subscription_is_due,
    subscriptions_due,
)

logger = logging.getLogger(__name__)

# After this many failed sends in a row the mail server is taken to be down: the run stops,
# and the subscriptions left stay due for the next run.
MAX_FAILURES_IN_A_ROW = 3


@dataclass
class DigestReport:
    due: int = 0
    sent: int = 0
    nothing_new: int = 0
    skipped: int = 0
    failed: list[int] = field(default_factory=list)
    stopped_early: bool = False

    def __str__(self) -> str:
        text = (
            f"{self.due} due, {self.sent} digests sent, {self.nothing_new} with nothing new, "
            f"{self.skipped} skipped (taken by another run or gone), {len(self.failed)} failed"
        )
        if self.stopped_early:
            text += "; stopped after repeated failures, the rest stay due"
        return text


def digests_send(*, frequency: str | None = None) -> DigestReport:
    """Send every due digest (of one frequency, or both). Safe to run at any time, twice, or
    after a crash: see the module's docstring."""
    report = DigestReport()
    ids = subscriptions_due(now=timezone.now(), frequency=frequency)
    report.due = len(ids)
    connection = mailers.default
    failures_in_a_row = 0
    try:
        for pk in ids:
            try:
                outcome = _digest_send_one(pk=pk, connection=connection)
            except Exception:
                logger.exception("Digest for subscription %s not sent; it stays due", pk)
                report.failed.append(pk)
                failures_in_a_row += 1
                # A broken connection is not reused: the next message opens a new one.
                connection.close()
                if failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
                    report.stopped_early = True
                    break
                continue
            failures_in_a_row = 0
            setattr(report, outcome, getattr(report, outcome) + 1)
    finally:
        connection.close()
    return report


def _digest_send_one(*, pk: int, connection) -> str:
    """Send one subscription's digest; the name of the DigestReport counter it adds to."""
    try:
        with transaction.atomic():
            subscription = (
                Subscription.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            )
            now = timezone.now()
            if subscription is None or not subscription_is_due(subscription=subscription, now=now):
                return "skipped"
            # Links to the reviews in the subscriber's language (/cy/reviews/... in Welsh).
            with translation.override(subscription.language):
                entries = digest_entries(subscription=subscription, now=now)
            if entries:
                DigestDelivery.objects.bulk_create(
                    [
                        DigestDelivery(
                            subscription=subscription,
                            review_id=entry.working_copy_id,
                            version_at=entry.version_at,
                            sent_at=now,
                        )
                        for entry in entries
                    ]
                )
                message = digest_build(subscription=subscription, entries=entries)
                # Opened here, not by send_messages(), which would close it after each
                # message: one connection serves the whole run (a new one after a failure).
                connection.open()
                if connection.send_messages([message]) != 1:
                    raise RuntimeError("The mail backend did not send the digest.")
                subscription.last_sent_at = now
            subscription.last_checked_at = now
            subscription.save(update_fields=["last_checked_at", "last_sent_at"])
    except IntegrityError:
        # Another run claimed one of these versions first (SQLite's guard).
        return "skipped"
    except DatabaseError as error:
        if "locked" in str(error).lower():  # SQLite: another run is writing
            return "skipped"
        raise
    return "sent" if entries else "nothing_new"
