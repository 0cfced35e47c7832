"""Review documents: one UTF-8 Markdown file per review (format "review-document/1").

The format is fixed by the board's spec and described for staff in docs/review-documents.md.
This module is its vocabulary: the keys, sections and allowed values, the dataclasses a
document is read into (`ReviewDocument`, `ChildDoc`, ...), the text rules reading and
writing share, and the problems a refused document is reported with. The rest of the
package, by name:

- reviews/documents/reading.py: `parse_document` turns a file's bytes into a
  `ReviewDocument`, or raises `DocumentError` listing every problem it found, each naming
  the file, line and field. It reads the front matter with reviews/documents/front_matter.py
  (and reviews/documents/yaml_values.py) and the Markdown body with
  reviews/documents/sections.py.
- reviews/documents/writing.py: `render_document` turns a `ReviewDocument` back into the one
  canonical text, so that export, import and export again give byte-identical files.
- reviews/documents/importing.py (with reviews/documents/import_checks.py) and
  reviews/documents/exporting.py map documents to models and back; nothing else in the
  package touches the database.

Choices made where the spec is silent (also in the docs):

- Text values are trimmed, line endings become "\\n" and each Markdown block in the body
  loses leading blank lines and trailing whitespace; the rest is kept as written.
- Any line starting with "## " is a section heading and, under "## Analysis" and
  "## Key learning", any line starting with "### " is a subsection heading, even inside a
  fenced code block: the structure never depends on how a Markdown renderer reads a fence.
- Findings are written as plain paragraphs only when none has a heading and each is a
  single paragraph. Otherwise every finding gets a "###" subsection, and a finding without
  a heading gets a bare "###" line, which reads back as "no heading". Either way, reading
  the file back gives the same findings.
- A learning point's title must be unique within its review (the titles name the "###"
  headings), and a list of agencies, keywords or themes names each entry once.
- Keywords cannot contain commas: the portal stores them as one comma-separated field.
- In messages, list positions count from 1: learning[2] is the second learning point.
- A statutory date before `incident_known_on` is refused (it cannot happen); the order of
  the other three is not checked (a late notification is a fact to record, not an error).
"""

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.text import slugify

from reviews.validators import STATUTORY_DATE_FIELDS

FORMAT = "review-document/1"
# Real review documents are 10 to 20 KB; reading 2 MB of YAML in pure Python takes seconds.
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024

REVIEW_TYPES = {
    "serious-case-review": "Serious Case Review",
    "child-safeguarding-practice-review": "Local Child Safeguarding Practice Review",
    "national-review": "National Child Safeguarding Practice Review",
    "rapid-review": "Rapid Review",
    "thematic-review": "Thematic Review",
    "child-practice-review": "Child Practice Review (Wales)",
    "learning-review": "Learning Review (Scotland)",
    "safeguarding-adults-review": "Safeguarding Adults Review",
    "domestic-homicide-review": "Domestic Homicide Review",
    "other": "Other review",
}
NATIONS = ("england", "wales", "scotland", "northern-ireland")
LANGUAGES = {"en": "English", "cy": "Welsh"}
# Required of an original; a translation may leave out what belongs to its original.
REQUIRED_KEYS = ("format", "title", "review_type", "board", "nation", "child", "learning")
TRANSLATION_REQUIRED_KEYS = ("format", "title", "translation_of", "child", "learning")
STATUSES = ("draft", "published", "withdrawn")
SEXES = ("male", "female", "not-stated")
OUTCOMES = ("died", "serious-harm")

CASE_SUMMARY = "Case summary"
ANALYSIS = "Analysis"
KEY_LEARNING = "Key learning"
SECTIONS = (CASE_SUMMARY, ANALYSIS, KEY_LEARNING)

# Keys in the order the spec lists them; render_document writes them in this order.
REVIEW_KEYS = (
    "format", "title", "slug", "language", "translation_of", "plain_summary", "review_type",
    "board", "nation", "status", "published_on", "reviewer", "methodology", "child",
    "review_period", "incident_date", "agencies", "keywords", "report_url", "content_warning",
    "chronology", "statutory", "recommendations", "learning",
)  # fmt: skip
CHILD_KEYS = ("pseudonym", "sex", "age_at_incident", "age_months", "outcome")
CHRONOLOGY_KEYS = ("when", "age_months", "date", "agencies", "event", "key")
RECOMMENDATION_KEYS = ("text", "agencies")
LEARNING_KEYS = ("title", "themes", "agencies", "prompts")
# Staff-only dates (docs/statutory-deadlines.md), the same names as the Review fields.
STATUTORY_KEYS = STATUTORY_DATE_FIELDS

# Whole months; generous enough for safeguarding adults reviews, small enough for the database.
MAX_AGE_MONTHS = 1200


@dataclass(kw_only=True)
class ChildDoc:
    pseudonym: str
    age_at_incident: str
    outcome: str
    sex: str = "not-stated"
    age_months: int | None = None


@dataclass(kw_only=True)
class ChronologyEventDoc:
    when: str
    event: str
    age_months: int | None = None
    date: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD, as precise as published
    agencies: list[str] = field(default_factory=list)
    key: bool = False


@dataclass(kw_only=True)
class RecommendationDoc:
    text: str
    agencies: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class LearningPointDoc:
    title: str
    themes: list[str]
    body: str
    agencies: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class StatutoryDoc:
    """The statutory block: every date optional; a date before incident_known_on is refused."""

    incident_known_on: date | None = None
    panel_notified_on: date | None = None
    rapid_review_sent_on: date | None = None
    sent_to_panel_on: date | None = None


@dataclass(kw_only=True)
class FindingDoc:
    text: str
    heading: str = ""


@dataclass(kw_only=True)
class ReviewDocument:
    title: str
    slug: str
    review_type: str
    language: str = "en"
    translation_of: str = ""  # the slug of the review this document translates
    board: str
    nation: str
    child: ChildDoc
    case_summary: str
    learning: list[LearningPointDoc]
    status: str = "draft"
    plain_summary: str = ""  # at most 60 words (reviews/readability/words.py)
    published_on: date | None = None
    reviewer: str = ""
    methodology: str = ""
    review_period: str = ""
    incident_date: str = ""
    agencies: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    report_url: str = ""
    content_warning: str = ""
    chronology: list[ChronologyEventDoc] = field(default_factory=list)
    statutory: StatutoryDoc = field(default_factory=StatutoryDoc)
    recommendations: list[RecommendationDoc] = field(default_factory=list)
    analysis: list[FindingDoc] = field(default_factory=list)
    # Where each field was written ("learning[2].themes" -> 40), so that checks made later,
    # against the database, can still name the line. Not part of the document's value.
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def filename(self) -> str:
        return f"{self.slug}.md"

    def all_agencies(self) -> list[str]:
        """Every agency named anywhere in the document, in order of first mention."""
        names = list(self.agencies)
        for item in [*self.chronology, *self.recommendations, *self.learning]:
            names.extend(item.agencies)
        return list(dict.fromkeys(names))


@dataclass(frozen=True)
class DocumentProblem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.field:
            where = f"{where}: {self.field}"
        return f"{where}: {self.message}"


class DocumentError(ValueError):
    """A document (or a set of documents) that must be refused, with every reason found."""

    def __init__(self, problems: Sequence[DocumentProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class Problems:
    """The problems found in one file so far: every part of the reading adds to one
    collector, so that a document is refused once, with every reason."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[DocumentProblem] = []

    def __len__(self) -> int:
        return len(self.found)

    def add(self, line: int | None, field: str, message: str) -> None:
        self.found.append(DocumentProblem(self.name, line, field, message))

    def refuse(self, line: int | None, message: str) -> DocumentError:
        """The error to raise for a problem that stops the reading of the file."""
        self.add(line, "", message)
        return DocumentError(self.found)


def suggest(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str:
    """' (did you mean 'x'?)' when a choice is close to value, else ''."""
    choices = list(choices)
    if slugify(value) in choices and slugify(value) != value:
        return f" (did you mean '{slugify(value)}'?)"
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    starting = [choice for choice in choices if choice.startswith(value)]
    if not close and len(starting) == 1:  # 'fathers' for 'fathers-and-male-carers'
        close = starting
    if not close and names:
        by_name = {name.lower(): slug for slug, name in names.items()}
        close = [by_name[n] for n in difflib.get_close_matches(value.lower(), by_name, n=1)]
    return f" (did you mean '{close[0]}'?)" if close else ""


# Text as kept ------------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n|\r|\x85")


def normalise_newlines(text: str) -> str:
    return _NEWLINES.sub("\n", text)


def clean_text(text: str) -> str:
    return normalise_newlines(text).strip()


def clean_block(text: str) -> str:
    """A Markdown block as kept: no leading blank lines, no trailing whitespace.

    Leading spaces of the first line stay: they can make it an indented code block.
    """
    lines = normalise_newlines(text).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip()
