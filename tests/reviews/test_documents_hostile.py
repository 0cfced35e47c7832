"""Review documents built to hurt the server are refused with the usual file:line message."""

import time

import pytest

from reviews.documents.format import DocumentError
from tests.reviews.test_documents import MINIMAL, parse

# Parsing needs no database, but the session's serialised-database fixture does.
pytestmark = pytest.mark.django_db


def billion_laughs() -> str:
    """About 45 KB of nested aliases that expand to tens of megabytes when walked."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        previous = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{previous}]")
    lines.append("keywords: *a8")  # read, and so walked, as a list of keywords
    return "\n".join(lines)


def with_front_matter_lines(extra: str) -> str:
    return MINIMAL.replace("learning:\n", extra + "\nlearning:\n", 1)


def problems_of(text: str) -> list[str]:
    with pytest.raises(DocumentError) as error:
        parse(text)
    return [str(problem) for problem in error.value.problems]


def test_yaml_anchors_and_aliases_are_refused_before_anything_expands():
    started = time.process_time()  # CPU time: other processes' load does not count
    problems = problems_of(with_front_matter_lines(billion_laughs()))

    assert time.process_time() - started < 1
    assert any("baby-c.md:11" in p and "anchors (&name) and aliases" in p for p in problems)


def test_a_single_alias_is_refused_with_its_line():
    text = MINIMAL.replace("  outcome: died\n", "  outcome: died\nreviewer: &who A. N. Other\n")
    text = text.replace("learning:\n", "methodology: *who\nlearning:\n", 1)

    problems = problems_of(text)

    assert any("anchors (&name) and aliases" in p and "baby-c.md:11" in p for p in problems)


def test_markdown_nested_thousands_of_levels_deep_is_refused_at_its_line():
    text = MINIMAL.replace(
        "Baby C died at the age of 11 months.", "Baby C died.\n\n" + ">" * 5000 + " deep"
    )

    problems = problems_of(text)

    assert any("nested more than 20 levels deep" in p for p in problems)
    assert any(p.startswith("baby-c.md:20") for p in problems), problems


def test_ordinary_nesting_is_still_read():
    text = MINIMAL.replace(
        "Baby C died at the age of 11 months.", "> quoted\n>\n> - a list\n>   - inside it"
    )

    assert parse(text).case_summary.startswith("> quoted")


def test_a_file_over_2_mb_is_refused_before_it_is_read():
    # Real review documents are 10 to 20 KB; the pure-Python YAML reader, which reads again
    # any front matter libyaml refuses, takes seconds a megabyte.
    text = MINIMAL.replace("Baby C died", "x" * (2 * 1024 * 1024) + "\nBaby C died")

    assert problems_of(text) == [
        "baby-c.md: the file is 2.0 MB; a review document can be at most 2 MB"
    ]


def test_an_alias_is_refused_by_the_pure_python_reader_in_the_same_pass_that_composes(
    monkeypatch,
):
    from reviews.documents import front_matter

    # Without libyaml, or when it refuses the text, one reading refuses the anchors too.
    monkeypatch.setattr(front_matter, "_FAST_LOADER", None)
    read = []
    original = front_matter.yaml.parse

    def parse_events(*args, **kwargs):
        read.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(front_matter.yaml, "parse", parse_events)

    problems = problems_of(with_front_matter_lines(billion_laughs()))

    assert any("baby-c.md:11" in p and "anchors (&name) and aliases" in p for p in problems)
    assert read == []


def test_a_long_list_of_keywords_is_read_in_time_linear_in_its_length():
    # Checking each keyword against the ones before it took minutes at the size cap. CPU time
    # of this process: under pytest-xdist the other worker (or anything else on the machine)
    # competing for the CPU must not fail it; quadratic work still takes minutes of it.
    words = ", ".join(f"word{number}" for number in range(60_000))
    started = time.process_time()

    document = parse(with_front_matter_lines(f"keywords: [{words}]"))

    assert time.process_time() - started < 3
    assert len(document.keywords) == 60_000
