"""Writing a review document: `render_document` turns a `ReviewDocument` into its one canonical
text, so that export, import and export again give byte-identical files.

Keys are written in the spec's order with optional ones left out when they have nothing to
say, short lists of names on one line and Markdown as block text; findings are plain
paragraphs only when that reads back as the same findings. Every text is read back with
`parse_document` before it is returned, so an export can always be imported again.
"""

from dataclasses import fields

import yaml

from reviews.documents.format import (
    ANALYSIS,
    CASE_SUMMARY,
    FORMAT,
    KEY_LEARNING,
    STATUTORY_KEYS,
    DocumentError,
    DocumentProblem,
    FindingDoc,
    ReviewDocument,
    clean_block,
    clean_text,
)
from reviews.documents.reading import parse_document
from reviews.documents.yaml_values import YAML_TAG


def render_document(doc: ReviewDocument) -> str:
    """The canonical text of a document.

    Raises DocumentError rather than return a text that would not read back as the same
    document (an empty case summary, a "## " line inside a learning point, ...): an export
    that cannot be imported again is worse than none.
    """
    text = _render(doc)
    themes = {clean_text(theme) for point in doc.learning for theme in point.themes}
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


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as the spec's example does.
        return super().increase_indent(flow, False)


class _FlowList(list):
    """A short list of names, written on one line: [Health visiting, GP]."""


class _PlainScalar(str):
    """Written without quotes when YAML allows: `incident_date: 2015`, not '2015'."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(f"{YAML_TAG}str", value, style="|" if "\n" in value else None)


def _represent_plain(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # The tag YAML would give the bare text, so the emitter sees no need to quote it; the
    # parser reads partial dates from the text as written, whatever YAML makes of them.
    tag = dumper.resolve(yaml.ScalarNode, str(value), (True, False))
    return dumper.represent_scalar(tag, str(value))


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_PlainScalar, _represent_plain)
_Dumper.add_representer(
    _FlowList, lambda dumper, value: dumper.represent_sequence(f"{YAML_TAG}seq", value, True)
)


def _without_empty(values: dict) -> dict:
    """Leave out optional keys with nothing to say (but keep an age of 0 months)."""
    return {
        key: value
        for key, value in values.items()
        if value is not None and value is not False and value not in ("", [], {})
    }


def _names(values: list[str]) -> _FlowList:
    return _FlowList(clean_text(value) for value in values)


def _front_matter(doc: ReviewDocument) -> dict:
    child = doc.child
    return _without_empty(
        {
            "format": FORMAT,
            "title": clean_text(doc.title),
            "slug": doc.slug,
            # English is the default: left out, so English documents read as they always did.
            "language": doc.language if doc.language != "en" else "",
            "translation_of": doc.translation_of,
            "plain_summary": clean_block(doc.plain_summary),
            "review_type": doc.review_type,
            "board": clean_text(doc.board),
            "nation": doc.nation,
            "status": doc.status,
            "published_on": doc.published_on,
            "reviewer": clean_text(doc.reviewer),
            "methodology": clean_text(doc.methodology),
            "child": _without_empty(
                {
                    "pseudonym": clean_text(child.pseudonym),
                    "sex": child.sex,
                    "age_at_incident": clean_text(child.age_at_incident),
                    "age_months": child.age_months,
                    "outcome": child.outcome,
                }
            ),
            "review_period": clean_text(doc.review_period),
            "incident_date": _PlainScalar(doc.incident_date),
            "agencies": _names(doc.agencies),
            "keywords": _names(doc.keywords),
            "report_url": clean_text(doc.report_url),
            "content_warning": clean_block(doc.content_warning),
            "chronology": [
                _without_empty(
                    {
                        "when": clean_text(event.when),
                        "age_months": event.age_months,
                        "date": _PlainScalar(event.date),
                        "agencies": _names(event.agencies),
                        "event": clean_block(event.event),
                        "key": event.key,
                    }
                )
                for event in doc.chronology
            ],
            "statutory": _without_empty(
                {key: getattr(doc.statutory, key) for key in STATUTORY_KEYS}
            ),
            "recommendations": [
                _without_empty(
                    {
                        "text": clean_block(recommendation.text),
                        "agencies": _names(recommendation.agencies),
                    }
                )
                for recommendation in doc.recommendations
            ],
            "learning": [
                _without_empty(
                    {
                        "title": clean_text(point.title),
                        "themes": _names(point.themes),
                        "agencies": _names(point.agencies),
                        "prompts": [clean_block(prompt) for prompt in point.prompts],
                    }
                )
                for point in doc.learning
            ],
        }
    )


def _findings_as_paragraphs(findings: list[FindingDoc]) -> bool:
    """Whether plain paragraphs would read back as exactly these findings."""
    return all(
        not clean_text(finding.heading)
        and all(line.strip() for line in clean_block(finding.text).split("\n"))
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
    parts = [f"---\n{front}---", f"## {CASE_SUMMARY}", clean_block(doc.case_summary)]
    if doc.analysis:
        parts.append(f"## {ANALYSIS}")
        as_paragraphs = _findings_as_paragraphs(doc.analysis)
        for finding in doc.analysis:
            if not as_paragraphs:
                parts.append(f"### {clean_text(finding.heading)}".rstrip())
            parts.append(clean_block(finding.text))
    parts.append(f"## {KEY_LEARNING}")
    for point in doc.learning:
        parts.extend([f"### {clean_text(point.title)}", clean_block(point.body)])
    return "\n\n".join(parts) + "\n"
