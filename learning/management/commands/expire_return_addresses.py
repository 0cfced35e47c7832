"""Deletes the e-mail addresses of discussion returns once their job is done
(docs/discussion-returns.md): after the follow-up, or 12 months after the return, whichever
is first. Run it daily, after send_follow_ups."""

from django.core.management.base import BaseCommand

from learning.returns.services import addresses_expire


class Command(BaseCommand):
    help = "Delete return e-mail addresses after their follow-up or after 12 months."

    def handle(self, *args, **options) -> None:
        count = addresses_expire()
        self.stdout.write(f"Deleted {count} e-mail address{'es' if count != 1 else ''}.")
