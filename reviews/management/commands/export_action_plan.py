"""python manage.py export_action_plan [--review SLUG] [-o FILE]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.actions.csv_export import action_plan_csv
from reviews.models import Review


class Command(BaseCommand):
    help = (
        "Write action plans as CSV (docs/action-plans.md): UTF-8 with a byte-order mark, "
        "CRLF line ends, ISO dates, ready for Excel and for import_action_plan."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--review", metavar="SLUG", help="Only this review's plan.")
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write to this file (default: standard output)."
        )

    def handle(self, *args, review: str | None, output: str | None, **options) -> None:
        if review is not None and not Review.objects.working_copies().filter(slug=review).exists():
            raise CommandError(f"unknown review '{review}'")
        data = action_plan_csv(review_slug=review)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Action plan written to {output}.")
        else:
            # Bytes, untouched: the byte-order mark and CRLF line ends are part of the format.
            self.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
