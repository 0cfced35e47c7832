from django.core.management.base import BaseCommand
from django.db import transaction

from reviews.publishing.public_copies import review_public_copies_refresh


class Command(BaseCommand):
    help = (
        "Render the stored page of every published review again, and drop the public page "
        "cache. Publishing does this by itself; run it after changing page templates."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            count = review_public_copies_refresh(search=False)
        self.stdout.write(f"Rendered {count} case summary page{'s' if count != 1 else ''}.")
