"""The Markdown body of a review document: its "##" sections, the findings under "## Analysis"
and the text of each learning point under "## Key learning".

Any line starting with "## " is a section heading and, under "## Analysis" and "## Key learning",
any line starting with "### " is a subsection heading, even inside a fenced code block: the
structure never depends on how a Markdown renderer reads a fence. The functions add what is
wrong to the document's `Problems`; reviews/documents/reading.py checks the learning titles
found here against the front matter's.
"""

import re

from portal.markdown import MAX_NESTING, nesting_depth
from reviews.documents.format import (
    ANALYSIS,
    CASE_SUMMARY,
    KEY_LEARNING,
    SECTIONS,
    FindingDoc,
    Problems,
    clean_block,
    suggest,
)

_SECTION = re.compile(r"##(?:[ \t]+(.*))?")
_SUBSECTION = re.compile(r"###(?:[ \t]+(.*))?")


def _heading(pattern: re.Pattern[str], line: str) -> str | None:
    match = pattern.fullmatch(line)
    if match is None:
        return None
    return (match.group(1) or "").strip()


def check_nesting(lines: list[str], *, first_line: int, problems: Problems) -> None:
    """Markdown nested deeper than the renderer can take is refused at its line."""
    for number, line in enumerate(lines, start=first_line):
        if nesting_depth(line) > MAX_NESTING:
            problems.add(
                number,
                "body",
                f"quotes or lists are nested more than {MAX_NESTING} levels deep; flatten them",
            )
            return


def read_body(lines: list[str], *, first_line: int, problems: Problems) -> dict:
    """The case summary, the findings and the learning subsections (title, line, text).

    The learning subsections are None when there is no "## Key learning" to compare the
    front matter's titles with.
    """
    sections: list[tuple[str, int, list[tuple[int, str]]]] = []
    preamble: list[int] = []
    for number, line in enumerate(lines, start=first_line):
        name = _heading(_SECTION, line)
        if name is not None:
            sections.append((name, number, []))
        elif sections:
            sections[-1][2].append((number, line))
        elif line.strip():
            preamble.append(number)
    if preamble:
        problems.add(
            preamble[0],
            "body",
            f"text before the first section; the body starts with '## {CASE_SUMMARY}'",
        )
    found: dict[str, tuple[int, list[tuple[int, str]]]] = {}
    order = ", ".join(f"'## {name}'" for name in SECTIONS)
    furthest = -1
    for name, number, content in sections:
        if name not in SECTIONS:
            problems.add(
                number,
                "body",
                f"unknown section '## {name}'{suggest(name, SECTIONS)}; the sections are "
                f"{order}, and '## {ANALYSIS}' may be left out",
            )
        elif name in found:
            first = found[name][0]
            problems.add(number, "body", f"section '## {name}' again (first on line {first})")
        else:
            if SECTIONS.index(name) < furthest:
                problems.add(
                    number,
                    "body",
                    f"section '## {name}' is out of order; the sections are {order}, in that order",
                )
            furthest = max(furthest, SECTIONS.index(name))
            found[name] = (number, content)
    for name in (CASE_SUMMARY, KEY_LEARNING):
        if name not in found:
            problems.add(None, "body", f"missing section '## {name}'")

    case_summary = ""
    if CASE_SUMMARY in found:
        number, content = found[CASE_SUMMARY]
        case_summary = clean_block("\n".join(line for _, line in content))
        if not case_summary:
            problems.add(number, f"## {CASE_SUMMARY}", "is empty")
    learning = None
    if KEY_LEARNING in found:
        where = f"## {KEY_LEARNING}"
        before, learning = _subsections(found[KEY_LEARNING][1])
        if before:
            problems.add(
                before,
                where,
                "text before the first learning point; each learning point starts with "
                "its '### <title>' heading",
            )
        for title, number, text in learning:
            if not text:
                problems.add(number, where, f"learning point '### {title}' has no text")
    return {
        "case_summary": case_summary,
        "analysis": _findings(found[ANALYSIS][1], problems) if ANALYSIS in found else [],
        "learning": learning,
    }


def _subsections(content: list[tuple[int, str]]) -> tuple[int | None, list[tuple[str, int, str]]]:
    """Split a section at its '###' lines: (line of any text before the first, parts)."""
    before: int | None = None
    parts: list[tuple[str, int, list[str]]] = []
    for number, line in content:
        heading = _heading(_SUBSECTION, line)
        if heading is not None:
            parts.append((heading, number, []))
        elif parts:
            parts[-1][2].append(line)
        elif line.strip() and before is None:
            before = number
    return before, [
        (heading, number, clean_block("\n".join(text))) for heading, number, text in parts
    ]


def _findings(content: list[tuple[int, str]], problems: Problems) -> list[FindingDoc]:
    before, parts = _subsections(content)
    where = f"## {ANALYSIS}"
    if not parts:
        paragraphs: list[list[str]] = [[]]
        for _, line in content:
            if line.strip():
                paragraphs[-1].append(line)
            elif paragraphs[-1]:
                paragraphs.append([])
        return [FindingDoc(text=clean_block("\n".join(p))) for p in paragraphs if p]
    if before:
        problems.add(
            before,
            where,
            "text before the first '###' heading; when the analysis has '###' headings, "
            "each finding starts with one (a bare '###' for a finding without a heading)",
        )
    for heading, number, text in parts:
        if not text:
            problems.add(number, where, f"finding '### {heading}' has no text")
    return [FindingDoc(heading=heading, text=text) for heading, _, text in parts]
