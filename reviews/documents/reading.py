"""Reading a review document: `parse_document` turns a file's bytes into a `ReviewDocument`, or
raises `DocumentError` listing every problem found, each naming the file, line and field.

This module reads the file as a whole (its size, UTF-8, the '---' lines around the front
matter), hands the front matter to reviews/documents/front_matter.py and the Markdown body
to reviews/documents/sections.py, checks that the two name the same learning points in the
same order, and puts the document together. Every part adds to one `Problems` collector, so
a document is refused once, with every reason.
"""

from collections.abc import Collection

from reviews.documents.format import (
    KEY_LEARNING,
    MAX_DOCUMENT_BYTES,
    DocumentError,
    LearningPointDoc,
    Problems,
    ReviewDocument,
    normalise_newlines,
    suggest,
)
from reviews.documents.front_matter import FrontMatterReader
from reviews.documents.sections import check_nesting, read_body


def parse_document(data: bytes, *, name: str, known_themes: Collection[str]) -> ReviewDocument:
    """Read one review document; raise DocumentError naming every problem found."""
    problems = Problems(name)
    if len(data) > MAX_DOCUMENT_BYTES:
        # Refused before decoding: a 50 MB upload is not a review, and parsing it is work.
        raise problems.refuse(
            None,
            f"the file is {len(data) / 1024 / 1024:.1f} MB; a review document can be at "
            f"most {MAX_DOCUMENT_BYTES // 1024 // 1024} MB",
        )
    lines = normalise_newlines(_decode(data, problems)).split("\n")
    if lines[0].rstrip() != "---":
        raise problems.refuse(
            1,
            "missing front matter: a review document starts with a line '---', then its "
            "YAML keys (format, title, ...), then another '---' line",
        )
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        raise problems.refuse(
            1, "the front matter opened on line 1 is never closed: add a '---' line after it"
        )
    front_matter = FrontMatterReader(problems, known_themes=known_themes)
    front = front_matter.read("\n".join(lines[1:end]))
    check_nesting(lines[end + 1 :], first_line=end + 2, problems=problems)
    body = read_body(lines[end + 1 :], first_line=end + 2, problems=problems)
    if front is not None and body["learning"] is not None:
        _match_learning(front["learning"], body["learning"], front_matter.lines, problems)
    if problems:
        problems.found.sort(key=lambda problem: (problem.line is None, problem.line or 0))
        raise DocumentError(problems.found)
    assert front is not None  # every way to None adds a problem
    # Where the body's sections start, so that later checks (a translation that does not
    # line up with its original) can name a line.
    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        if line.startswith("## "):
            front_matter.lines.setdefault(line.rstrip(), number)
    learning = [
        LearningPointDoc(**point, body=text)
        for point, (_, _, text) in zip(front.pop("learning"), body.pop("learning"), strict=True)
    ]
    return ReviewDocument(**front, **body, learning=learning, lines=front_matter.lines)


def _decode(data: bytes, problems: Problems) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise problems.refuse(
            line,
            f"the file is not UTF-8 text: byte 0x{data[error.start]:02x} at offset "
            f"{error.start} cannot be read; save the file as UTF-8",
        ) from None
    if "\x00" in text:
        # PostgreSQL cannot store it, and a NUL in a text file means it is not one.
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise problems.refuse(line, "the file contains a NUL character; is it really text?")
    return text.removeprefix("\ufeff")


def _match_learning(
    points: list[dict | None],
    headings: list[tuple[str, int, str]],
    lines: dict[str, int],
    problems: Problems,
) -> None:
    """Check the front matter's learning titles against the '###' headings, in order."""
    if any(point is None or not point["title"] for point in points):
        return  # already reported; comparing would only repeat it
    titles = [point["title"] for point in points]
    found = [heading for heading, _, _ in headings]
    if titles == found:
        return
    where = f"## {KEY_LEARNING}"
    problems_before = len(problems)
    for index, title in enumerate(titles, start=1):
        if title not in found:
            unmatched = [heading for heading in found if heading not in titles]
            problems.add(
                lines[f"learning[{index}].title"],
                f"learning[{index}].title",
                f"'{title}' has no '### {title}' heading under '{where}'"
                f"{suggest(title, unmatched)}",
            )
    for heading, number, _ in headings:
        if heading not in titles:
            problems.add(number, where, f"'### {heading}' is not the title of a learning point")
    if len(problems) == problems_before:
        problem = "are not in the same order as" if len(titles) == len(found) else "differ from"
        problems.add(
            lines.get("learning"),
            "learning",
            f"the titles {titles} {problem} the '###' headings under '{where}' {found}",
        )
