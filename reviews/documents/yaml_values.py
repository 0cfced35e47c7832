"""Typed values from the YAML nodes of a review document's front matter: the checks every key
shares.

`ValueReader` takes the composed nodes of one mapping and returns what a key holds (text, one
of a fixed list, a whole number, true or false, a full or partial date, a list), recording
the line of each value so that later messages can name it, and adding a problem at that line
for a wrong one. Values are read from the text as written, not from YAML 1.1's reading of it
(`reviewer: No` is the text "No"), and only the plain scalar tags are accepted. Which keys a
review has is reviews/documents/front_matter.py's business.
"""

import re
from collections.abc import Callable, Collection, Sequence
from datetime import date

import yaml

from portal.markdown import MAX_NESTING, nesting_depth
from reviews.documents.format import MAX_AGE_MONTHS, Problems, clean_block, clean_text, suggest
from reviews.validators import PARTIAL_DATE as _PARTIAL_DATE
from reviews.validators import parse_partial_date

_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE_NUMBER = re.compile(r"[-+]?\d+")

YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {
    f"{YAML_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_TRUE = {"yes", "true", "on"}


def _path(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _is_empty(node: yaml.Node) -> bool:
    """`agencies:`, `agencies: ~` and `agencies: []` all say there are none."""
    if isinstance(node, yaml.ScalarNode):
        return node.tag == f"{YAML_TAG}null"
    return isinstance(node, yaml.SequenceNode) and not node.value


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "keys and values"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        f"{YAML_TAG}int": f"the number {node.value}",
        f"{YAML_TAG}float": f"the number {node.value}",
        f"{YAML_TAG}bool": f"{node.value} (true/false)",
        f"{YAML_TAG}null": "empty",
        f"{YAML_TAG}timestamp": f"the date {node.value}",
    }.get(node.tag, f"the text '{_shortened(node.value)}'")


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


class ValueReader:
    """Reads the values of one document's front matter, remembering where each was written."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.lines: dict[str, int] = {}  # field path -> line of its value
        self.key_lines: dict[str, int] = {}  # field path -> line of its key
        self.offset = 2  # the front matter's YAML starts on the file's second line

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.offset

    @staticmethod
    def is_empty(node: yaml.Node) -> bool:
        return _is_empty(node)

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
            self.problems.add(self.line(node), path, f"must be keys and values, not {_kind(node)}")
            return None
        values: dict[str, yaml.Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = self.line(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.add(key_line, path, "a key must be a plain word such as 'title'")
                continue
            # The key as written: YAML 1.1 would read a key `on:` or `no:` as a boolean.
            key = key_node.value
            if key in key_lines:
                first = key_lines[key]
                self.problems.add(
                    key_line, _path(path, key), f"appears twice (first on line {first})"
                )
                continue
            key_lines[key] = key_line
            if key not in keys:
                self.problems.add(key_line, path, f"unknown key '{key}'{suggest(key, keys)}")
                continue
            values[key] = value_node
            self.lines[_path(path, key)] = self.line(value_node)
            self.key_lines[_path(path, key)] = key_line
        for key in required:
            if key not in key_lines:
                self.problems.add(line, path, f"missing required key '{key}'")
        return values

    def scalar(self, node: yaml.Node, where: str) -> str | None:
        """A scalar's text as written; None (with a problem unless empty) if there is none."""
        if not isinstance(node, yaml.ScalarNode):
            self.problems.add(self.line(node), where, f"must be text, not {_kind(node)}")
            return None
        if node.tag not in _SCALAR_TAGS:
            self.problems.add(self.line(node), where, f"unsupported YAML tag '{node.tag}'")
            return None
        if node.tag == f"{YAML_TAG}null":
            return None
        return node.value

    def text_node(self, node: yaml.Node, where: str, *, required: bool, multiline: bool) -> str:
        # Free text is taken as written, so `age_at_incident: 11` is the text "11" and
        # `reviewer: No` is "No", not the number or boolean YAML 1.1 would make of them.
        problems_before = len(self.problems)
        clean = clean_block if multiline else clean_text  # Markdown may start indented
        text = clean(self.scalar(node, where) or "")
        if len(self.problems) > problems_before:
            return ""
        if multiline and any(nesting_depth(line) > MAX_NESTING for line in text.split("\n")):
            self.problems.add(
                self.line(node),
                where,
                f"quotes or lists are nested more than {MAX_NESTING} levels deep; flatten them",
            )
        if not text and required:
            self.problems.add(self.line(node), where, "must not be empty")
        elif "\n" in text and not multiline:
            self.problems.add(self.line(node), where, "must be a single line")
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
            hint = suggest(text, choices, names) or f"; use one of: {', '.join(choices)}"
            self.problems.add(
                self.line(values[key]), _path(path, key), f"unknown {noun} '{text}'{hint}"
            )
        return text

    def whole_number(
        self, values: dict[str, yaml.Node], key: str, path: str, *, minimum: int
    ) -> int | None:
        node, where = values.get(key), _path(path, key)
        value = None if node is None else self.scalar(node, where)
        if value is None:
            return None
        # `age_months: true` is an int to Python (bool is one); it is not a number of months.
        if node.tag != f"{YAML_TAG}int" or not _WHOLE_NUMBER.fullmatch(value):
            self.problems.add(self.line(node), where, f"must be a whole number, not {_kind(node)}")
            return None
        number = int(value)
        if not minimum <= number <= MAX_AGE_MONTHS:
            self.problems.add(
                self.line(node), where, f"must be from {minimum} to {MAX_AGE_MONTHS}, not {number}"
            )
        return number

    def boolean(self, values: dict[str, yaml.Node], key: str, path: str) -> bool:
        node, where = values.get(key), _path(path, key)
        value = None if node is None else self.scalar(node, where)
        if value is None:
            return False
        if node.tag != f"{YAML_TAG}bool":
            self.problems.add(self.line(node), where, f"must be true or false, not {_kind(node)}")
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
            self.problems.add(
                self.line(node), where, f"'{value}' is not a date written as YYYY-MM-DD"
            )
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            self.problems.add(self.line(node), where, f"'{value}' is not a real date ({error})")
            return None

    def partial_date(self, values: dict[str, yaml.Node], key: str, path: str) -> str:
        # `incident_date: 2015` reaches us as an int and 2015-06 as text: both are dates.
        node, where = values.get(key), _path(path, key)
        value = None if node is None else self.scalar(node, where)
        if value is None:
            return ""
        if not _PARTIAL_DATE.fullmatch(value):
            message = f"'{value}' is not a date written as YYYY, YYYY-MM or YYYY-MM-DD"
            self.problems.add(self.line(node), where, message)
            return value
        try:
            parse_partial_date(value)
        except ValueError as error:
            self.problems.add(self.line(node), where, f"'{value}' is not a real date ({error})")
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
                self.problems.add(self.line(node), key, f"must list at least one {noun}")
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problems.add(self.line(node), key, f"must be a list, not {_kind(node)}")
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
                self.problems.add(self.line(node), where, "must list at least one")
            return []
        if not isinstance(node, yaml.SequenceNode):
            example = f" such as [{node.value}]" if isinstance(node, yaml.ScalarNode) else ""
            self.problems.add(self.line(node), where, f"must be a list{example}, not {_kind(node)}")
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
                self.problems.add(line, where, f"'{text}' is listed twice")
                continue
            if check:
                check(text, line, where)
            items.append(text)
            seen.add(text)
        return items
