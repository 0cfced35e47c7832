"""python manage.py export_reviews DEST [--slug S ...]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.documents.exporting import review_documents_export, review_list_for_export
from reviews.documents.format import DocumentError


class Command(BaseCommand):
    help = (
        "Write every review (or those named with --slug) to DEST as review documents, "
        "one <slug>.md each. Importing them into an empty portal gives the same reviews."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("dest", metavar="DEST", help="Folder to write to; made if missing.")
        parser.add_argument(
            "--slug",
            action="append",
            dest="slugs",
            metavar="S",
            help="Export only this review; repeat for more.",
        )

    def handle(self, *args, dest: str, slugs: list[str] | None, **options) -> None:
        reviews = list(review_list_for_export(slugs=slugs))
        if slugs:
            unknown = sorted(set(slugs) - {review.slug for review in reviews})
            if unknown:
                raise CommandError(f"No review has the slug: {', '.join(unknown)}")
        try:
            files = review_documents_export(reviews=reviews)
        except DocumentError as error:
            raise CommandError(f"{error}\nNothing was exported.") from error
        folder = Path(dest)
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} is a file, not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        for filename, text in files:
            # Bytes, not text mode: the files are the same on every platform.
            (folder / filename).write_bytes(text.encode())
        self.stdout.write(
            f"{len(files)} review document{'s' if len(files) != 1 else ''} written to {folder}"
        )
