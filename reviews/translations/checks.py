"""What makes a translation fit to publish: it lines up with its original, its structured
values are the original's, and every text the original has is translated.

A translation (a Review with `translation_of`, reviews/models/review.py) holds the
translated words; the structure (how many chronology events, findings, recommendations,
learning points and prompts, in which order) and the structured values (type, board,
dates, ages in months, themes, agencies...) belong to the original. These checks work on
revision snapshots (reviews/publishing/revisions.py), so the workflow can check exactly what
goes public; reviews/documents/import_checks.py applies the same outline to documents.
"""

from dataclasses import dataclass

# Review fields (snapshot names) that belong to the original and are copied to translations.
REVIEW_STRUCTURED = (
    "review_type_id",
    "board_id",
    "nation",
    "published_on",
    "reviewer",
    "child_sex",
    "child_age_months",
    "child_outcome",
    "incident_date",
    "keywords",
    "report_url",
    "sent_to_panel_on",
    "incident_known_on",
    "panel_notified_on",
    "rapid_review_sent_on",
    "improvements_only",
    "keep_published_until",
    "agencies",
)
# Per kind of child row: the structured values copied from the original's row at the same
# place, and the words a translator translates.
CHILD_STRUCTURED = {
    "chronology_events": ("age_months", "date", "is_key", "agencies"),
    "findings": (),
    "recommendations": ("agencies",),
    "learning_points": ("themes", "agencies"),
    "prompts": (),
}
REVIEW_TRANSLATED = (
    "title",
    "child_pseudonym",
    "child_age_text",
    "review_period",
    "methodology",
    "content_warning",
    "plain_summary",
    "summary",
)
CHILD_TRANSLATED = {
    "chronology_events": ("when", "text"),
    "findings": ("heading", "text"),
    "recommendations": ("text",),
    "learning_points": ("title", "body"),
    "prompts": ("question", "facilitator_note"),
}
# Long texts: a translation still holding the original's words here is not translated yet.
# (Short ones, a pseudonym or "11 months", may rightly stay the same.)
LONG_TEXTS = {"summary", "text", "body", "question"}

LABELS = {
    "chronology_events": "chronology event",
    "findings": "finding",
    "recommendations": "recommendation",
    "learning_points": "learning point",
    "prompts": "prompt",
}


@dataclass(frozen=True)
class Outline:
    """The shape a translation must share with its original."""

    chronology: int
    findings: int
    recommendations: int
    prompts: tuple[int, ...]  # prompts per learning point, in order


def outline_of_snapshot(snapshot: dict) -> Outline:
    review = snapshot["review"]
    return Outline(
        chronology=len(review.get("chronology_events", [])),
        findings=len(review.get("findings", [])),
        recommendations=len(review.get("recommendations", [])),
        prompts=tuple(len(point.get("prompts", [])) for point in review.get("learning_points", [])),
    )


def first_difference(original: Outline, translation: Outline) -> tuple[str, str] | None:
    """(where, what) of the first way a translation's outline differs from its original's:
    chronology, findings, recommendations, learning points, then prompts point by point."""
    for where, noun, theirs, ours in (
        ("chronology", "chronology events", original.chronology, translation.chronology),
        ("analysis", "findings", original.findings, translation.findings),
        (
            "recommendations",
            "recommendations",
            original.recommendations,
            translation.recommendations,
        ),
        ("learning", "learning points", len(original.prompts), len(translation.prompts)),
    ):
        if theirs != ours:
            return where, f"the translation has {ours} {noun}, the original has {theirs}"
    for index, (theirs, ours) in enumerate(
        zip(original.prompts, translation.prompts, strict=True), start=1
    ):
        if theirs != ours:
            return (
                f"learning[{index}].prompts",
                f"the translation has {ours} prompts, the original's learning point {index} "
                f"has {theirs}",
            )
    return None


def _rows(data: dict, accessor: str) -> list[dict]:
    return data.get(accessor, [])


def structure_copied(*, original: dict, translation: dict) -> dict:
    """The translation's snapshot with the original's structured values (review fields and,
    where they line up, child rows' values). Its words are left alone."""
    source, target = original["review"], {**translation["review"]}
    for name in REVIEW_STRUCTURED:
        if name in source:
            target[name] = source[name]

    def copy_children(source_row: dict, target_row: dict, accessors) -> None:
        for accessor in accessors:
            theirs, ours = _rows(source_row, accessor), _rows(target_row, accessor)
            copied = []
            for index, row in enumerate(ours):
                row = {**row}
                if index < len(theirs):
                    for name in CHILD_STRUCTURED[accessor]:
                        if name in theirs[index]:
                            row[name] = theirs[index][name]
                    if accessor == "learning_points":
                        copy_children(theirs[index], row, ("prompts",))
                copied.append(row)
            target_row[accessor] = copied

    copy_children(
        source, target, ("chronology_events", "findings", "recommendations", "learning_points")
    )
    return {**translation, "review": target}


def translation_problems(*, original: dict, translation: dict) -> list[str]:
    """Why a translation (snapshot) is not ready to publish beside its original (snapshot),
    in the board's words; empty when it lines up, has the original's structured values and
    translates every text the original has."""
    difference = first_difference(outline_of_snapshot(original), outline_of_snapshot(translation))
    if difference:
        where, what = difference
        return [f"It does not line up with the original ({where}: {what})."]
    problems = []
    if structure_copied(original=original, translation=translation) != translation:
        problems.append(
            "Its structured values (dates, ages, themes, agencies...) differ from the "
            "original's: save the translation once to take the original's."
        )
    untranslated = []

    def compare(source: dict, target: dict, fields, label: str) -> None:
        for name in fields:
            theirs, ours = source.get(name) or "", target.get(name) or ""
            if theirs.strip() and not ours.strip():
                untranslated.append(f"{label}: {name.replace('_', ' ')} is empty")
            elif name in LONG_TEXTS and theirs.strip() and ours.strip() == theirs.strip():
                untranslated.append(f"{label}: {name.replace('_', ' ')} is still the original's")

    source, target = original["review"], translation["review"]
    compare(source, target, REVIEW_TRANSLATED, "the review")
    for accessor in ("chronology_events", "findings", "recommendations", "learning_points"):
        for index, (theirs, ours) in enumerate(
            zip(_rows(source, accessor), _rows(target, accessor), strict=False), start=1
        ):
            label = f"{LABELS[accessor]} {index}"
            compare(theirs, ours, CHILD_TRANSLATED[accessor], label)
            for number, (their_prompt, our_prompt) in enumerate(
                zip(_rows(theirs, "prompts"), _rows(ours, "prompts"), strict=False), start=1
            ):
                compare(
                    their_prompt,
                    our_prompt,
                    CHILD_TRANSLATED["prompts"],
                    f"{label}, prompt {number}",
                )
    if untranslated:
        shown = "; ".join(untranslated[:5])
        more = f" (and {len(untranslated) - 5} more)" if len(untranslated) > 5 else ""
        problems.append(f"It is not completely translated: {shown}{more}.")
    return problems
