"""Reading and writing review documents (reviews/documents/reading.py, writing.py and the
modules they use); no database needed."""

import datetime
import random
from pathlib import Path

import pytest

from reviews.documents.format import (
    MAX_DOCUMENT_BYTES,
    ChildDoc,
    ChronologyEventDoc,
    DocumentError,
    DocumentProblem,
    FindingDoc,
    LearningPointDoc,
    RecommendationDoc,
    ReviewDocument,
)
from reviews.documents.reading import parse_document
from reviews.documents.writing import render_document

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "reviews"
SPEC_THEMES = Path("/work/shared/specs/themes.md")
THEMES = {
    "voice-of-the-child",
    "domestic-abuse",
    "assessment",
    "information-sharing",
    "multi-agency-working",
    "early-help",
    "health-services",
    "professional-curiosity",
    "thresholds-and-step-down",
    "home-safety-and-supervision",
    "exploitation",
    "education",
    "parental-mental-health",
    "neglect",
}

MINIMAL = """\
---
format: review-document/1
title: Baby C
review_type: serious-case-review
board: Coventry Safeguarding Children Board
nation: england
child:
  pseudonym: Baby C
  age_at_incident: 11 months
  outcome: died
learning:
  - title: Listening to children
    themes: [voice-of-the-child]
---

## Case summary

Baby C died at the age of 11 months.

## Key learning

### Listening to children

Speak to the children who raised the concern.
"""

# The spec's example, every key used, with a body to match.
FULL = """\
---
format: review-document/1
title: Baby C
slug: baby-c
review_type: serious-case-review
board: Coventry Safeguarding Children Board
nation: england
status: published
published_on: 2016-05-01
reviewer: A. N. Other
methodology: Significant Incident Learning Process
child:
  pseudonym: Baby C
  sex: male
  age_at_incident: 11 months
  age_months: 11
  outcome: died
review_period: 22 months
incident_date: 2015-06
agencies: [Health visiting, GP]
keywords: [bathing, supervision]
report_url: https://example.org/report.pdf
content_warning: This summary describes the death of a baby.
chronology:
  - when: Before the birth of Baby C
    age_months: -2
    date: 2014-03
    agencies: [Health visiting]
    event: Mother reported feeling depressed and isolated.
    key: true
recommendations:
  - text: Record contact with fathers in midwifery and health visiting records.
    agencies: [Midwifery, Health visiting]
learning:
  - title: Listening to children
    themes: [voice-of-the-child]
    agencies: [Children's social care]
    prompts:
      - How does your team make sure the children who raised a concern are spoken to?
  - title: Domestic abuse
    themes: [domestic-abuse, information-sharing]
---

## Case summary

Baby C died at the age of 11 months after being left unsupervised in the bath.

The review covers a 22 month period.

## Analysis

Referral rates were high.

Information was not shared with the midwife.

## Key learning

### Listening to children

Referrals made in response to a child's disclosure must result in the children being
contacted.

### Domestic abuse

Explore the impact of domestic abuse on the children.
"""


def parse(text: str | bytes, *, name: str = "baby-c.md") -> ReviewDocument:
    data = text.encode() if isinstance(text, str) else text
    return parse_document(data, name=name, known_themes=THEMES)


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(DocumentError) as caught:
        parse(text)
    assert caught.value.problems, "a DocumentError must say what is wrong"
    return [str(problem) for problem in caught.value.problems]


def line_of(text: str, fragment: str) -> int:
    """The 1-based number of the first line of text containing fragment."""
    for number, line in enumerate(text.split("\n"), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in the document")


# Reading -----------------------------------------------------------------------------------


def test_a_minimal_document_is_read_with_the_defaults_the_spec_gives():
    doc = parse(MINIMAL)

    assert doc.title == "Baby C"
    assert doc.slug == "baby-c"
    assert doc.status == "draft"
    assert doc.published_on is None
    assert doc.child == ChildDoc(pseudonym="Baby C", age_at_incident="11 months", outcome="died")
    assert doc.child.sex == "not-stated"
    assert doc.case_summary == "Baby C died at the age of 11 months."
    assert doc.analysis == []
    assert doc.learning == [
        LearningPointDoc(
            title="Listening to children",
            themes=["voice-of-the-child"],
            body="Speak to the children who raised the concern.",
        )
    ]


def test_every_key_of_the_spec_example_is_read():
    doc = parse(FULL)

    assert doc == ReviewDocument(
        title="Baby C",
        slug="baby-c",
        review_type="serious-case-review",
        board="Coventry Safeguarding Children Board",
        nation="england",
        status="published",
        published_on=datetime.date(2016, 5, 1),
        reviewer="A. N. Other",
        methodology="Significant Incident Learning Process",
        child=ChildDoc(
            pseudonym="Baby C",
            sex="male",
            age_at_incident="11 months",
            age_months=11,
            outcome="died",
        ),
        review_period="22 months",
        incident_date="2015-06",
        agencies=["Health visiting", "GP"],
        keywords=["bathing", "supervision"],
        report_url="https://example.org/report.pdf",
        content_warning="This summary describes the death of a baby.",
        chronology=[
            ChronologyEventDoc(
                when="Before the birth of Baby C",
                age_months=-2,
                date="2014-03",
                agencies=["Health visiting"],
                event="Mother reported feeling depressed and isolated.",
                key=True,
            )
        ],
        recommendations=[
            RecommendationDoc(
                text="Record contact with fathers in midwifery and health visiting records.",
                agencies=["Midwifery", "Health visiting"],
            )
        ],
        case_summary="Baby C died at the age of 11 months after being left unsupervised in "
        "the bath.\n\nThe review covers a 22 month period.",
        analysis=[
            FindingDoc(text="Referral rates were high."),
            FindingDoc(text="Information was not shared with the midwife."),
        ],
        learning=[
            LearningPointDoc(
                title="Listening to children",
                themes=["voice-of-the-child"],
                agencies=["Children's social care"],
                prompts=[
                    "How does your team make sure the children who raised a concern are spoken to?"
                ],
                body="Referrals made in response to a child's disclosure must result in the "
                "children being\ncontacted.",
            ),
            LearningPointDoc(
                title="Domestic abuse",
                themes=["domestic-abuse", "information-sharing"],
                body="Explore the impact of domestic abuse on the children.",
            ),
        ],
    )


def test_the_document_remembers_the_line_of_each_field_for_later_messages():
    doc = parse(FULL)

    assert doc.lines["title"] == line_of(FULL, "title: Baby C")
    assert doc.lines["learning[2].themes"] == line_of(FULL, "themes: [domestic-abuse")
    assert doc.lines["learning[2].themes[2]"] == line_of(FULL, "themes: [domestic-abuse")


def test_all_agencies_lists_every_agency_named_anywhere_once_in_order_of_first_mention():
    doc = parse(FULL)

    assert doc.all_agencies() == [
        "Health visiting",
        "GP",
        "Midwifery",
        "Children's social care",
    ]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2015", "2015"),  # YAML reads an int
        ("2015-06", "2015-06"),  # YAML reads text
        ("2015-06-30", "2015-06-30"),  # YAML reads a date
        ("'2015'", "2015"),
    ],
)
def test_partial_dates_are_read_as_written_whatever_yaml_makes_of_them(written, read):
    text = MINIMAL.replace("nation: england", f"nation: england\nincident_date: {written}")

    assert parse(text).incident_date == read


def test_a_quoted_publication_date_is_read_like_a_bare_one():
    text = MINIMAL.replace("nation: england", "nation: england\npublished_on: '2016-05-01'")

    assert parse(text).published_on == datetime.date(2016, 5, 1)


def test_free_text_that_yaml_would_read_as_a_number_or_boolean_is_kept_as_written():
    text = MINIMAL.replace("nation: england", "nation: england\nreviewer: No").replace(
        "age_at_incident: 11 months", "age_at_incident: 11"
    )

    doc = parse(text)

    assert doc.reviewer == "No"
    assert doc.child.age_at_incident == "11"


@pytest.mark.parametrize(("written", "read"), [("true", True), ("yes", True), ("off", False)])
def test_a_key_episode_flag_accepts_yaml_booleans(written, read):
    text = MINIMAL.replace(
        "learning:\n",
        f"chronology:\n  - when: At birth\n    event: Born.\n    key: {written}\nlearning:\n",
    )

    assert parse(text).chronology[0].key is read


def test_empty_optional_keys_mean_nothing_was_given():
    text = MINIMAL.replace("nation: england", "nation: england\nreviewer:\nagencies: []\nslug:")

    doc = parse(text)

    assert (doc.reviewer, doc.agencies, doc.slug) == ("", [], "baby-c")


def test_analysis_subsections_are_findings_with_headings_and_a_bare_heading_means_none():
    text = MINIMAL.replace(
        "## Key learning",
        "## Analysis\n\n### Caseloads\n\nReferral rates were high.\n\nStaff were stretched.\n\n"
        "###\n\nNo heading here.\n\n## Key learning",
    )

    assert parse(text).analysis == [
        FindingDoc(heading="Caseloads", text="Referral rates were high.\n\nStaff were stretched."),
        FindingDoc(heading="", text="No heading here."),
    ]


def test_markdown_is_kept_as_written_except_leading_blank_lines_and_trailing_whitespace():
    body = "  indented first line\n- a list  \n- with a hard break\n\n```\ncode\n```"
    text = MINIMAL.replace(
        "Baby C died at the age of 11 months.\n", f"\n\n{body}   \n\n\n"
    ).replace("### Listening to children\n", "### Listening to children  \n")

    doc = parse(text)

    assert doc.case_summary == body
    assert doc.learning[0].title == "Listening to children"


def test_hostile_markdown_is_accepted_and_stored_as_written():
    hostile = (
        "<script>alert('x')</script> [click](javascript:alert(1))\n"
        '<img src="x" onerror="alert(1)">'
    )
    text = MINIMAL.replace("Baby C died at the age of 11 months.", hostile)

    assert parse(text).case_summary == hostile


def test_windows_line_endings_and_a_byte_order_mark_are_accepted():
    data = b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode()

    assert parse(data) == parse(MINIMAL)


# Refusing ----------------------------------------------------------------------------------


def test_the_spec_example_message_names_file_line_field_and_suggests_the_theme():
    text = FULL.replace("themes: [domestic-abuse,", "themes: [domestic-violence,")

    assert problems(text) == [
        f"baby-c.md:{line_of(text, 'domestic-violence')}: learning[2].themes: "
        "unknown theme 'domestic-violence' (did you mean 'domestic-abuse'?)"
    ]


def test_a_problem_without_a_line_or_field_reads_naturally():
    assert str(DocumentProblem("a.md", None, "body", "missing section")) == (
        "a.md: body: missing section"
    )
    assert str(DocumentProblem("a.md", 3, "", "invalid YAML")) == "a.md:3: invalid YAML"


def test_every_problem_of_a_document_is_reported_in_line_order():
    text = (
        MINIMAL.replace("nation: england", "nation: englnd")
        .replace("outcome: died", "outcome: dead")
        .replace("### Listening to children", "### Listening to the children")
    )

    found = problems(text)

    assert len(found) == 4, found
    assert "unknown nation 'englnd' (did you mean 'england'?)" in found[0]
    assert "unknown outcome 'dead' (did you mean 'died'?)" in found[1]
    assert "'Listening to children' has no '### Listening to children' heading" in found[2]
    assert "(did you mean 'Listening to the children'?)" in found[2]
    assert "'### Listening to the children' is not the title of a learning point" in found[3]
    assert [int(p.split(":")[1]) for p in found] == sorted(int(p.split(":")[1]) for p in found)


def test_a_file_over_the_size_cap_is_refused_before_it_is_read():
    # Not UTF-8 either: the size must be the first and only thing checked.
    data = b"\xff" * (50 * 1024 * 1024)

    assert problems(data) == [
        "baby-c.md: the file is 50.0 MB; a review document can be at most 2 MB"
    ]


def test_a_file_of_exactly_the_size_cap_is_read():
    padding = MAX_DOCUMENT_BYTES - len(MINIMAL.encode()) - 1
    text = MINIMAL.replace("Baby C died", "x" * padding + "\nBaby C died")

    assert len(text.encode()) == MAX_DOCUMENT_BYTES
    assert parse(text).title == "Baby C"


def test_bytes_that_are_not_utf8_are_named_by_offset_and_line():
    data = MINIMAL.replace("Baby C died", "Bébé C died").encode("latin-1")
    offset = data.index(b"\xe9")

    assert problems(data) == [
        f"baby-c.md:{line_of(MINIMAL, 'Baby C died')}: the file is not UTF-8 text: byte 0xe9 "
        f"at offset {offset} cannot be read; save the file as UTF-8"
    ]


def test_a_nul_character_is_refused():
    text = MINIMAL.replace("Baby C died", "Baby C\x00 died")

    assert problems(text) == [
        f"baby-c.md:{line_of(text, '\x00')}: the file contains a NUL character; is it really text?"
    ]


def test_a_file_without_front_matter_is_refused():
    text = "# Baby C\n\n## Case summary\n\nText.\n"

    assert problems(text) == [
        "baby-c.md:1: missing front matter: a review document starts with a line '---', then "
        "its YAML keys (format, title, ...), then another '---' line"
    ]


def test_front_matter_that_is_never_closed_is_refused():
    text = MINIMAL.replace("---\n\n## Case summary", "\n## Case summary")

    assert problems(text) == [
        "baby-c.md:1: the front matter opened on line 1 is never closed: add a '---' line after it"
    ]


def test_invalid_yaml_names_its_line():
    text = MINIMAL.replace("board: Coventry", "board: [Coventry")

    (problem,) = problems(text)

    assert problem.startswith("baby-c.md:")
    assert "invalid YAML:" in problem
    assert int(problem.split(":")[1]) >= line_of(text, "board:")


def test_front_matter_that_is_not_keys_and_values_is_refused():
    text = "---\n- just\n- a list\n---\n\n## Case summary\n\nx\n\n## Key learning\n\n### A\n\nb\n"

    assert (
        "baby-c.md:2: the front matter must be YAML keys and values, such as 'title: Baby C'"
        in problems(text)
    )


def test_another_format_version_is_refused():
    text = MINIMAL.replace("review-document/1", "review-document/2")

    assert problems(text) == [
        "baby-c.md:2: format: must be 'review-document/1', not 'review-document/2'; this "
        "portal reads version 1 only"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("nation: england", "nation: england\nreveiwer: A. N. Other  # here"),
         "unknown key 'reveiwer' (did you mean 'reviewer'?)"),
        (("  outcome: died", "  outcome: died\n  gender: male  # here"),
         "child: unknown key 'gender'"),
        (("    themes: [voice", "    theme: [assessment]  # here\n    themes: [voice"),
         "learning[1]: unknown key 'theme' (did you mean 'themes'?)"),
        (("learning:\n", "chronology:\n  - when: x\n    event: y\n"
          "    keys: true  # here\nlearning:\n"),
         "chronology[1]: unknown key 'keys' (did you mean 'key'?)"),
        (("learning:\n", "recommendations:\n  - text: x\n    agency: [GP]  # here\nlearning:\n"),
         "recommendations[1]: unknown key 'agency' (did you mean 'agencies'?)"),
        (("nation: england", "nation: england\non: true  # here"), "unknown key 'on'"),
    ],
)  # fmt: skip
def test_unknown_keys_are_refused_at_every_level_with_their_line(change, expected):
    text = MINIMAL.replace(*change)

    (problem,) = problems(text)

    assert problem == f"baby-c.md:{line_of(text, '# here')}: {expected}"


def test_a_key_given_twice_is_refused():
    text = MINIMAL.replace("nation: england", "nation: england\ntitle: Baby D")

    assert problems(text) == [
        f"baby-c.md:{line_of(text, 'Baby D')}: title: appears twice (first on line 3)"
    ]


def test_every_missing_required_key_is_named():
    text = MINIMAL.replace("title: Baby C\n", "").replace("  outcome: died\n", "")

    assert problems(text) == [
        "baby-c.md:1: missing required key 'title'",
        f"baby-c.md:{line_of(text, 'child:')}: child: missing required key 'outcome'",
    ]


def test_a_required_key_left_empty_is_refused():
    text = MINIMAL.replace("board: Coventry Safeguarding Children Board", "board: ''")

    assert problems(text) == ["baby-c.md:5: board: must not be empty"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("title: Baby C", "title: [Baby, C]"), "title: must be text, not a list"),
        (("title: Baby C", "title: |\n  Baby\n  C"), "title: must be a single line"),
        (("nation: england", "nation: england\nagencies: GP"),
         "agencies: must be a list such as [GP], not the text 'GP'"),
        (("  outcome: died", "  outcome: died\n  age_months: eleven"),
         "child.age_months: must be a whole number, not the text 'eleven'"),
        (("  outcome: died", "  outcome: died\n  age_months: '11'"),
         "child.age_months: must be a whole number, not the text '11'"),
        (("  outcome: died", "  outcome: died\n  age_months: true"),
         "child.age_months: must be a whole number, not true (true/false)"),
        (("  outcome: died", "  outcome: died\n  age_months: 11.5"),
         "child.age_months: must be a whole number, not the number 11.5"),
        (("  outcome: died", "  outcome: died\n  age_months: -3"),
         "child.age_months: must be from 0 to 1200, not -3"),
        (("child:\n  pseudonym: Baby C\n  age_at_incident: 11 months\n  outcome: died",
          "child: Baby C"), "child: must be keys and values, not the text 'Baby C'"),
        (("learning:\n", "chronology:\n  - At birth\nlearning:\n"),
         "chronology[1]: must be keys and values, not the text 'At birth'"),
        (("learning:\n", "chronology:\n  - when: At birth\n    event: x\n    key: 'yes'\n"
          "learning:\n"), "chronology[1].key: must be true or false, not the text 'yes'"),
        (("learning:\n", "recommendations: Record contact\nlearning:\n"),
         "recommendations: must be a list, not the text 'Record contact'"),
        (("themes: [voice-of-the-child]", "themes: voice-of-the-child"),
         "learning[1].themes: must be a list such as [voice-of-the-child], not the text "
         "'voice-of-the-child'"),
        (("themes: [voice-of-the-child]", "themes: [[voice-of-the-child]]"),
         "learning[1].themes[1]: must be text, not a list"),
        (("title: Baby C", "title: !!binary QmFieSBD"),
         "title: unsupported YAML tag 'tag:yaml.org,2002:binary'"),
    ],
)  # fmt: skip
def test_values_of_the_wrong_type_are_refused(change, expected):
    text = MINIMAL.replace(*change)

    found = problems(text)

    assert any(problem.endswith(f": {expected}") for problem in found), found


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("published_on: 2015-02-30", "published_on: '2015-02-30' is not a real date "
         "(day is out of range for month)"),
        ("published_on: 2016-5-1", "published_on: '2016-5-1' is not a date written as "
         "YYYY-MM-DD"),
        ("published_on: 2016-05", "published_on: '2016-05' is not a date written as YYYY-MM-DD"),
        ("published_on: 2016-05-01 10:00:00", "published_on: '2016-05-01 10:00:00' is not a "
         "date written as YYYY-MM-DD"),
        ("incident_date: 2015-02-30", "incident_date: '2015-02-30' is not a real date "
         "(day is out of range for month)"),
        ("incident_date: 2015-13", "incident_date: '2015-13' is not a real date "
         "(month must be in 1..12)"),
        ("incident_date: last summer", "incident_date: 'last summer' is not a date written as "
         "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("incident_date: 15", "incident_date: '15' is not a date written as YYYY, YYYY-MM or "
         "YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_bad_dates_are_refused(line, expected):
    text = MINIMAL.replace("nation: england", f"nation: england\n{line}")

    assert problems(text) == [f"baby-c.md:{line_of(text, line)}: {expected}"]


def test_a_bad_chronology_date_names_the_event():
    text = MINIMAL.replace(
        "learning:\n", "chronology:\n  - when: x\n    date: 2014-02-29\n    event: y\nlearning:\n"
    )

    assert problems(text) == [
        f"baby-c.md:{line_of(text, '2014-02-29')}: chronology[1].date: '2014-02-29' is not a "
        "real date (day is out of range for month)"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("serious-case-review", "serious-case-reveiw  # here"),
         "review_type: unknown review type 'serious-case-reveiw' "
         "(did you mean 'serious-case-review'?)"),
        (("serious-case-review", "Serious Case Review  # here"),
         "review_type: unknown review type 'Serious Case Review' "
         "(did you mean 'serious-case-review'?)"),
        (("serious-case-review", "Child Practice Review  # here"),
         "review_type: unknown review type 'Child Practice Review' "
         "(did you mean 'child-practice-review'?)"),
        (("nation: england", "nation: uk  # here"),
         "nation: unknown nation 'uk'; use one of: england, "
         "wales, scotland, northern-ireland"),
        (("nation: england", "nation: Northern Ireland  # here"), "nation: unknown nation "
         "'Northern Ireland' (did you mean 'northern-ireland'?)"),
        (("outcome: died", "outcome: serious harm  # here"), "child.outcome: unknown outcome "
         "'serious harm' (did you mean 'serious-harm'?)"),
        (("outcome: died", "outcome: died\n  sex: mal  # here"), "child.sex: unknown sex 'mal' "
         "(did you mean 'male'?)"),
        (("nation: england", "nation: england\nstatus: publshed  # here"), "status: unknown status "
         "'publshed' (did you mean 'published'?)"),
        (("nation: england", "nation: england\nstatus: on  # here"),
         "status: unknown status 'on'; use "
         "one of: draft, published, withdrawn"),
        (("[voice-of-the-child]", "[Voice of the child]  # here"),
         "learning[1].themes: unknown theme "
         "'Voice of the child' (did you mean 'voice-of-the-child'?)"),
        (("[voice-of-the-child]", "[inter-planetary]  # here"), "learning[1].themes: unknown theme "
         "'inter-planetary'"),
    ],
)  # fmt: skip
def test_values_outside_the_fixed_lists_are_refused_with_a_suggestion(change, expected):
    text = MINIMAL.replace(*change)

    assert problems(text) == [f"baby-c.md:{line_of(text, '# here')}: {expected}"]


@pytest.mark.parametrize("status", ["published", "withdrawn"])
def test_a_published_or_withdrawn_review_needs_its_publication_date(status):
    text = MINIMAL.replace("nation: england", f"nation: england\nstatus: {status}")

    assert problems(text) == [
        f"baby-c.md:{line_of(text, 'status:')}: published_on: is required when status is '{status}'"
    ]


@pytest.mark.parametrize(
    "url", ["http://example.org/report.pdf", "example.org/report.pdf", "https://", "ftp://x.org"]
)
def test_a_report_address_must_be_https(url):
    text = MINIMAL.replace("nation: england", f"nation: england\nreport_url: {url}")

    assert problems(text) == [
        f"baby-c.md:{line_of(text, 'report_url')}: report_url: '{url}' is not a web address "
        "starting with https://"
    ]


def test_a_slug_must_be_lowercase_words_and_hyphens():
    text = MINIMAL.replace("nation: england", "nation: england\nslug: Baby C")

    assert problems(text) == [
        f"baby-c.md:{line_of(text, 'slug:')}: slug: 'Baby C' is not a slug: use lowercase "
        "letters, digits and single hyphens such as 'baby-c'"
    ]


def test_a_title_that_gives_no_slug_needs_one():
    text = MINIMAL.replace("title: Baby C", "title: '???'")

    assert problems(text) == [
        "baby-c.md:3: title: no slug can be made from this title; add a slug such as 'baby-c'"
    ]


def test_a_review_needs_at_least_one_learning_point_with_at_least_one_theme():
    no_learning = MINIMAL.split("learning:\n")[0] + "learning: []\n---\n\n## Case summary\n\nx\n"
    no_theme = MINIMAL.replace("themes: [voice-of-the-child]", "themes: []")

    assert "learning: must list at least one learning point" in "\n".join(problems(no_learning))
    assert problems(no_theme) == [
        f"baby-c.md:{line_of(no_theme, 'themes')}: learning[1].themes: must list at least one"
    ]


def test_two_learning_points_cannot_share_a_title():
    text = MINIMAL.replace(
        "---\n\n## Case",
        "  - title: Listening to children\n    themes: [assessment]\n---\n\n## Case",
    )

    assert (
        f"baby-c.md:{line_of(text, 'themes: [assessment]') - 1}: learning[2].title: "
        "'Listening to children' is already the title of learning[1]; each learning point "
        "needs its own title"
    ) in problems(text)


def test_a_list_names_each_agency_once_and_keywords_have_no_commas():
    text = MINIMAL.replace(
        "nation: england", "nation: england\nagencies: [GP, GP]\nkeywords: ['bathing, baths']"
    )

    assert problems(text) == [
        f"baby-c.md:{line_of(text, 'agencies')}: agencies: 'GP' is listed twice",
        f"baby-c.md:{line_of(text, 'keywords')}: keywords: 'bathing, baths' contains a comma; "
        "make it two keywords",
    ]


def test_learning_titles_must_match_the_headings_in_the_same_order():
    swapped = FULL.replace("### Listening to children", "### TEMP")
    swapped = swapped.replace("### Domestic abuse", "### Listening to children")
    swapped = swapped.replace("### TEMP", "### Domestic abuse")

    assert problems(swapped) == [
        f"baby-c.md:{line_of(FULL, '  - title: Listening')}: learning: the titles "
        "['Listening to children', 'Domestic abuse'] are not in the same order as the '###' "
        "headings under '## Key learning' ['Domestic abuse', 'Listening to children']"
    ]


def test_a_learning_point_without_a_heading_and_a_heading_without_a_learning_point_are_named():
    text = FULL.replace("### Domestic abuse\n", "### Fathers\n")

    assert problems(text) == [
        f"baby-c.md:{line_of(text, 'title: Domestic abuse')}: learning[2].title: "
        "'Domestic abuse' has no '### Domestic abuse' heading under '## Key learning'",
        f"baby-c.md:{line_of(text, '### Fathers')}: ## Key learning: '### Fathers' is not the "
        "title of a learning point",
    ]


def test_a_heading_given_twice_is_refused():
    text = MINIMAL + "\n### Listening to children\n\nAgain.\n"

    assert problems(text) == [
        f"baby-c.md:{line_of(MINIMAL, '  - title:')}: learning: the titles "
        "['Listening to children'] differ from the '###' headings under '## Key learning' "
        "['Listening to children', 'Listening to children']"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("## Case summary\n", ""), "body: text before the first section; the body starts "
         "with '## Case summary'"),
        (("\n## Key learning\n", "\n## Case summary\n\nMore.\n\n## Key learning\n"),
         "body: section '## Case summary' again (first on line 16)"),
        (("## Key learning", "## Key Learning"), "body: unknown section '## Key Learning' "
         "(did you mean 'Key learning'?); the sections are '## Case summary', '## Analysis', "
         "'## Key learning', and '## Analysis' may be left out"),
        (("## Case summary\n\nBaby C died at the age of 11 months.\n\n", ""),
         "body: missing section '## Case summary'"),
        (("\n## Key learning\n", "\n## Key learning\n\n## Analysis\n\nLate.\n"),
         "body: section '## Analysis' is out of order; the sections are '## Case summary', "
         "'## Analysis', '## Key learning', in that order"),
        (("\n\n## Key learning\n", "\n\n## Key learning\n\nFirst.\n"), "## Key learning: text "
         "before the first learning point; each learning point starts with its '### <title>' "
         "heading"),
        (("Speak to the children who raised the concern.\n", ""), "## Key learning: learning "
         "point '### Listening to children' has no text"),
        (("Baby C died at the age of 11 months.\n", ""), "## Case summary: is empty"),
        (("\n## Key learning\n", "\n## Analysis\n\nIntro.\n\n### A finding\n\nText.\n\n"
          "## Key learning\n"), "## Analysis: text before the first '###' heading; when the "
         "analysis has '###' headings, each finding starts with one (a bare '###' for a "
         "finding without a heading)"),
    ],
)  # fmt: skip
def test_body_sections_must_be_the_three_in_order_with_their_text(change, expected):
    text = MINIMAL.replace(*change)
    assert text != MINIMAL

    found = problems(text)

    assert any(problem.split(": ", 1)[1] == expected for problem in found), found


def test_a_body_problem_names_the_body_line():
    text = MINIMAL.replace("## Key learning", "## Key learnings")

    (problem, *_) = problems(text)

    assert problem.startswith(f"baby-c.md:{line_of(text, '## Key learnings')}: body: ")


def test_a_missing_key_learning_section_is_reported_once_without_repeating_the_titles():
    text = MINIMAL.split("## Key learning")[0]

    assert problems(text) == ["baby-c.md: body: missing section '## Key learning'"]


# Writing -----------------------------------------------------------------------------------


def test_the_spec_example_is_written_back_byte_for_byte():
    # FULL is written in the canonical form: keys in spec order, one value per line.
    assert render_document(parse(FULL)) == FULL


def test_keys_are_written_in_the_spec_order_and_empty_optional_keys_are_left_out():
    text = render_document(parse(MINIMAL))

    keys = [line.split(":")[0] for line in text.split("---\n")[1].split("\n") if line[:1].isalpha()]
    assert keys == ["format", "title", "slug", "review_type", "board", "nation", "status",
                    "child", "learning"]  # fmt: skip
    assert "  sex: not-stated\n" in text


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.md")), ids=lambda path: path.name)
def test_the_demo_documents_read_back_as_themselves(path):
    themes = {
        line.split("|")[1].strip()
        for line in SPEC_THEMES.read_text().splitlines()
        if line.startswith("| ") and "---" not in line and not line.startswith("| slug")
    }
    doc = parse_document(path.read_bytes(), name=path.name, known_themes=themes)

    text = render_document(doc)

    assert parse_document(text.encode(), name=path.name, known_themes=themes) == doc
    assert render_document(parse_document(text.encode(), name="x", known_themes=themes)) == text


def test_values_yaml_would_misread_are_quoted_so_they_read_back_as_text():
    doc = parse(MINIMAL)
    doc.reviewer = "no"
    doc.child.age_at_incident = "2015"
    doc.methodology = "key: value # not a comment"
    doc.keywords = ["on", "[x]", "- dash", "'quoted'", "null", "~", "@at", "`tick`"]
    doc.incident_date = "2015"

    text = render_document(doc)

    assert "incident_date: 2015\n" in text
    assert parse(text) == doc


def test_multi_line_yaml_text_is_written_as_a_literal_block():
    doc = parse(MINIMAL)
    doc.chronology = [ChronologyEventDoc(when="At birth", event="Line one.\n\n- a list")]

    text = render_document(doc)

    assert "    event: |-\n      Line one.\n\n      - a list\n" in text
    assert parse(text) == doc


def test_findings_without_headings_are_written_as_paragraphs():
    doc = parse(FULL)

    text = render_document(doc)

    assert "## Analysis\n\nReferral rates were high.\n\nInformation was not shared" in text
    assert "###" not in text.split("## Analysis")[1].split("## Key learning")[0]


def test_findings_that_span_paragraphs_are_written_as_subsections_with_bare_headings():
    doc = parse(MINIMAL)
    doc.analysis = [
        FindingDoc(text="First paragraph.\n\nSecond paragraph of the same finding."),
        FindingDoc(text="Another finding."),
    ]

    text = render_document(doc)

    assert "## Analysis\n\n###\n\nFirst paragraph.\n\nSecond paragraph of the same finding." in text
    assert "\n\n###\n\nAnother finding.\n\n## Key learning" in text
    assert parse(text).analysis == doc.analysis


def test_a_mix_of_findings_with_and_without_headings_reads_back_the_same():
    doc = parse(MINIMAL)
    doc.analysis = [FindingDoc(heading="Caseloads", text="High."), FindingDoc(text="Shared.")]

    text = render_document(doc)

    assert "### Caseloads\n\nHigh.\n\n###\n\nShared.\n" in text
    assert parse(text).analysis == doc.analysis


def test_text_from_the_admin_is_trimmed_and_its_line_endings_normalised_once():
    doc = parse(MINIMAL)
    doc.title = " Baby C "
    doc.case_summary = "\r\n\r\nFirst line.  \r\nSecond line.\r\n\r\n"
    doc.learning[0].body = "Body.\r\n"
    doc.chronology = [ChronologyEventDoc(when="At birth\t", event="One.\r\nTwo.")]

    text = render_document(doc)

    assert "\r" not in text
    assert "## Case summary\n\nFirst line.  \nSecond line.\n\n## Key" in text
    assert render_document(parse(text)) == text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda doc: setattr(doc, "case_summary", "Before.\n## Analysis\nAfter."),
         "baby-c.md: case_summary, analysis: would not read back as written; a line starting "
         "with '## ' or '### ' in Markdown text is read as a heading"),
        (lambda doc: setattr(doc.learning[0], "body", "Text.\n### Another"),
         "'### Another' is not the title of a learning point"),
        (lambda doc: setattr(doc.learning[0], "body", ""), "has no text"),
        (lambda doc: setattr(doc, "title", "Baby\nC"), "title: must be a single line"),
        (lambda doc: setattr(doc, "review_type", "unknown"), "unknown review type 'unknown'"),
    ],
)  # fmt: skip
def test_a_document_that_would_not_read_back_as_itself_is_not_written(change, expected):
    doc = parse(MINIMAL)
    change(doc)

    with pytest.raises(DocumentError) as caught:
        render_document(doc)

    assert expected in str(caught.value)
    assert str(caught.value).startswith("baby-c.md")


# Round trip on generated documents ---------------------------------------------------------

AWKWARD = [
    "no", "yes", "on", "off", "null", "~", "true", "2015", "2015-06", "2016-05-01", "0x1F",
    "1e3", "key: value", "# not a comment", "a # b", "- dash", "[list]", "{map}", "*star",
    "&anchor", "!tag", "%percent", "@at", "`tick`", "'single'", '"double"', "tab\there",
    "Ünïcödé — “quotes”", "emoji 🙂", "trailing colon:", "back\\slash", "|pipe", ">fold",
    "?question", ",comma", "a, b", "...", "---", "line\u2028separator", "x" * 300,
]  # fmt: skip
MARKDOWN = [
    "Plain paragraph.",
    "**Bold** and _italic_ and `code`.",
    "- one\n- two\n  continued",
    "1. first\n2. second",
    "> quoted\n> more",
    "    indented code",
    "Line with hard break  \nnext line",
    "<script>alert(1)</script>",
    "#### A small heading\n\nText under it.",
    "# A level one heading",
    "Two paragraphs.\n\nThe second one.",
    "```\nfenced\n\ncode\n```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Text with trailing spaces   \nand more",
]


def generated_document(rng: random.Random, number: int) -> ReviewDocument:
    def words() -> str:
        return rng.choice(AWKWARD) if rng.random() < 0.5 else f"Words {rng.randint(0, 99)}"

    def names(most: int = 3) -> list[str]:
        return list(dict.fromkeys(words().replace(",", "") for _ in range(rng.randint(0, most))))

    def markdown(paragraphs: int = 3) -> str:
        return "\n\n".join(rng.choice(MARKDOWN) for _ in range(rng.randint(1, paragraphs)))

    def one_line_markdown() -> str:
        return rng.choice([m for m in MARKDOWN if "\n" not in m])

    def finding() -> FindingDoc:
        heading = rng.choice(["", "", words()])
        text = markdown(1) if rng.random() < 0.7 else markdown()
        return FindingDoc(heading=heading.replace("\u2028", ""), text=text)

    learning = [
        LearningPointDoc(
            title=f"Learning {index} {words()}".replace("\u2028", ""),
            themes=rng.sample(sorted(THEMES), rng.randint(1, 3)),
            agencies=names(),
            prompts=[rng.choice([words(), markdown(2)]) for _ in range(rng.randint(0, 3))],
            body=markdown(),
        )
        for index in range(1, rng.randint(1, 4) + 1)
    ]
    status = rng.choice(["draft", "published", "withdrawn"])
    return ReviewDocument(
        title=words().replace("\u2028", ""),
        slug=f"review-{number}",
        review_type=rng.choice(["serious-case-review", "rapid-review", "other"]),
        board=words(),
        nation=rng.choice(["england", "wales", "scotland", "northern-ireland"]),
        status=status,
        published_on=None if status == "draft" else datetime.date(2016, 5, rng.randint(1, 31)),
        reviewer=rng.choice(["", words()]),
        methodology=rng.choice(["", words()]),
        child=ChildDoc(
            pseudonym=words(),
            sex=rng.choice(["male", "female", "not-stated"]),
            age_at_incident=words(),
            age_months=rng.choice([None, 0, 11, 180]),
            outcome=rng.choice(["died", "serious-harm"]),
        ),
        review_period=rng.choice(["", words()]),
        incident_date=rng.choice(["", "2015", "2015-06", "2015-06-30"]),
        agencies=names(),
        keywords=names(),
        report_url=rng.choice(["", "https://example.org/report.pdf?a=1&b=2"]),
        content_warning=rng.choice(["", words(), one_line_markdown()]),
        chronology=[
            ChronologyEventDoc(
                when=words(),
                age_months=rng.choice([None, -2, 0, 7]),
                date=rng.choice(["", "2014", "2014-03", "2014-03-01"]),
                agencies=names(),
                event=rng.choice([words(), markdown(2)]),
                key=rng.random() < 0.3,
            )
            for _ in range(rng.randint(0, 4))
        ],
        recommendations=[
            RecommendationDoc(text=rng.choice([words(), markdown(2)]), agencies=names())
            for _ in range(rng.randint(0, 3))
        ],
        case_summary=markdown(5),
        analysis=[finding() for _ in range(rng.randint(0, 4))],
        learning=learning,
    )


@pytest.mark.parametrize("seed", range(40))
def test_generated_documents_read_back_as_themselves_and_write_the_same_text(seed):
    rng = random.Random(seed)
    for number in range(10):
        doc = generated_document(rng, number)

        text = render_document(doc)

        assert parse(text, name=doc.filename) == doc, text
        assert render_document(parse(text)) == text


def test_a_missing_key_of_a_flow_mapping_names_its_own_line():
    text = MINIMAL.replace(
        "child:\n  pseudonym: Baby C\n  age_at_incident: 11 months\n  outcome: died",
        "child: {pseudonym: Baby C, age_at_incident: 11 months}",
    )

    assert problems(text) == [
        f"baby-c.md:{line_of(text, 'child:')}: child: missing required key 'outcome'"
    ]


def test_the_example_in_the_docs_is_valid_and_already_in_canonical_form():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "review-documents.md").read_text()
    example = docs.split("```markdown\n", 1)[1].split("\n```\n", 1)[0] + "\n"

    doc = parse(example)

    assert [point.title for point in doc.learning] == [
        "Listening to children",
        "Domestic violence and abuse",
    ]
    assert render_document(doc) == example
