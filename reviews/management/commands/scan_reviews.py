"""python manage.py scan_reviews [--all | SLUG ...]

Runs the privacy check (reviews/privacy/review_scan.py) over reviews' working copies, as the
admin's Privacy check page does, and prints each finding with its excerpt. Exit status:
0 when nothing is unresolved, 1 when something is, 2 for a slug no review has.
"""

from django.core.management.base import BaseCommand, CommandError

from reviews.models import Review
from reviews.privacy.review_scan import review_scan


class Command(BaseCommand):
    help = (
        "Check reviews for things that could identify a child or family (postcodes, phone "
        "numbers, names, protected names...). Exits with status 1 if anything is unresolved."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Reviews to check.")
        parser.add_argument(
            "--all", dest="scan_all", action="store_true", help="Check every review."
        )

    def handle(self, *args, slugs: list[str], scan_all: bool, **options) -> None:
        if scan_all == bool(slugs):
            raise CommandError("Name the reviews to check by slug, or give --all.", returncode=2)
        reviews = Review.objects.working_copies().order_by("slug")
        if not scan_all:
            reviews = reviews.filter(slug__in=slugs)
            unknown = sorted(set(slugs) - {review.slug for review in reviews})
            if unknown:
                raise CommandError(f"No review has the slug: {', '.join(unknown)}", returncode=2)
        checked = unresolved_total = acknowledged_total = 0
        flagged: list[str] = []
        for review in reviews:
            checked += 1
            findings = review_scan(review=review)
            open_findings = [finding for finding in findings if not finding.acknowledged]
            unresolved_total += len(open_findings)
            acknowledged_total += len(findings) - len(open_findings)
            if not findings:
                continue
            if open_findings:
                flagged.append(review.slug)
            self.stdout.write(
                f"{review.slug}: {len(open_findings)} unresolved, "
                f"{len(findings) - len(open_findings)} acknowledged"
            )
            for finding in findings:
                state = "acknowledged" if finding.acknowledged else "UNRESOLVED"
                self.stdout.write(
                    f"  [{state}] {finding.kind_label} in {finding.where}: "
                    f"{finding.before}»{finding.match}«{finding.after}"
                )
        summary = (
            f"{checked} review{'s' if checked != 1 else ''} checked: "
            f"{unresolved_total} unresolved, {acknowledged_total} acknowledged."
        )
        if unresolved_total:
            self.stdout.write(summary)
            raise CommandError(
                f"Unresolved privacy findings in: {', '.join(flagged)}", returncode=1
            )
        self.stdout.write(self.style.SUCCESS(summary))
