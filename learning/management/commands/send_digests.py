"""Sends the subscribers' digests that are due; a scheduler runs it (docs/subscriptions.md).

    manage.py send_digests                      # every due digest, daily and weekly
    manage.py send_digests --frequency daily    # only daily ones

Unconfirmed subscriptions past their days are deleted first (as `expire_subscriptions`).
Safe to run twice, at once, or after a crash: no review version reaches a subscriber twice,
none is skipped (learning/subscriptions/digests.py). Exits with an error when a digest
could not be sent; those subscriptions stay due for the next run.
"""

from django.core.management.base import BaseCommand, CommandError

from learning.subscriptions.digests import digests_send
from learning.subscriptions.models import Subscription
from learning.subscriptions.services import subscriptions_expire


class Command(BaseCommand):
    help = "Send the subscription digests that are due (safe to run again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--frequency",
            choices=Subscription.Frequency.values,
            help="Only subscriptions with this frequency (default: both).",
        )

    def handle(self, *args, frequency: str | None = None, **options) -> None:
        expired = subscriptions_expire()
        if expired:
            self.stdout.write(f"{expired} unconfirmed subscriptions deleted.")
        report = digests_send(frequency=frequency)
        self.stdout.write(f"Digests: {report}.")
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} digests could not be sent (see the log); "
                "they will be sent by the next run."
            )
