"""Importing review documents: every document is checked first, then all are written, or none.

A document becomes a review's working copy, written through
`reviews.publishing.revisions.restore_review` (the one place that knows what a review is
made of), and a new revision. A document whose
status is "published" is then made live at once with `services.review_make_live`: its
publication elsewhere is the sign-off. Boards and agencies are found by name or created.

Fields the format does not carry ("improvements only", "keep published until", facilitator
notes on prompts whose learning point and question are unchanged) keep their values when a
review is updated. The statutory dates are carried (the `statutory` block): a document
without them empties them, as it does any other field it leaves out.

The checks made before anything is written are in reviews/documents/import_checks.py.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from reviews.documents.format import DocumentError, DocumentProblem, ReviewDocument
from reviews.documents.import_checks import (
    check_against_database,
    event_fields,
    read_documents,
    review_fields,
)
from reviews.documents.translation_checks import check_translations
from reviews.models import Agency, Board, DiscussionPrompt, Review, ReviewType, Theme
from reviews.privacy.review_scan import (
    ReviewFinding,
    refusal_message,
    snapshot_scan,
    unresolved,
)
from reviews.publishing import services
from reviews.publishing.diff import Change, diff_snapshots
from reviews.publishing.revisions import SNAPSHOT_FORMAT, restore_review, serialize_review

Status = Review.Status


@dataclass
class ImportedReview:
    """One document of an import: the review it creates or updates, and what changes."""

    filename: str
    slug: str
    title: str
    action: str  # "create" or "update"
    status: str  # the document's: draft, published or withdrawn
    changes: list[Change] = field(default_factory=list)  # updates only
    # The privacy check of the document (reviews/privacy/review_scan.py); acknowledgements of
    # the review it updates still apply.
    privacy_findings: list[ReviewFinding] = field(default_factory=list)

    @property
    def privacy_unresolved(self) -> list[ReviewFinding]:
        return unresolved(self.privacy_findings)


@dataclass
class ImportReport:
    reviews: list[ImportedReview] = field(default_factory=list)
    boards_created: list[str] = field(default_factory=list)
    agencies_created: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def created(self) -> list[ImportedReview]:
        return [review for review in self.reviews if review.action == "create"]

    @property
    def updated(self) -> list[ImportedReview]:
        return [review for review in self.reviews if review.action == "update"]

    def __str__(self) -> str:
        would = "would be " if self.dry_run else ""
        parts = []
        for action, reviews in (("created", self.created), ("updated", self.updated)):
            if reviews:
                noun = "review" if len(reviews) == 1 else "reviews"
                slugs = ", ".join(review.slug for review in reviews)
                parts.append(f"{len(reviews)} {noun} {would}{action} ({slugs})")
        flagged = [review for review in self.reviews if review.privacy_unresolved]
        if flagged:
            parts.append(
                "privacy check: "
                + ", ".join(f"{len(r.privacy_unresolved)} to look at in {r.slug}" for r in flagged)
            )
        for what, names in (("board", self.boards_created), ("agency", self.agencies_created)):
            if names:
                plural = {"board": "boards", "agency": "agencies"}[what]
                parts.append(f"new {what if len(names) == 1 else plural}: {', '.join(names)}")
        return "; ".join(parts) or "nothing to import"


def review_documents_import(
    *,
    sources: Sequence[tuple[str, bytes]],
    update: bool = False,
    dry_run: bool = False,
    user: AbstractBaseUser | None = None,
    keep_status: bool = False,
    run_by: str = "",
) -> ImportReport:
    """Import review documents, given as (file name, bytes): all of them, or none.

    Raises DocumentError listing every problem of every document (nothing is written).
    An existing slug is refused unless `update`; then that review's fields and child rows
    are replaced by the document's, as a new revision. With `dry_run` everything is done
    and then rolled back, so the report says exactly what an import would do.
    `user` is the person importing (None from the command line): they need permission to
    add or change reviews.

    An import never publishes on one person's word: a published or withdrawn document
    becomes a working copy waiting for another person's sign-off, whatever its status says.
    Only `keep_status`, for migrating a back catalogue from the command line
    (`import_reviews --keep-status`), makes published documents live at once and keeps
    withdrawn ones withdrawn. `run_by` names who ran a command-line import (the operating
    system's user) for the audit log.
    """
    if keep_status and user is not None:
        raise ValueError("keep_status is for command-line imports only, never the admin's")
    documents, problems = read_documents(sources)
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        # Translations: lined up with their originals, given their structured values, and
        # put after them (reviews/documents/translation_checks.py).
        problems += check_translations(documents)
        existing = {
            review.slug: review
            for review in Review.objects.working_copies()
            .select_for_update()
            .filter(slug__in=[doc.slug for _, doc in documents])
        }
        problems += check_against_database(
            documents, existing, update=update, user=user, keep_status=keep_status
        )
        if problems:
            raise DocumentError(problems)
        writer = _Writer(user=user, report=report, keep_status=keep_status, run_by=run_by)
        for filename, doc in documents:
            writer.write(filename, doc, existing.get(doc.slug))
        if writer.problems:
            raise DocumentError(writer.problems)  # rolls back everything written
        services.public_changed_many(writer.made_live)
        if dry_run:
            transaction.set_rollback(True)
    return report


class _Writer:
    """Writes checked documents, finding or creating boards and agencies once per import."""

    def __init__(
        self,
        *,
        user: AbstractBaseUser | None,
        report: ImportReport,
        keep_status: bool = False,
        run_by: str = "",
    ) -> None:
        self.user = user
        self.report = report
        self.keep_status = keep_status
        self.run_by = run_by
        self.review_types = {rt.slug: rt for rt in ReviewType.objects.all()}
        self.themes = {theme.slug: theme.pk for theme in Theme.objects.all()}
        self.boards: dict[str, Board] = {}
        self.agencies: dict[str, Agency] = {}
        self.problems: list[DocumentProblem] = []
        self.made_live: list[Review] = []  # pages and search rows are written for all at once
        self.written: dict[str, Review] = {}  # by slug: the originals a translation points at

    def original_id(self, slug: str) -> int | None:
        if not slug:
            return None
        if slug not in self.written:
            self.written[slug] = Review.objects.working_copies().get(slug=slug)
        return self.written[slug].pk

    def board(self, name: str) -> Board:
        if name not in self.boards:
            self.boards[name] = self.find_or_create(Board, name, self.report.boards_created)
        return self.boards[name]

    def agency_ids(self, names: list[str]) -> list[int]:
        for name in names:
            if name not in self.agencies:
                self.agencies[name] = self.find_or_create(
                    Agency, name, self.report.agencies_created
                )
        return [self.agencies[name].pk for name in names]

    @staticmethod
    def find_or_create(model, name: str, created: list[str]):
        # By name, then ignoring case ("GP" and "gp" are one agency); a new row gets a free
        # slug, since "Children's social care" and "Childrens social care" slugify alike.
        found = model.objects.filter(name=name).first()
        found = found or model.objects.filter(name__iexact=name).order_by("pk").first()
        if found:
            return found
        max_length = model._meta.get_field("slug").max_length
        base = slugify(name)[:max_length] or "unnamed"
        slug, number = base, 1
        while model.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base[: max_length - len(str(number)) - 1]}-{number}"
        created.append(name)
        return model.objects.create(name=name, slug=slug)

    def write(self, filename: str, doc: ReviewDocument, review: Review | None) -> None:
        before = serialize_review(review) if review else None
        notes = self.facilitator_notes(review) if review else {}
        snapshot = self.snapshot(doc, notes)
        findings = snapshot_scan(snapshot=snapshot, review=review)
        make_live = self.keep_status and doc.status == Status.PUBLISHED
        # Anything but a draft waits for another person's sign-off (unless the back
        # catalogue is migrated with --keep-status).
        submit = not self.keep_status and doc.status != Status.DRAFT
        if make_live and unresolved(findings):
            # Publishing elsewhere is no privacy check: refuse, as signing off would.
            message = refusal_message(
                unresolved(findings),
                doing="it cannot be imported as published",
                remedy="fixed in the document, or the document is imported as a draft and "
                "each finding is fixed or acknowledged on the review's Privacy check page",
            )
            self.problems.append(
                DocumentProblem(filename, doc.lines.get("status"), "status", message)
            )
            return
        if review is None:
            review = Review()
        else:
            review.version += 1  # an edit form opened before the import is now stale
        if self.keep_status and doc.status == Status.WITHDRAWN:
            review.status = Status.WITHDRAWN
        elif doc.status == Status.DRAFT and review.status != Status.READY:
            review.status = Status.DRAFT
        restore_review(snapshot=snapshot, into=review)
        self.written[review.slug] = review

        note = f"Imported from {filename}"
        details = {"file": filename, "keep_status": self.keep_status or None}
        if self.user is None:
            details["run_by"] = self.run_by or "the command line"
        if make_live:
            services.review_make_live(
                review=review,
                published_by=self.user,
                note=note,
                public_changes=self.made_live,
                **details,
            )
        else:
            services.review_record_import(
                review=review, user=self.user, note=note, submit=submit, **details
            )
        self.report.reviews.append(
            ImportedReview(
                filename=filename,
                slug=doc.slug,
                title=doc.title,
                action="create" if before is None else "update",
                status=review.status,
                changes=diff_snapshots(before, serialize_review(review)) if before else [],
                privacy_findings=findings,
            )
        )

    @staticmethod
    def facilitator_notes(review: Review) -> dict[tuple[str, str], str]:
        return {
            (title, question): note
            for title, question, note in DiscussionPrompt.objects.filter(
                learning_point__review=review
            )
            .exclude(facilitator_note="")
            .values_list("learning_point__title", "question", "facilitator_note")
        }

    def snapshot(self, doc: ReviewDocument, notes: dict[tuple[str, str], str]) -> dict:
        """The document as a revisions snapshot, ready for restore_review."""
        data = {
            **review_fields(doc),
            "translation_of_id": self.original_id(doc.translation_of),
            "review_type_id": self.review_types[doc.review_type].pk,
            "board_id": self.board(doc.board).pk,
            "agencies": self.agency_ids(doc.all_agencies()),
            "chronology_events": [
                {**event_fields(event, position), "agencies": self.agency_ids(event.agencies)}
                for position, event in enumerate(doc.chronology, start=1)
            ],
            "findings": [
                {"position": position, "heading": finding.heading, "text": finding.text}
                for position, finding in enumerate(doc.analysis, start=1)
            ],
            "recommendations": [
                {
                    "position": position,
                    "text": recommendation.text,
                    "agencies": self.agency_ids(recommendation.agencies),
                }
                for position, recommendation in enumerate(doc.recommendations, start=1)
            ],
            "learning_points": [
                {
                    "position": position,
                    "title": point.title,
                    "body": point.body,
                    "themes": [self.themes[theme] for theme in point.themes],
                    "agencies": self.agency_ids(point.agencies),
                    "prompts": [
                        {
                            "position": number,
                            "question": question,
                            "facilitator_note": notes.get((point.title, question), ""),
                        }
                        for number, question in enumerate(point.prompts, start=1)
                    ],
                }
                for position, point in enumerate(doc.learning, start=1)
            ],
        }
        return {"format": SNAPSHOT_FORMAT, "review": data}
