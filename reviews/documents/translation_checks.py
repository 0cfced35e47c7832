"""Checking translation documents (`translation_of`) against the review they translate, and
giving them the original's structured values (docs/review-documents.md, "Translations").

A translation names its original by slug: a review already in the portal, or a document of
the same import (imported first). It must line up with it (the same number of chronology
events, findings, recommendations and learning points, in the same order, and the same
number of prompts per learning point; reviews/translations/checks.py), refused at the first
difference. Structured values (type, board, nation, dates, ages in months, sex, outcome,
themes, agencies, keywords...) belong to the original: a translation may leave them out,
and where it gives one it must be the original's. They are then copied from the original,
so the review written holds them whatever the document left out. A translation's `status`
is its own (it is signed off on its own), and is not compared.
"""

from reviews.documents.exporting import review_list_for_export, review_to_document
from reviews.documents.format import LANGUAGES, DocumentProblem, ReviewDocument
from reviews.translations.checks import Outline, first_difference

# (document path, attribute) of the review's structured values, in the spec's order.
REVIEW_STRUCTURED = (
    ("review_type", "review_type"),
    ("board", "board"),
    ("nation", "nation"),
    ("published_on", "published_on"),
    ("reviewer", "reviewer"),
    ("child.sex", "child.sex"),
    ("child.age_months", "child.age_months"),
    ("child.outcome", "child.outcome"),
    ("incident_date", "incident_date"),
    ("agencies", "agencies"),
    ("keywords", "keywords"),
    ("report_url", "report_url"),
    ("statutory.incident_known_on", "statutory.incident_known_on"),
    ("statutory.panel_notified_on", "statutory.panel_notified_on"),
    ("statutory.rapid_review_sent_on", "statutory.rapid_review_sent_on"),
    ("statutory.sent_to_panel_on", "statutory.sent_to_panel_on"),
)
CHRONOLOGY_STRUCTURED = ("age_months", "date", "agencies", "key")
RECOMMENDATION_STRUCTURED = ("agencies",)
LEARNING_STRUCTURED = ("themes", "agencies")


def outline_of_document(doc: ReviewDocument) -> Outline:
    return Outline(
        chronology=len(doc.chronology),
        findings=len(doc.analysis),
        recommendations=len(doc.recommendations),
        prompts=tuple(len(point.prompts) for point in doc.learning),
    )


def _get(obj, dotted: str):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _set(obj, dotted: str, value) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        obj = getattr(obj, part)
    setattr(obj, last, value)


def _shown(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    if value is None or value == "":
        return "nothing"
    return f"'{value}'"


def _originals(
    documents: list[tuple[str, ReviewDocument]],
) -> dict[str, ReviewDocument | str]:
    """The document of every original a translation names: from this import, else from the
    database (as it would be exported). A slug naming a translation maps to its original's
    slug (a str), to be refused."""
    in_import = {doc.slug: doc for _, doc in documents if not doc.translation_of}
    wanted = {doc.translation_of for _, doc in documents if doc.translation_of} - set(in_import)
    found: dict[str, ReviewDocument | str] = dict(in_import)
    if wanted:
        for review in review_list_for_export(slugs=wanted).select_related("translation_of"):
            if review.translation_of_id:
                found[review.slug] = review.translation_of.slug
            else:
                found[review.slug] = review_to_document(review)
    return found


def check_translations(documents: list[tuple[str, ReviewDocument]]) -> list[DocumentProblem]:
    """Problems of the translations among `documents`; those with none are given their
    original's structured values. Originals are put first (a folder's order is kept
    otherwise), so that importing writes an original before its translations."""
    documents.sort(key=lambda item: bool(item[1].translation_of))
    originals = _originals(documents)
    problems: list[DocumentProblem] = []
    for filename, doc in documents:
        if doc.translation_of:
            found = _check_one(filename, doc, originals.get(doc.translation_of))
            problems += found
            if not found:
                _copy_structure(doc, originals[doc.translation_of])
    return problems


def _check_one(
    filename: str, doc: ReviewDocument, original: ReviewDocument | str | None
) -> list[DocumentProblem]:
    lines = doc.lines
    here = lines.get("translation_of")

    def problem(path: str, message: str) -> DocumentProblem:
        return DocumentProblem(filename, lines.get(path, here), path, message)

    if original is None:
        return [
            problem(
                "translation_of",
                f"no review has the slug '{doc.translation_of}'; give the slug of the review "
                "this document translates (import it first, or in the same folder)",
            )
        ]
    if isinstance(original, str):
        return [
            problem(
                "translation_of",
                f"'{doc.translation_of}' is itself a translation (of '{original}'); "
                "name the original",
            )
        ]
    if doc.language == original.language:
        language = LANGUAGES.get(doc.language, doc.language)
        return [
            problem(
                "language",
                f"'{doc.language}' ({language}) is the language of the original "
                f"'{original.slug}'; a translation is in another language",
            )
        ]
    difference = first_difference(outline_of_document(original), outline_of_document(doc))
    if difference:
        where, what = difference
        path = where if where != "analysis" else "## Analysis"
        line = lines.get(path) or lines.get("## Key learning") or here
        return [
            DocumentProblem(
                filename,
                line,
                where,
                f"does not line up with '{original.slug}': {what} (a translation has the "
                "same rows as its original, in the same order)",
            )
        ]
    found: list[DocumentProblem] = []

    def compare(path: str, ours, theirs) -> None:
        if path in lines and ours != theirs:
            found.append(
                problem(
                    path,
                    f"{_shown(ours)} in the translation, but the original '{original.slug}' "
                    f"has {_shown(theirs)}; structured values belong to the original: leave "
                    "it out or give the original's",
                )
            )

    for path, attribute in REVIEW_STRUCTURED:
        compare(path, _get(doc, attribute), _get(original, attribute))
    for kind, names in (
        ("chronology", CHRONOLOGY_STRUCTURED),
        ("recommendations", RECOMMENDATION_STRUCTURED),
        ("learning", LEARNING_STRUCTURED),
    ):
        for index, (ours, theirs) in enumerate(
            zip(getattr(doc, kind), getattr(original, kind), strict=True), start=1
        ):
            for name in names:
                compare(f"{kind}[{index}].{name}", getattr(ours, name), getattr(theirs, name))
    return found


def _copy_structure(doc: ReviewDocument, original: ReviewDocument) -> None:
    for _, attribute in REVIEW_STRUCTURED:
        _set(doc, attribute, _get(original, attribute))
    for kind, names in (
        ("chronology", CHRONOLOGY_STRUCTURED),
        ("recommendations", RECOMMENDATION_STRUCTURED),
        ("learning", LEARNING_STRUCTURED),
    ):
        for ours, theirs in zip(getattr(doc, kind), getattr(original, kind), strict=True):
            for name in names:
                setattr(ours, name, getattr(theirs, name))
