"""python manage.py import_action_plan FILE [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reviews.actions.csv_import import ActionPlanError
from reviews.actions.services import action_plan_import
from reviews.management.commands.import_reviews import operating_system_user


class Command(BaseCommand):
    help = (
        "Import an action plan CSV (docs/action-plans.md). All or nothing: if one row is "
        "refused, every problem is printed as file:line: column: message and nothing is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FILE", help="The CSV file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and say what would change, but write nothing.",
        )

    def handle(self, *args, file: str, dry_run: bool, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            with transaction.atomic():
                report = action_plan_import(
                    filename=path.name,
                    data=path.read_bytes(),
                    user=None,
                    run_by=f"{operating_system_user()} (import_action_plan)",
                )
                if dry_run:
                    transaction.set_rollback(True)
        except ActionPlanError as error:
            raise CommandError(
                "\n".join(error.problems) + f"\nNothing was imported from {path.name}."
            ) from error
        self.stdout.write(f"Dry run, nothing written: {report}" if dry_run else str(report))
