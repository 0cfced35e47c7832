"""Review documents: one UTF-8 Markdown file per review (format "review-document/1").

The format is fixed by the board's spec and described for staff in docs/review-documents.md.
`parse_document` turns a file's bytes into a `ReviewDocument`, or raises `DocumentError`
listing every problem it found, each naming the file, line and field. `render_document`
turns a `ReviewDocument` back into the one canonical text, so that export, import and export
again give byte-identical files.

Nothing here touches the database: reviews/documents/importing.py maps documents to models and back.

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
"""

import difflib
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date

import yaml
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from portal.markdown import MAX_NESTING, nesting_depth
from reviews.validators import PARTIAL_DATE as _PARTIAL_DATE
from reviews.validators import parse_partial_date, validate_https_url

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
STATUSES = ("draft", "published", "withdrawn")
SEXES = ("male", "female", "not-stated")
OUTCOMES = ("died", "serious-harm")

CASE_SUMMARY = "Case summary"
ANALYSIS = "Analysis"
KEY_LEARNING = "Key learning"
SECTIONS = (CASE_SUMMARY, ANALYSIS, KEY_LEARNING)

# Keys in the order the spec lists them; render_document writes them in this order.
REVIEW_KEYS = (
    "format", "title", "slug", "review_type", "board", "nation", "status", "published_on",
    "reviewer", "methodology", "child", "review_period", "incident_date", "agencies",
    "keywords", "report_url", "content_warning", "chronology", "recommendations", "learning",
)  # fmt: skip
CHILD_KEYS = ("pseudonym", "sex", "age_at_incident", "age_months", "outcome")
CHRONOLOGY_KEYS = ("when", "age_months", "date", "agencies", "event", "key")
RECOMMENDATION_KEYS = ("text", "agencies")
LEARNING_KEYS = ("title", "themes", "agencies", "prompts")

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
class FindingDoc:
    text: str
    heading: str = ""


@dataclass(kw_only=True)
class ReviewDocument:
    title: str
    slug: str
    review_type: str
    board: str
    nation: str
    child: ChildDoc
    case_summary: str
    learning: list[LearningPointDoc]
    status: str = "draft"
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


def parse_document(data: bytes, *, name: str, known_themes: Collection[str]) -> ReviewDocument:
    """Read one review document; raise DocumentError naming every problem found."""
    return _Parser(name=name, known_themes=known_themes).parse(data)


def render_document(doc: ReviewDocument) -> str:
    """The canonical text of a document.

    Raises DocumentError rather than return a text that would not read back as the same
    document (an empty case summary, a "## " line inside a learning point, ...): an export
    that cannot be imported again is worse than none.
    """
    text = _render(doc)
    themes = {_clean_text(theme) for point in doc.learning for theme in point.themes}
    read = parse_document(text.encode(), name=doc.filename, known_themes=themes)
    if _render(read) != text:
        # It reads, but as another document: Markdown text holds a line that reads as a
        # "## " or "### " heading, say. Name the fields that changed.
        changed = [
            f.name
            for f in fields(ReviewDocument)
            if f.compare and getattr(read, f.name) != getattr(doc, f.name)
        ]
        raise DocumentError(
            [
                DocumentProblem(
                    doc.filename,
                    None,
                    ", ".join(changed),
                    "would not read back as written; a line starting with '## ' or '### ' "
                    "in Markdown text is read as a heading",
                )
            ]
        )
    return text


# Reading -----------------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n|\r|\x85")
_SECTION = re.compile(r"##(?:[ \t]+(.*))?")
_SUBSECTION = re.compile(r"###(?:[ \t]+(.*))?")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE_NUMBER = re.compile(r"[-+]?\d+")

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_TRUE = {"yes", "true", "on"}


def _normalise_newlines(text: str) -> str:
    return _NEWLINES.sub("\n", text)


def _clean_text(text: str) -> str:
    return _normalise_newlines(text).strip()


def _clean_block(text: str) -> str:
    """A Markdown block as kept: no leading blank lines, no trailing whitespace.

    Leading spaces of the first line stay: they can make it an indented code block.
    """
    lines = _normalise_newlines(text).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip()


def _heading(pattern: re.Pattern[str], line: str) -> str | None:
    match = pattern.fullmatch(line)
    if match is None:
        return None
    return (match.group(1) or "").strip()


def _suggest(value: str, choices: Iterable[str], names: dict[str, str] | None = None) -> str:
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


def _path(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _is_empty(node: yaml.Node) -> bool:
    """`agencies:`, `agencies: ~` and `agencies: []` all say there are none."""
    if isinstance(node, yaml.ScalarNode):
        return node.tag == f"{_TAG}null"
    return isinstance(node, yaml.SequenceNode) and not node.value


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "keys and values"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        f"{_TAG}int": f"the number {node.value}",
        f"{_TAG}float": f"the number {node.value}",
        f"{_TAG}bool": f"{node.value} (true/false)",
        f"{_TAG}null": "empty",
        f"{_TAG}timestamp": f"the date {node.value}",
    }.get(node.tag, f"the text '{_shortened(node.value)}'")


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


# libyaml, when PyYAML has it, composes several times faster and keeps each node's line.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


class AnchorRefused(yaml.MarkedYAMLError):
    """The document uses a YAML anchor or alias."""

    def __init__(self, mark) -> None:
        super().__init__(
            problem="anchors (&name) and aliases (*name) are not allowed in a review "
            "document; write each value out in full",
            problem_mark=mark,
        )


# Anchors (&name) and aliases (*name) are refused before any node is expanded. Review
# documents have no use for them, and an alias repeats a whole subtree wherever it is named:
# a 45 KB file of nested aliases expands to 40 MB when walked ("billion laughs").


def _has_anchor(event: yaml.Event) -> bool:
    return isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None


class _DocumentLoader(yaml.SafeLoader):
    """The pure-Python loader, refusing anchors as it composes: one reading of the text,
    which matters because it is the slow one (seconds a megabyte)."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if _has_anchor(event):
            raise AnchorRefused(event.start_mark)
        return super().compose_node(parent, index)


def _compose(text: str) -> yaml.Node | None:
    """The front matter's YAML as nodes. Whatever libyaml refuses is read again by the
    pure-Python loader, whose messages and line numbers are the ones users see."""
    if _FAST_LOADER is not None:
        try:
            # libyaml composes in C, out of reach of a subclass; its events cost a third of
            # composing, and nothing in them expands.
            for event in yaml.parse(text, Loader=_FAST_LOADER):
                if _has_anchor(event):
                    raise AnchorRefused(event.start_mark)
            return yaml.compose(text, Loader=_FAST_LOADER)
        except AnchorRefused:
            raise
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=_DocumentLoader)


class _Parser:
    def __init__(self, *, name: str, known_themes: Collection[str]) -> None:
        self.name = name
        self.known_themes = known_themes
        self.problems: list[DocumentProblem] = []
        self.lines: dict[str, int] = {}  # field path -> line of its value
        self.key_lines: dict[str, int] = {}  # field path -> line of its key
        self.offset = 2  # the front matter's YAML starts on the file's second line

    def problem(self, line: int | None, field: str, message: str) -> None:
        self.problems.append(DocumentProblem(self.name, line, field, message))

    def refuse(self, line: int | None, message: str) -> DocumentError:
        self.problem(line, "", message)
        return DocumentError(self.problems)

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.offset

    def parse(self, data: bytes) -> ReviewDocument:
        if len(data) > MAX_DOCUMENT_BYTES:
            # Refused before decoding: a 50 MB upload is not a review, and parsing it is work.
            raise self.refuse(
                None,
                f"the file is {len(data) / 1024 / 1024:.1f} MB; a review document can be at "
                f"most {MAX_DOCUMENT_BYTES // 1024 // 1024} MB",
            )
        lines = _normalise_newlines(self.decode(data)).split("\n")
        if lines[0].rstrip() != "---":
            raise self.refuse(
                1,
                "missing front matter: a review document starts with a line '---', then its "
                "YAML keys (format, title, ...), then another '---' line",
            )
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if end is None:
            raise self.refuse(
                1, "the front matter opened on line 1 is never closed: add a '---' line after it"
            )
        front = self.front_matter("\n".join(lines[1:end]))
        self.check_nesting(lines[end + 1 :], first_line=end + 2)
        body = self.body(lines[end + 1 :], first_line=end + 2)
        if front is not None and body["learning"] is not None:
            self.match_learning(front["learning"], body["learning"])
        if self.problems:
            self.problems.sort(key=lambda problem: (problem.line is None, problem.line or 0))
            raise DocumentError(self.problems)
        assert front is not None  # every way to None adds a problem
        learning = [
            LearningPointDoc(**point, body=text)
            for point, (_, _, text) in zip(front.pop("learning"), body.pop("learning"), strict=True)
        ]
        return ReviewDocument(**front, **body, learning=learning, lines=self.lines)

    def check_nesting(self, lines: list[str], *, first_line: int) -> None:
        """Markdown nested deeper than the renderer can take is refused at its line."""
        for number, line in enumerate(lines, start=first_line):
            if nesting_depth(line) > MAX_NESTING:
                self.problem(
                    number,
                    "body",
                    f"quotes or lists are nested more than {MAX_NESTING} levels deep; flatten them",
                )
                return

    def decode(self, data: bytes) -> str:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise self.refuse(
                line,
                f"the file is not UTF-8 text: byte 0x{data[error.start]:02x} at offset "
                f"{error.start} cannot be read; save the file as UTF-8",
            ) from None
        if "\x00" in text:
            # PostgreSQL cannot store it, and a NUL in a text file means it is not one.
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise self.refuse(line, "the file contains a NUL character; is it really text?")
        return text.removeprefix("\ufeff")

    # Front matter --------------------------------------------------------------------------

    def front_matter(self, text: str) -> dict | None:
        """The review's fields as keyword arguments, or None when the YAML cannot be read.

        With problems, some values are missing or wrong; they are only used for more checks.
        """
        try:
            root = _compose(text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            detail = "; ".join(part for part in (error.context, error.problem) if part)
            self.problem(mark.line + self.offset if mark else None, "", f"invalid YAML: {detail}")
            return None
        except yaml.reader.ReaderError as error:
            line = text.count("\n", 0, error.position) + self.offset
            self.problem(
                line, "", f"invalid YAML: the character U+{error.character:04X} is not allowed"
            )
            return None
        except yaml.YAMLError as error:
            self.problem(None, "", f"invalid YAML: {error}")
            return None
        except RecursionError:
            self.problem(None, "", "invalid YAML: nested too deeply")
            return None
        if not isinstance(root, yaml.MappingNode):
            self.problem(
                self.line(root) if root else 1,
                "",
                "the front matter must be YAML keys and values, such as 'title: Baby C'",
            )
            return None
        values = self.mapping(
            root,
            "",
            keys=REVIEW_KEYS,
            required=("format", "title", "review_type", "board", "nation", "child", "learning"),
            line=1,
        )
        return self.review_fields(values)

    def review_fields(self, values: dict[str, yaml.Node]) -> dict:
        format_ = self.text(values, "format", "", required=True)
        if format_ and format_ != FORMAT:
            self.problem(
                self.line(values["format"]),
                "format",
                f"must be '{FORMAT}', not '{format_}'; this portal reads version 1 only",
            )
        title = self.text(values, "title", "", required=True)
        slug = self.text(values, "slug", "")
        if slug and not _SLUG.fullmatch(slug):
            hint = f" such as '{slugify(slug)}'" if slugify(slug) else ""
            self.problem(
                self.line(values["slug"]),
                "slug",
                f"'{slug}' is not a slug: use lowercase letters, digits and single hyphens{hint}",
            )
        elif title and not slug:
            slug = slugify(title)
            if not slug:
                self.problem(
                    self.line(values["title"]),
                    "title",
                    "no slug can be made from this title; add a slug such as 'baby-c'",
                )
        status = self.choice(values, "status", "", STATUSES, default="draft")
        published_on = self.full_date(values, "published_on", "")
        if status in ("published", "withdrawn") and "published_on" not in values:
            line = self.line(values["status"])
            self.problem(line, "published_on", f"is required when status is '{status}'")
        report_url = self.text(values, "report_url", "")
        if report_url:
            try:
                validate_https_url(report_url)
            except ValidationError:
                self.problem(
                    self.line(values["report_url"]),
                    "report_url",
                    f"'{report_url}' is not a web address starting with https://",
                )
        return {
            "title": title,
            "slug": slug,
            "review_type": self.choice(
                values, "review_type", "", REVIEW_TYPES, names=REVIEW_TYPES, noun="review type"
            ),
            "board": self.text(values, "board", "", required=True),
            "nation": self.choice(values, "nation", "", NATIONS),
            "status": status,
            "published_on": published_on,
            "reviewer": self.text(values, "reviewer", ""),
            "methodology": self.text(values, "methodology", ""),
            "child": self.child(values),
            "review_period": self.text(values, "review_period", ""),
            "incident_date": self.partial_date(values, "incident_date", ""),
            "agencies": self.text_list(values, "agencies", ""),
            "keywords": self.text_list(values, "keywords", "", check=self.check_keyword),
            "report_url": report_url,
            "content_warning": self.text(values, "content_warning", "", multiline=True),
            "chronology": [
                self.chronology_event(node, path)
                for node, path in self.items(values, "chronology", noun="chronology event")
            ],
            "recommendations": [
                self.recommendation(node, path)
                for node, path in self.items(values, "recommendations", noun="recommendation")
            ],
            "learning": self.learning(values),
        }

    def child(self, values: dict[str, yaml.Node]) -> ChildDoc | None:
        if "child" not in values:
            return None
        child = self.mapping(
            values["child"],
            "child",
            keys=CHILD_KEYS,
            required=("pseudonym", "age_at_incident", "outcome"),
            line=self.key_lines["child"],
        )
        if child is None:
            return None
        return ChildDoc(
            pseudonym=self.text(child, "pseudonym", "child", required=True),
            sex=self.choice(child, "sex", "child", SEXES, default="not-stated"),
            age_at_incident=self.text(child, "age_at_incident", "child", required=True),
            age_months=self.whole_number(child, "age_months", "child", minimum=0),
            outcome=self.choice(child, "outcome", "child", OUTCOMES),
        )

    def chronology_event(self, node: yaml.Node, path: str) -> ChronologyEventDoc | None:
        values = self.mapping(
            node, path, keys=CHRONOLOGY_KEYS, required=("when", "event"), line=self.line(node)
        )
        if values is None:
            return None
        return ChronologyEventDoc(
            when=self.text(values, "when", path, required=True),
            age_months=self.whole_number(values, "age_months", path, minimum=-MAX_AGE_MONTHS),
            date=self.partial_date(values, "date", path),
            agencies=self.text_list(values, "agencies", path),
            event=self.text(values, "event", path, required=True, multiline=True),
            key=self.boolean(values, "key", path),
        )

    def recommendation(self, node: yaml.Node, path: str) -> RecommendationDoc | None:
        values = self.mapping(
            node, path, keys=RECOMMENDATION_KEYS, required=("text",), line=self.line(node)
        )
        if values is None:
            return None
        return RecommendationDoc(
            text=self.text(values, "text", path, required=True, multiline=True),
            agencies=self.text_list(values, "agencies", path),
        )

    def learning(self, values: dict[str, yaml.Node]) -> list[dict | None]:
        """The learning points without their bodies, None for one that is not a mapping."""
        points: list[dict | None] = []
        titles: dict[str, str] = {}
        for node, path in self.items(values, "learning", noun="learning point", required=True):
            fields = self.mapping(
                node, path, keys=LEARNING_KEYS, required=("title", "themes"), line=self.line(node)
            )
            if fields is None:
                points.append(None)
                continue
            title = self.text(fields, "title", path, required=True)
            if title in titles:
                self.problem(
                    self.lines[f"{path}.title"],
                    f"{path}.title",
                    f"'{title}' is already the title of {titles[title]}; "
                    "each learning point needs its own title",
                )
            elif title:
                titles[title] = path
            points.append(
                {
                    "title": title,
                    "themes": self.text_list(
                        fields, "themes", path, required=True, check=self.check_theme
                    ),
                    "agencies": self.text_list(fields, "agencies", path),
                    "prompts": self.text_list(
                        fields, "prompts", path, multiline=True, unique=False
                    ),
                }
            )
        return points

    def check_theme(self, theme: str, line: int, where: str) -> None:
        if theme not in self.known_themes:
            hint = _suggest(theme, sorted(self.known_themes))
            self.problem(line, where, f"unknown theme '{theme}'{hint}")

    def check_keyword(self, keyword: str, line: int, where: str) -> None:
        if "," in keyword:
            self.problem(line, where, f"'{keyword}' contains a comma; make it two keywords")

    # YAML values ---------------------------------------------------------------------------

    def mapping(
        self,
        node: yaml.Node,
        path: str,
        *,
        keys: Sequence[str],
        required: Sequence[str],
        line: int,
    ) -> dict[str, yaml.Node] | None:
        """The value nodes of a mapping by key, after checking its keys; None if not one."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(self.line(node), path, f"must be keys and values, not {_kind(node)}")
            return None
        values: dict[str, yaml.Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = self.line(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_line, path, "a key must be a plain word such as 'title'")
                continue
            # The key as written: YAML 1.1 would read a key `on:` or `no:` as a boolean.
            key = key_node.value
            if key in key_lines:
                first = key_lines[key]
                self.problem(key_line, _path(path, key), f"appears twice (first on line {first})")
                continue
            key_lines[key] = key_line
            if key not in keys:
                self.problem(key_line, path, f"unknown key '{key}'{_suggest(key, keys)}")
                continue
            values[key] = value_node
            self.lines[_path(path, key)] = self.line(value_node)
            self.key_lines[_path(path, key)] = key_line
        for key in required:
            if key not in key_lines:
                self.problem(line, path, f"missing required key '{key}'")
        return values

    def scalar(self, node: yaml.Node, where: str) -> str | None:
        """A scalar's text as written; None (with a problem unless empty) if there is none."""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(self.line(node), where, f"must be text, not {_kind(node)}")
            return None
        if node.tag not in _SCALAR_TAGS:
            self.problem(self.line(node), where, f"unsupported YAML tag '{node.tag}'")
            return None
        if node.tag == f"{_TAG}null":
            return None
        return node.value

    def text_node(self, node: yaml.Node, where: str, *, required: bool, multiline: bool) -> str:
        # Free text is taken as written, so `age_at_incident: 11` is the text "11" and
        # `reviewer: No` is "No", not the number or boolean YAML 1.1 would make of them.
        problems_before = len(self.problems)
        clean = _clean_block if multiline else _clean_text  # Markdown may start indented
        text = clean(self.scalar(node, where) or "")
        if len(self.problems) > problems_before:
            return ""
        if multiline and any(nesting_depth(line) > MAX_NESTING for line in text.split("\n")):
            self.problem(
                self.line(node),
                where,
                f"quotes or lists are nested more than {MAX_NESTING} levels deep; flatten them",
            )
        if not text and required:
            self.problem(self.line(node), where, "must not be empty")
        elif "\n" in text and not multiline:
            self.problem(self.line(node), where, "must be a single line")
        return text

    def text(
        self,
        values: dict[str, yaml.Node],
        key: str,
        path: str,
        *,
        required: bool = False,
        multiline: bool = False,
    ) -> str:
        if key not in values:
            return ""  # a required key that is missing was reported with its mapping
        return self.text_node(values[key], _path(path, key), required=required, multiline=multiline)

    def choice(
        self,
        values: dict[str, yaml.Node],
        key: str,
        path: str,
        choices: Collection[str],
        *,
        default: str = "",
        names: dict[str, str] | None = None,
        noun: str = "",
    ) -> str:
        text = self.text(values, key, path, required=not default)
        if not text:
            return default
        if text not in choices:
            noun = noun or key.replace("_", " ")
            hint = _suggest(text, choices, names) or f"; use one of: {', '.join(choices)}"
            self.problem(self.line(values[key]), _path(path, key), f"unknown {noun} '{text}'{hint}")
        return text

    def whole_number(
        self, values: dict[str, yaml.Node], key: str, path: str, *, minimum: int
    ) -> int | None:
        node, where = values.get(key), _path(path, key)
        value = None if node is None else self.scalar(node, where)
        if value is None:
            return None
        # `age_months: true` is an int to Python (bool is one); it is not a number of months.
        if node.tag != f"{_TAG}int" or not _WHOLE_NUMBER.fullmatch(value):
            self.problem(self.line(node), where, f"must be a whole number, not {_kind(node)}")
            return None
        number = int(value)
        if not minimum <= number <= MAX_AGE_MONTHS:
            self.problem(
                self.line(node), where, f"must be from {minimum} to {MAX_AGE_MONTHS}, not {number}"
            )
        return number

    def boolean(self, values: dict[str, yaml.Node], key: str, path: str) -> bool:
        node, where = values.get(key), _path(path, key)
        value = None if node is None else self.scalar(node, where)
        if value is None:
            return False
        if node.tag != f"{_TAG}bool":
            self.problem(self.line(node), where, f"must be true or false, not {_kind(node)}")
            return False
        return value.lower() in _TRUE

    def full_date(self, values: dict[str, yaml.Node], key: str, path: str) -> date | None:
        # The text as written, not YAML's reading of it: PyYAML turns 2016-05-01 into a date
        # but raises on 2015-02-30, and reads 2016-5-1 as a date too.
        node, where = values.get(key), _path(path, key)
        value = None if node is None else self.scalar(node, where)
        if value is None:
            return None
        if not _FULL_DATE.fullmatch(value):
            self.problem(self.line(node), where, f"'{value}' is not a date written as YYYY-MM-DD")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            self.problem(self.line(node), where, f"'{value}' is not a real date ({error})")
            return None

    def partial_date(self, values: dict[str, yaml.Node], key: str, path: str) -> str:
        # `incident_date: 2015` reaches us as an int and 2015-06 as text: both are dates.
        node, where = values.get(key), _path(path, key)
        value = None if node is None else self.scalar(node, where)
        if value is None:
            return ""
        if not _PARTIAL_DATE.fullmatch(value):
            message = f"'{value}' is not a date written as YYYY, YYYY-MM or YYYY-MM-DD"
            self.problem(self.line(node), where, message)
            return value
        try:
            parse_partial_date(value)
        except ValueError as error:
            self.problem(self.line(node), where, f"'{value}' is not a real date ({error})")
        return value

    def items(
        self, values: dict[str, yaml.Node], key: str, *, noun: str, required: bool = False
    ) -> list[tuple[yaml.Node, str]]:
        """The item nodes of a list of mappings, each with its path such as 'learning[2]'."""
        node = values.get(key)
        if node is None:
            return []
        if _is_empty(node):
            if required:
                self.problem(self.line(node), key, f"must list at least one {noun}")
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(self.line(node), key, f"must be a list, not {_kind(node)}")
            return []
        return [(item, f"{key}[{index}]") for index, item in enumerate(node.value, start=1)]

    def text_list(
        self,
        values: dict[str, yaml.Node],
        key: str,
        path: str,
        *,
        required: bool = False,
        multiline: bool = False,
        unique: bool = True,
        check: Callable[[str, int, str], None] | None = None,
    ) -> list[str]:
        node, where = values.get(key), _path(path, key)
        if node is None:
            return []
        if _is_empty(node):
            if required:
                self.problem(self.line(node), where, "must list at least one")
            return []
        if not isinstance(node, yaml.SequenceNode):
            example = f" such as [{node.value}]" if isinstance(node, yaml.ScalarNode) else ""
            self.problem(self.line(node), where, f"must be a list{example}, not {_kind(node)}")
            return []
        items: list[str] = []
        # A set beside the list: asking the list is quadratic, minutes for a 2 MB list.
        seen: set[str] = set()
        for index, item in enumerate(node.value, start=1):
            line = self.lines[f"{where}[{index}]"] = self.line(item)
            text = self.text_node(item, f"{where}[{index}]", required=True, multiline=multiline)
            if not text:
                continue
            if unique and text in seen:
                self.problem(line, where, f"'{text}' is listed twice")
                continue
            if check:
                check(text, line, where)
            items.append(text)
            seen.add(text)
        return items

    # Body ----------------------------------------------------------------------------------

    def body(self, lines: list[str], *, first_line: int) -> dict:
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
            self.problem(
                preamble[0],
                "body",
                f"text before the first section; the body starts with '## {CASE_SUMMARY}'",
            )
        found: dict[str, tuple[int, list[tuple[int, str]]]] = {}
        order = ", ".join(f"'## {name}'" for name in SECTIONS)
        furthest = -1
        for name, number, content in sections:
            if name not in SECTIONS:
                self.problem(
                    number,
                    "body",
                    f"unknown section '## {name}'{_suggest(name, SECTIONS)}; the sections are "
                    f"{order}, and '## {ANALYSIS}' may be left out",
                )
            elif name in found:
                first = found[name][0]
                self.problem(number, "body", f"section '## {name}' again (first on line {first})")
            else:
                if SECTIONS.index(name) < furthest:
                    self.problem(
                        number,
                        "body",
                        f"section '## {name}' is out of order; the sections are {order}, "
                        "in that order",
                    )
                furthest = max(furthest, SECTIONS.index(name))
                found[name] = (number, content)
        for name in (CASE_SUMMARY, KEY_LEARNING):
            if name not in found:
                self.problem(None, "body", f"missing section '## {name}'")

        case_summary = ""
        if CASE_SUMMARY in found:
            number, content = found[CASE_SUMMARY]
            case_summary = _clean_block("\n".join(line for _, line in content))
            if not case_summary:
                self.problem(number, f"## {CASE_SUMMARY}", "is empty")
        learning = None
        if KEY_LEARNING in found:
            where = f"## {KEY_LEARNING}"
            before, learning = self.subsections(found[KEY_LEARNING][1])
            if before:
                self.problem(
                    before,
                    where,
                    "text before the first learning point; each learning point starts with "
                    "its '### <title>' heading",
                )
            for title, number, text in learning:
                if not text:
                    self.problem(number, where, f"learning point '### {title}' has no text")
        return {
            "case_summary": case_summary,
            "analysis": self.findings(found[ANALYSIS][1]) if ANALYSIS in found else [],
            "learning": learning,
        }

    def subsections(
        self, content: list[tuple[int, str]]
    ) -> tuple[int | None, list[tuple[str, int, str]]]:
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
            (heading, number, _clean_block("\n".join(text))) for heading, number, text in parts
        ]

    def findings(self, content: list[tuple[int, str]]) -> list[FindingDoc]:
        before, parts = self.subsections(content)
        where = f"## {ANALYSIS}"
        if not parts:
            paragraphs: list[list[str]] = [[]]
            for _, line in content:
                if line.strip():
                    paragraphs[-1].append(line)
                elif paragraphs[-1]:
                    paragraphs.append([])
            return [FindingDoc(text=_clean_block("\n".join(p))) for p in paragraphs if p]
        if before:
            self.problem(
                before,
                where,
                "text before the first '###' heading; when the analysis has '###' headings, "
                "each finding starts with one (a bare '###' for a finding without a heading)",
            )
        for heading, number, text in parts:
            if not text:
                self.problem(number, where, f"finding '### {heading}' has no text")
        return [FindingDoc(heading=heading, text=text) for heading, _, text in parts]

    def match_learning(
        self, points: list[dict | None], headings: list[tuple[str, int, str]]
    ) -> None:
        """Check the front matter's learning titles against the '###' headings, in order."""
        if any(point is None or not point["title"] for point in points):
            return  # already reported; comparing would only repeat it
        titles = [point["title"] for point in points]
        found = [heading for heading, _, _ in headings]
        if titles == found:
            return
        where = f"## {KEY_LEARNING}"
        problems_before = len(self.problems)
        for index, title in enumerate(titles, start=1):
            if title not in found:
                unmatched = [heading for heading in found if heading not in titles]
                self.problem(
                    self.lines[f"learning[{index}].title"],
                    f"learning[{index}].title",
                    f"'{title}' has no '### {title}' heading under '{where}'"
                    f"{_suggest(title, unmatched)}",
                )
        for heading, number, _ in headings:
            if heading not in titles:
                self.problem(number, where, f"'### {heading}' is not the title of a learning point")
        if len(self.problems) == problems_before:
            problem = "are not in the same order as" if len(titles) == len(found) else "differ from"
            self.problem(
                self.lines.get("learning"),
                "learning",
                f"the titles {titles} {problem} the '###' headings under '{where}' {found}",
            )


# Writing -----------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as the spec's example does.
        return super().increase_indent(flow, False)


class _FlowList(list):
    """A short list of names, written on one line: [Health visiting, GP]."""


class _PlainScalar(str):
    """Written without quotes when YAML allows: `incident_date: 2015`, not '2015'."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(f"{_TAG}str", value, style="|" if "\n" in value else None)


def _represent_plain(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # The tag YAML would give the bare text, so the emitter sees no need to quote it; the
    # parser reads partial dates from the text as written, whatever YAML makes of them.
    tag = dumper.resolve(yaml.ScalarNode, str(value), (True, False))
    return dumper.represent_scalar(tag, str(value))


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_PlainScalar, _represent_plain)
_Dumper.add_representer(
    _FlowList, lambda dumper, value: dumper.represent_sequence(f"{_TAG}seq", value, True)
)


def _without_empty(values: dict) -> dict:
    """Leave out optional keys with nothing to say (but keep an age of 0 months)."""
    return {
        key: value
        for key, value in values.items()
        if value is not None and value is not False and value != "" and value != []
    }


def _names(values: list[str]) -> _FlowList:
    return _FlowList(_clean_text(value) for value in values)


def _front_matter(doc: ReviewDocument) -> dict:
    child = doc.child
    return _without_empty(
        {
            "format": FORMAT,
            "title": _clean_text(doc.title),
            "slug": doc.slug,
            "review_type": doc.review_type,
            "board": _clean_text(doc.board),
            "nation": doc.nation,
            "status": doc.status,
            "published_on": doc.published_on,
            "reviewer": _clean_text(doc.reviewer),
            "methodology": _clean_text(doc.methodology),
            "child": _without_empty(
                {
                    "pseudonym": _clean_text(child.pseudonym),
                    "sex": child.sex,
                    "age_at_incident": _clean_text(child.age_at_incident),
                    "age_months": child.age_months,
                    "outcome": child.outcome,
                }
            ),
            "review_period": _clean_text(doc.review_period),
            "incident_date": _PlainScalar(doc.incident_date),
            "agencies": _names(doc.agencies),
            "keywords": _names(doc.keywords),
            "report_url": _clean_text(doc.report_url),
            "content_warning": _clean_block(doc.content_warning),
            "chronology": [
                _without_empty(
                    {
                        "when": _clean_text(event.when),
                        "age_months": event.age_months,
                        "date": _PlainScalar(event.date),
                        "agencies": _names(event.agencies),
                        "event": _clean_block(event.event),
                        "key": event.key,
                    }
                )
                for event in doc.chronology
            ],
            "recommendations": [
                _without_empty(
                    {
                        "text": _clean_block(recommendation.text),
                        "agencies": _names(recommendation.agencies),
                    }
                )
                for recommendation in doc.recommendations
            ],
            "learning": [
                _without_empty(
                    {
                        "title": _clean_text(point.title),
                        "themes": _names(point.themes),
                        "agencies": _names(point.agencies),
                        "prompts": [_clean_block(prompt) for prompt in point.prompts],
                    }
                )
                for point in doc.learning
            ],
        }
    )


def _findings_as_paragraphs(findings: list[FindingDoc]) -> bool:
    """Whether plain paragraphs would read back as exactly these findings."""
    return all(
        not _clean_text(finding.heading)
        and all(line.strip() for line in _clean_block(finding.text).split("\n"))
        for finding in findings
    )


def _render(doc: ReviewDocument) -> str:
    front = yaml.dump(
        _front_matter(doc),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,  # one value per line: wrapped text is harder to edit and to diff
    )
    parts = [f"---\n{front}---", f"## {CASE_SUMMARY}", _clean_block(doc.case_summary)]
    if doc.analysis:
        parts.append(f"## {ANALYSIS}")
        as_paragraphs = _findings_as_paragraphs(doc.analysis)
        for finding in doc.analysis:
            if not as_paragraphs:
                parts.append(f"### {_clean_text(finding.heading)}".rstrip())
            parts.append(_clean_block(finding.text))
    parts.append(f"## {KEY_LEARNING}")
    for point in doc.learning:
        parts.extend([f"### {_clean_text(point.title)}", _clean_block(point.body)])
    return "\n\n".join(parts) + "\n"
