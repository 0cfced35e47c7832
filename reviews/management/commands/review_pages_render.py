from django.core.management.base import BaseCommand

from reviews.publishing.pages import review_pages_rerender


class Command(BaseCommand):
    help = (
        "Render the stored page of every published review again (reviews/publishing/pages.py). "
        "Publishing does this by itself; run it after changing page templates."
    )

    def handle(self, *args, **options) -> None:
        count = review_pages_rerender()
        self.stdout.write(f"Rendered {count} case summary page{'s' if count != 1 else ''}.")
