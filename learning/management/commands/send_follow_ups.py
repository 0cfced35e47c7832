"""Sends the 90-day follow-ups of discussion returns that are due (docs/discussion-returns.md).

Run it daily from cron or a systemd timer. Safe to run twice, or at the same time as
another run, or again after a crash: each return's follow-up is claimed before it is sent,
so it is never sent twice.
"""

from django.core.management.base import BaseCommand

from learning.returns.services import follow_up_send_due


class Command(BaseCommand):
    help = "Send the one follow-up of each discussion return that is due (90 days on)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--limit", type=int, default=None, help="Send at most this many in this run."
        )

    def handle(self, *args, limit: int | None, **options) -> None:
        run = follow_up_send_due(limit=limit)
        self.stdout.write(f"Sent {run.sent} follow-up{'s' if run.sent != 1 else ''}.")
        if run.failed:
            self.stderr.write(
                "The mail server refused a follow-up; the run stopped and the rest wait for "
                "the next run (the log has the error)."
            )
