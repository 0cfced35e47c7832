"""The front matter of a review document: its YAML, composed safely, and the review's keys
read from it (title, child, chronology, recommendations, learning points, ...).

The YAML is composed by a SafeLoader (libyaml's when PyYAML has it) that refuses anchors and
aliases before anything expands; a YAML error becomes a problem at its line. The values of
the composed nodes are read by reviews/documents/yaml_values.py. `FrontMatterReader.read`
returns the review's fields as keyword arguments for `ReviewDocument`, the learning points
without their bodies: those are the "## Key learning" section's (reviews/documents/sections.py).
"""

import re
from collections.abc import Collection

import yaml
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from reviews.documents.format import (
    CHILD_KEYS,
    CHRONOLOGY_KEYS,
    FORMAT,
    LANGUAGES,
    LEARNING_KEYS,
    MAX_AGE_MONTHS,
    NATIONS,
    OUTCOMES,
    RECOMMENDATION_KEYS,
    REQUIRED_KEYS,
    REVIEW_KEYS,
    REVIEW_TYPES,
    SEXES,
    STATUSES,
    STATUTORY_KEYS,
    TRANSLATION_REQUIRED_KEYS,
    ChildDoc,
    ChronologyEventDoc,
    Problems,
    RecommendationDoc,
    StatutoryDoc,
    suggest,
)
from reviews.documents.yaml_values import ValueReader
from reviews.validators import statutory_date_order_problems, validate_https_url

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

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


class FrontMatterReader:
    """Reads the front matter's text into the review's fields, adding problems as it goes."""

    def __init__(self, problems: Problems, *, known_themes: Collection[str]) -> None:
        self.problems = problems
        self.known_themes = known_themes
        self.values = ValueReader(problems)
        # A translation (`translation_of`) may leave out the values that belong to its
        # original: they are checked against the original's, and filled in, on import.
        self.translation = False

    @property
    def lines(self) -> dict[str, int]:
        """Where each field was written ("learning[2].themes" -> 40)."""
        return self.values.lines

    def read(self, text: str) -> dict | None:
        """The review's fields as keyword arguments, or None when the YAML cannot be read.

        With problems, some values are missing or wrong; they are only used for more checks.
        """
        try:
            root = _compose(text)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            detail = "; ".join(part for part in (error.context, error.problem) if part)
            self.problems.add(
                mark.line + self.values.offset if mark else None, "", f"invalid YAML: {detail}"
            )
            return None
        except yaml.reader.ReaderError as error:
            line = text.count("\n", 0, error.position) + self.values.offset
            self.problems.add(
                line, "", f"invalid YAML: the character U+{error.character:04X} is not allowed"
            )
            return None
        except yaml.YAMLError as error:
            self.problems.add(None, "", f"invalid YAML: {error}")
            return None
        except RecursionError:
            self.problems.add(None, "", "invalid YAML: nested too deeply")
            return None
        if not isinstance(root, yaml.MappingNode):
            self.problems.add(
                self.values.line(root) if root else 1,
                "",
                "the front matter must be YAML keys and values, such as 'title: Baby C'",
            )
            return None
        self.translation = any(
            isinstance(key, yaml.ScalarNode) and key.value == "translation_of"
            for key, _ in root.value
        )
        values = self.values.mapping(
            root,
            "",
            keys=REVIEW_KEYS,
            required=TRANSLATION_REQUIRED_KEYS if self.translation else REQUIRED_KEYS,
            line=1,
        )
        return self.review_fields(values)

    def review_fields(self, values: dict[str, yaml.Node]) -> dict:
        format_ = self.values.text(values, "format", "", required=True)
        if format_ and format_ != FORMAT:
            self.problems.add(
                self.values.line(values["format"]),
                "format",
                f"must be '{FORMAT}', not '{format_}'; this portal reads version 1 only",
            )
        title = self.values.text(values, "title", "", required=True)
        language = self.values.choice(values, "language", "", LANGUAGES, default="en")
        translation_of = self.values.text(values, "translation_of", "", required=True)
        if translation_of and not _SLUG.fullmatch(translation_of):
            self.problems.add(
                self.values.line(values["translation_of"]),
                "translation_of",
                f"'{translation_of}' is not a slug: give the slug of the review this translates",
            )
        slug = self.values.text(values, "slug", "")
        if slug and not _SLUG.fullmatch(slug):
            hint = f" such as '{slugify(slug)}'" if slugify(slug) else ""
            self.problems.add(
                self.values.line(values["slug"]),
                "slug",
                f"'{slug}' is not a slug: use lowercase letters, digits and single hyphens{hint}",
            )
        elif translation_of and not slug:
            slug = f"{translation_of}-{language}"
        elif title and not slug:
            slug = slugify(title)
            if not slug:
                self.problems.add(
                    self.values.line(values["title"]),
                    "title",
                    "no slug can be made from this title; add a slug such as 'baby-c'",
                )
        status = self.values.choice(values, "status", "", STATUSES, default="draft")
        published_on = self.values.full_date(values, "published_on", "")
        if (
            status in ("published", "withdrawn")
            and "published_on" not in values
            and not self.translation  # a translation's date is its original's
        ):
            line = self.values.line(values["status"])
            self.problems.add(line, "published_on", f"is required when status is '{status}'")
        report_url = self.values.text(values, "report_url", "")
        if report_url:
            try:
                validate_https_url(report_url)
            except ValidationError:
                self.problems.add(
                    self.values.line(values["report_url"]),
                    "report_url",
                    f"'{report_url}' is not a web address starting with https://",
                )
        return {
            "title": title,
            "slug": slug,
            "language": language,
            "translation_of": translation_of,
            "plain_summary": self.values.text(values, "plain_summary", "", multiline=True),
            "review_type": self.values.choice(
                values, "review_type", "", REVIEW_TYPES, names=REVIEW_TYPES, noun="review type"
            ),
            "board": self.values.text(values, "board", "", required=True),
            "nation": self.values.choice(values, "nation", "", NATIONS),
            "status": status,
            "published_on": published_on,
            "reviewer": self.values.text(values, "reviewer", ""),
            "methodology": self.values.text(values, "methodology", ""),
            "child": self.child(values),
            "review_period": self.values.text(values, "review_period", ""),
            "incident_date": self.values.partial_date(values, "incident_date", ""),
            "agencies": self.values.text_list(values, "agencies", ""),
            "keywords": self.values.text_list(values, "keywords", "", check=self.check_keyword),
            "report_url": report_url,
            "content_warning": self.values.text(values, "content_warning", "", multiline=True),
            "chronology": [
                self.chronology_event(node, path)
                for node, path in self.values.items(values, "chronology", noun="chronology event")
            ],
            "statutory": self.statutory(values),
            "recommendations": [
                self.recommendation(node, path)
                for node, path in self.values.items(
                    values, "recommendations", noun="recommendation"
                )
            ],
            "learning": self.learning(values),
        }

    def child(self, values: dict[str, yaml.Node]) -> ChildDoc | None:
        if "child" not in values:
            return None
        child = self.values.mapping(
            values["child"],
            "child",
            keys=CHILD_KEYS,
            required=("pseudonym", "age_at_incident")
            if self.translation
            else ("pseudonym", "age_at_incident", "outcome"),
            line=self.values.key_lines["child"],
        )
        if child is None:
            return None
        return ChildDoc(
            pseudonym=self.values.text(child, "pseudonym", "child", required=True),
            sex=self.values.choice(child, "sex", "child", SEXES, default="not-stated"),
            age_at_incident=self.values.text(child, "age_at_incident", "child", required=True),
            age_months=self.values.whole_number(child, "age_months", "child", minimum=0),
            outcome=self.values.choice(child, "outcome", "child", OUTCOMES),
        )

    def chronology_event(self, node: yaml.Node, path: str) -> ChronologyEventDoc | None:
        values = self.values.mapping(
            node,
            path,
            keys=CHRONOLOGY_KEYS,
            required=("when", "event"),
            line=self.values.line(node),
        )
        if values is None:
            return None
        return ChronologyEventDoc(
            when=self.values.text(values, "when", path, required=True),
            age_months=self.values.whole_number(
                values, "age_months", path, minimum=-MAX_AGE_MONTHS
            ),
            date=self.values.partial_date(values, "date", path),
            agencies=self.values.text_list(values, "agencies", path),
            event=self.values.text(values, "event", path, required=True, multiline=True),
            key=self.values.boolean(values, "key", path),
        )

    def statutory(self, values: dict[str, yaml.Node]) -> StatutoryDoc:
        node = values.get("statutory")
        if node is None or self.values.is_empty(node):
            return StatutoryDoc()
        dates = self.values.mapping(
            node, "statutory", keys=STATUTORY_KEYS, required=(), line=self.values.line(node)
        )
        if dates is None:
            return StatutoryDoc()
        found = {key: self.values.full_date(dates, key, "statutory") for key in STATUTORY_KEYS}
        for key, message in statutory_date_order_problems(found).items():
            self.problems.add(self.values.lines[f"statutory.{key}"], f"statutory.{key}", message)
        return StatutoryDoc(**found)

    def recommendation(self, node: yaml.Node, path: str) -> RecommendationDoc | None:
        values = self.values.mapping(
            node, path, keys=RECOMMENDATION_KEYS, required=("text",), line=self.values.line(node)
        )
        if values is None:
            return None
        return RecommendationDoc(
            text=self.values.text(values, "text", path, required=True, multiline=True),
            agencies=self.values.text_list(values, "agencies", path),
        )

    def learning(self, values: dict[str, yaml.Node]) -> list[dict | None]:
        """The learning points without their bodies, None for one that is not a mapping."""
        points: list[dict | None] = []
        titles: dict[str, str] = {}
        for node, path in self.values.items(
            values, "learning", noun="learning point", required=True
        ):
            fields = self.values.mapping(
                node,
                path,
                keys=LEARNING_KEYS,
                required=("title",) if self.translation else ("title", "themes"),
                line=self.values.line(node),
            )
            if fields is None:
                points.append(None)
                continue
            title = self.values.text(fields, "title", path, required=True)
            if title in titles:
                self.problems.add(
                    self.values.lines[f"{path}.title"],
                    f"{path}.title",
                    f"'{title}' is already the title of {titles[title]}; "
                    "each learning point needs its own title",
                )
            elif title:
                titles[title] = path
            points.append(
                {
                    "title": title,
                    "themes": self.values.text_list(
                        fields,
                        "themes",
                        path,
                        required=not self.translation,
                        check=self.check_theme,
                    ),
                    "agencies": self.values.text_list(fields, "agencies", path),
                    "prompts": self.values.text_list(
                        fields, "prompts", path, multiline=True, unique=False
                    ),
                }
            )
        return points

    def check_theme(self, theme: str, line: int, where: str) -> None:
        if theme not in self.known_themes:
            hint = suggest(theme, sorted(self.known_themes))
            self.problems.add(line, where, f"unknown theme '{theme}'{hint}")

    def check_keyword(self, keyword: str, line: int, where: str) -> None:
        if "," in keyword:
            self.problems.add(line, where, f"'{keyword}' contains a comma; make it two keywords")
