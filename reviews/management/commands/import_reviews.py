"""python manage.py import_reviews PATH... [--update] [--dry-run] [--keep-status]"""

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.db import database_analyse
from reviews.documents.format import DocumentError
from reviews.documents.importing import review_documents_import


class Command(BaseCommand):
    help = (
        "Import review documents (docs/review-documents.md): files, or folders searched "
        "for *.md. All or nothing: if one document is refused, nothing is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A .md file or a folder.")
        parser.add_argument(
            "--update",
            action="store_true",
            help="Replace reviews whose slug already exists (each gets a new revision).",
        )
        parser.add_argument(
            "--keep-status",
            action="store_true",
            help="Migrating a back catalogue: make documents marked published live at once "
            "and keep withdrawn ones withdrawn. Without it every document that is not a draft "
            "waits for a publisher's sign-off in the admin.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and say what would change, but write nothing.",
        )

    def handle(
        self, *args, paths: list[str], update: bool, dry_run: bool, keep_status: bool, **options
    ) -> None:
        sources = [(str(path), path.read_bytes()) for path in self.files(paths)]
        try:
            report = review_documents_import(
                sources=sources,
                update=update,
                dry_run=dry_run,
                keep_status=keep_status,
                run_by=f"{operating_system_user()} (import_reviews)",
            )
        except DocumentError as error:
            count = len({problem.file for problem in error.problems})
            raise CommandError(
                f"{error}\nNothing was imported: {count} of {len(sources)} "
                f"document{'s' if len(sources) != 1 else ''} refused."
            ) from error
        if not dry_run:
            # A folder can hold a whole back catalogue: plan from statistics that know it.
            database_analyse()
        for review in report.reviews:
            would = "would be " if dry_run else ""
            action = "created" if review.action == "create" else "updated"
            changes = f", {len(review.changes)} changes" if review.action == "update" else ""
            self.stdout.write(
                f"{review.filename}: {review.slug} {would}{action} ({review.status}{changes})"
            )
        self.stdout.write(f"Dry run, nothing written: {report}" if dry_run else str(report))

    def files(self, paths: list[str]) -> list[Path]:
        files: list[Path] = []
        for name in paths:
            path = Path(name)
            if path.is_dir():
                found = sorted(p for p in path.rglob("*.md") if p.is_file())
                if not found:
                    raise CommandError(f"{path}: no .md files in this folder")
                files += found
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        return list(dict.fromkeys(files))


def operating_system_user() -> str:
    """Who ran the command, for the audit log: the login name, else the numeric user id."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        import os

        return f"uid {os.getuid()}"
