"""Deletes subscriptions left unconfirmed for 7 days (the privacy notice promises it).

`send_digests` does the same first; this is for a scheduler that runs it on its own.
"""

from django.core.management.base import BaseCommand

from learning.subscriptions.services import subscriptions_expire


class Command(BaseCommand):
    help = "Delete subscriptions that were never confirmed, 7 days after they were asked for."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{subscriptions_expire()} unconfirmed subscriptions deleted.")
