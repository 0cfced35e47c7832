"""Load the labelled anonymisation corpus.

Labelled documents mark each planted identifier inline as ``[[kind:text]]`` (or
``[[kind+kind:text]]`` when one span is two kinds, e.g. a protected name that is also a
personal name). The loader strips the markers and returns exact character spans.

Header lines at the top of a document configure the scan:

    %% protected: Jordan; Kelly Smith
    %% pseudonyms: Child A; Jasmine

Clean documents (``clean/*.txt``) have no markers and must produce no findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent
_MARKER_RE = re.compile(r"\[\[([a-z\-+]+):(.+?)\]\]", re.DOTALL)
_HEADER_RE = re.compile(r"^%%\s*(\w+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Label:
    kind: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    labels: tuple[Label, ...] = ()
    protected: tuple[str, ...] = ()
    pseudonyms: tuple[str, ...] = ()
    words: int = field(default=0)


def parse(raw: str, name: str = "<string>") -> Document:
    settings: dict[str, tuple[str, ...]] = {"protected": (), "pseudonyms": ()}
    lines = raw.splitlines(keepends=True)
    while lines and (m := _HEADER_RE.match(lines[0].rstrip("\n"))):
        settings[m.group(1)] = tuple(p.strip() for p in m.group(2).split(";") if p.strip())
        lines.pop(0)
    body = "".join(lines)

    out: list[str] = []
    labels: list[Label] = []
    pos = 0
    length = 0
    for m in _MARKER_RE.finditer(body):
        chunk = body[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        value = m.group(2)
        for kind in m.group(1).split("+"):
            labels.append(Label(kind, length, length + len(value), value))
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(body[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise ValueError(f"{name}: malformed marker near {text[text.find('[[') :][:40]!r}")
    return Document(
        name=name,
        text=text,
        labels=tuple(labels),
        protected=settings["protected"],
        pseudonyms=settings["pseudonyms"],
        words=len(text.split()),
    )


def load(kind: str) -> list[Document]:
    """``kind`` is "labelled" or "clean"."""
    return [
        parse(path.read_text(encoding="utf-8"), name=f"{kind}/{path.name}")
        for path in sorted((CORPUS_DIR / kind).glob("*.txt"))
    ]
