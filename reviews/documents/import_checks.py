"""Checking review documents before an import writes any: every problem of every document is
found first, so that an import is all or nothing.

`read_documents` parses each file and asks the models' own field rules what the database
would refuse (a title over 200 characters, say), naming the document's field and line;
`check_against_database` finds what only the database can tell (slugs in use, live copies,
permissions). `review_fields` and `event_fields` map a document to model field values, for
these checks and for the writing in reviews/documents/importing.py.
"""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from reviews.documents.format import DocumentError, DocumentProblem, ReviewDocument
from reviews.documents.reading import parse_document
from reviews.models import (
    Agency,
    AnalysisFinding,
    Board,
    ChronologyEvent,
    LearningPoint,
    Review,
    ReviewType,
    Theme,
)
from reviews.publishing import services

Status = Review.Status

# Where each review field comes from in a document, to name the line of a value the
# database refuses (a title over 200 characters, say).
REVIEW_FIELD_PATHS = {
    "title": "title",
    "slug": "slug",
    "language": "language",
    "plain_summary": "plain_summary",
    "nation": "nation",
    "published_on": "published_on",
    "reviewer": "reviewer",
    "methodology": "methodology",
    "child_pseudonym": "child.pseudonym",
    "child_sex": "child.sex",
    "child_age_text": "child.age_at_incident",
    "child_age_months": "child.age_months",
    "child_outcome": "child.outcome",
    "review_period": "review_period",
    "incident_date": "incident_date",
    "keywords": "keywords",
    "report_url": "report_url",
    "content_warning": "content_warning",
    "summary": "## Case summary",
    **{name: f"statutory.{name}" for name in Review.STATUTORY_FIELDS},
}


def read_documents(
    sources: Sequence[tuple[str, bytes]],
) -> tuple[list[tuple[str, ReviewDocument]], list[DocumentProblem]]:
    """Parse every document and check it against the models' own field rules."""
    known_themes = set(Theme.objects.values_list("slug", flat=True))
    documents: list[tuple[str, ReviewDocument]] = []
    problems: list[DocumentProblem] = []
    first_with_slug: dict[str, str] = {}
    for filename, data in sources:
        try:
            doc = parse_document(data, name=filename, known_themes=known_themes)
        except DocumentError as error:
            problems += error.problems
            continue
        problems += _field_problems(filename, doc)
        if doc.slug in first_with_slug:
            problems.append(
                DocumentProblem(
                    filename,
                    doc.lines.get("slug", doc.lines.get("title")),
                    "slug",
                    f"'{doc.slug}' is also the slug of {first_with_slug[doc.slug]}; "
                    "each review in an import needs its own",
                )
            )
            continue
        first_with_slug[doc.slug] = filename
        documents.append((filename, doc))
    return documents, problems


def _field_problems(filename: str, doc: ReviewDocument) -> list[DocumentProblem]:
    """What the database would refuse (lengths, mostly), named by the document's field."""
    problems: list[DocumentProblem] = []

    def check(instance, path: str, paths: dict[str, str], exclude: list[str]) -> None:
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = f"{path}.{paths.get(name, name)}" if path else paths.get(name, name)
                for message in messages:
                    problems.append(DocumentProblem(filename, doc.lines.get(where), where, message))

    fields = review_fields(doc)
    exclude = ["board", "review_type", "translation_of"]
    if doc.translation_of:
        # Structured values a translation leaves out are its original's, filled in later.
        exclude += ["nation", "child_outcome", "child_sex"]
    check(Review(**fields), "", REVIEW_FIELD_PATHS, exclude=exclude)
    if doc.board or not doc.translation_of:
        check(Board(name=doc.board), "", {"name": "board"}, exclude=["slug"])
    for name in doc.all_agencies():
        check(Agency(name=name), "", {"name": f"agency {name!r}"}, exclude=["slug"])
    for index, event in enumerate(doc.chronology, start=1):
        check(
            ChronologyEvent(**event_fields(event, index)),
            f"chronology[{index}]",
            {"text": "event", "is_key": "key"},
            exclude=["review"],
        )
    for index, finding in enumerate(doc.analysis, start=1):
        check(
            AnalysisFinding(position=index, heading=finding.heading, text=finding.text),
            f"analysis[{index}]",
            {},
            exclude=["review"],
        )
    for index, point in enumerate(doc.learning, start=1):
        check(
            LearningPoint(position=index, title=point.title, body=point.body),
            f"learning[{index}]",
            {},
            exclude=["review"],
        )
    return problems


PERMISSION_WORDS = {
    "reviews.add_review": "add reviews",
    "reviews.change_review": "change reviews",
    services.PERMISSION_PUBLISH: "publish or withdraw reviews",
}


def check_against_database(
    documents: list[tuple[str, ReviewDocument]],
    existing: dict[str, Review],
    *,
    update: bool,
    user: AbstractBaseUser | None,
    keep_status: bool,
) -> list[DocumentProblem]:
    """Problems only the database can tell: slugs in use, live copies, permissions."""
    problems: list[DocumentProblem] = []
    live_copies = {
        live.working_copy_id: live
        for live in Review.objects.filter(is_live=True, working_copy__in=existing.values())
    }
    live_slugs = dict(
        Review.objects.filter(
            is_live=True, slug__in=[doc.slug for _, doc in documents]
        ).values_list("slug", "working_copy_id")
    )
    review_types = set(ReviewType.objects.values_list("slug", flat=True))

    for filename, doc in documents:

        def problem(path: str, message: str, filename=filename, doc=doc) -> None:
            line = doc.lines.get(path, doc.lines.get("title"))
            problems.append(DocumentProblem(filename, line, path, message))

        review = existing.get(doc.slug)
        # A translation's type is its original's (reviews/documents/translation_checks.py).
        if doc.review_type not in review_types and not doc.translation_of:
            problem("review_type", f"'{doc.review_type}' is missing from this portal's types")
        if review is not None and not update:
            problem(
                "slug",
                f"a review with the slug '{doc.slug}' already exists; import with update "
                "to replace it with this document",
            )
            continue
        live = live_copies.get(review.pk) if review else None
        # Taking a public review down, or bringing a withdrawn one back as a draft, needs a
        # reason and a notice for the public: the admin's withdraw button, not a file.
        if keep_status and live is not None and doc.status not in (Status.PUBLISHED, live.status):
            problem(
                "status",
                f"the review is {live.get_status_display().lower()} on the portal and an "
                f"import cannot make it {doc.status}; do that in the admin, or import the "
                f"document as {live.status}",
            )
        # Making it live gives the live copy this slug, which another review's live copy
        # may still hold (its working copy was given a new slug since).
        holder = live_slugs.get(doc.slug)
        if (
            keep_status
            and doc.status == Status.PUBLISHED
            and holder not in (None, review.pk if review else None)
        ):
            problem(
                "slug",
                f"another published or withdrawn review still uses the address '{doc.slug}'",
            )
        if user is not None:
            needed = ["reviews.change_review"]
            if review is None:
                needed.append("reviews.add_review")
            missing = [PERMISSION_WORDS[name] for name in needed if not user.has_perm(name)]
            if missing:
                problem(
                    "status",
                    f"you do not have permission to {' or '.join(missing)}, which importing "
                    f"this review needs",
                )
    return problems


def review_fields(doc: ReviewDocument) -> dict:
    return {
        "title": doc.title,
        "slug": doc.slug,
        "language": doc.language,
        "plain_summary": doc.plain_summary,
        "nation": doc.nation,
        "published_on": doc.published_on,
        "reviewer": doc.reviewer,
        "methodology": doc.methodology,
        "child_pseudonym": doc.child.pseudonym,
        "child_sex": doc.child.sex,
        "child_age_text": doc.child.age_at_incident,
        "child_age_months": doc.child.age_months,
        "child_outcome": doc.child.outcome,
        "review_period": doc.review_period,
        "incident_date": doc.incident_date,
        "keywords": ", ".join(doc.keywords),
        "report_url": doc.report_url,
        "content_warning": doc.content_warning,
        "summary": doc.case_summary,
        **{name: getattr(doc.statutory, name) for name in Review.STATUTORY_FIELDS},
    }


def event_fields(event, position: int) -> dict:
    return {
        "position": position,
        "when": event.when,
        "age_months": event.age_months,
        "date": event.date,
        "text": event.event,
        "is_key": event.key,
    }
