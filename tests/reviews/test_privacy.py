"""Anonymisation scanner: every kind both ways, exact offsets, hashing and the corpus.

Pure Python; no database and no Django settings are needed.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from reviews.privacy.scanner import (
    KINDS,
    Finding,
    ProtectedNames,
    hash_name,
    nhs_check_digit_ok,
    normalise_name,
    scan_text,
)
from tests.reviews.privacy_corpus import loader

KEY = b"test-key-0123456789abcdef0123456"


def spans(text: str, kind: str, **kwargs: object) -> list[str]:
    return [text[f.start : f.end] for f in scan_text(text, **kwargs) if f.kind == kind]


# --- postcodes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode", ["CV1 2AB", "cv1 2ab", "SW1A 1AA", "B15 2TT", "CV12AB", "M14  5RG", "EC1A 1BB"]
)
def test_a_postcode_is_found_in_any_case_or_spacing(postcode: str) -> None:
    assert spans(f"She lived near {postcode} then.", "postcode") == [postcode]


@pytest.mark.parametrize("text", ["He was in Y7 2nd set.", "level 3", "CV1", "aged 2 years"])
def test_postcode_lookalikes_are_not_flagged(text: str) -> None:
    assert spans(text, "postcode") == []


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "024 7683 1234",
        "07700 900123",
        "+44 7700 900456",
        "+44 (0)24 7683 1235",
        "(024) 7652 7000",
        "07700-900-789",
        "0044 7700 900111",
        "07700900222",
        "01632 960001",
    ],
)
def test_a_uk_phone_number_is_found_in_common_spacings(phone: str) -> None:
    assert spans(f"Call {phone} today.", "phone") == [phone]


def test_a_bracketed_phone_number_does_not_include_the_opening_bracket() -> None:
    assert spans("a neighbour (07911 123456) called", "phone") == ["07911 123456"]


@pytest.mark.parametrize(
    "text", ["Born 15.07.07 at home.", "He was 2 years old in 2012-2013.", "call 999 now"]
)
def test_dates_and_short_numbers_are_not_phone_numbers(text: str) -> None:
    assert spans(text, "phone") == []


# --- e-mail ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email", ["sarah.smith@example.co.uk", "KELLY_M@hotmail.co.uk", "dsl+refs@school.org.uk"]
)
def test_an_email_address_is_found(email: str) -> None:
    assert spans(f"Email {email}.", "email") == [email]


def test_an_at_sign_without_a_domain_is_not_an_email() -> None:
    assert spans("Meet @ 10am with the team @ school.", "email") == []


# --- NHS numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "943-476-5919"])
def test_an_nhs_number_with_a_valid_check_digit_is_found(number: str) -> None:
    assert spans(f"NHS number {number}.", "nhs-number") == [number]


@pytest.mark.parametrize("number", ["943 476 5918", "9434765910", "136 134 1252"])
def test_an_nhs_number_with_an_invalid_check_digit_is_not_flagged(number: str) -> None:
    assert spans(f"NHS number {number}.", "nhs-number") == []


def test_a_check_digit_of_ten_is_never_valid() -> None:
    # 10 * 1 + 9 * 0 ... leaves 11 - 1 = 10, which the NHS never issues.
    assert not nhs_check_digit_ok("1000000000")


def test_the_digits_of_a_phone_number_are_not_reported_as_an_nhs_number() -> None:
    text = "Mobile 0044 7700900123 (ten digits after the country code)."
    assert [f.kind for f in scan_text(text)] == ["phone"]


# --- National Insurance numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "ni", ["AB 12 34 56 C", "JG103759A", "CE 648210 D", "ab123456c", "HK-44-55-66-D"]
)
def test_a_national_insurance_number_is_found(ni: str) -> None:
    assert spans(f"NI {ni}.", "ni-number") == [ni]


@pytest.mark.parametrize(
    "ni",
    [
        "QQ 12 34 56 C",  # Q is never a first letter
        "DA 12 34 56 A",  # nor is D
        "AO 12 34 56 A",  # O is never a second letter
        "GB 12 34 56 A",
        "NK 12 34 56 A",
        "TN 12 34 56 A",
        "ZZ 12 34 56 A",
        "BG 12 34 56 A",
    ],
)
def test_a_national_insurance_number_with_a_disallowed_prefix_is_not_flagged(ni: str) -> None:
    assert spans(f"NI {ni}.", "ni-number") == []


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date",
    [
        "15/07/2007",
        "15 July 2007",
        "2007-07-15",
        "15th July 2007",
        "July 15, 2007",
        "15.07.07",
        "22nd of September 1990",
        "4 Jan 2011",
        "29/02/2012",
    ],
)
def test_a_full_calendar_date_is_found(date: str) -> None:
    assert spans(f"Born on {date} in hospital.", "date-of-birth") == [date]


@pytest.mark.parametrize(
    "text",
    [
        "In March 2012 the family moved.",
        "It happened in the spring of 2019.",
        "31/02/2007",
        "30 February 2010",
        "See section 4.2.1 of the procedures.",
        "You may 12 2007",
    ],
)
def test_month_and_year_or_impossible_dates_are_not_flagged(text: str) -> None:
    assert spans(text, "date-of-birth") == []


# --- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "12 Acacia Road",
        "Flat 3, 45 High Street",
        "221b Baker Street",
        "72 St John's Avenue",
        "115 London Rd",
        "13 The Crescent",
    ],
)
def test_a_house_number_and_street_is_an_address(address: str) -> None:
    assert spans(f"They lived at {address}, Coventry.", "address") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Baby C died at 11 months.",
        "The review covers 3 weeks.",
        "Her sibling was 2 years old.",
        "There were 2 Family Court hearings.",
        "In 2013 Crown Court proceedings began.",
        "The case was held at level 3 Children and Family First Team.",
        "a 10 minute walk",
    ],
)
def test_ages_durations_and_courts_are_not_addresses(text: str) -> None:
    assert spans(text, "address") == []


# --- personal names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Sarah Thompson",
        "Kacper Wiśniewski",
        "Mary-Jane O'Brien",
        "Emma Louise Harris",
        "Sarah J. Smith",
        "Mrs Patel",
        "Adebayo Okafor",
        "Will Roberts",
    ],
)
def test_a_first_name_and_capitalised_surname_is_a_person_name(name: str) -> None:
    assert spans(f"The visit by {name} was recorded.", "person-name") == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Baby C and Child D were seen by Mother and the Health Visitor.",
        "A referral went to Children's Services and the Common Assessment Framework.",
        "Coventry Safeguarding Children Board and the Children and Family First Team met.",
        "May was a difficult month. Will he attend? Grace said nothing.",
        "In June Children's Services closed the case.",
        "She was seen at the John Radcliffe Hospital and St Thomas' Hospital.",
        "Mr X and Ms Y attended the Early Help meeting.",
    ],
)
def test_pseudonyms_agencies_and_sentence_starts_are_not_person_names(text: str) -> None:
    assert spans(text, "person-name") == []


def test_the_reviews_own_pseudonyms_are_not_person_names() -> None:
    text = "Jasmine Hart was seen by Paul Jones."
    assert spans(text, "person-name", pseudonyms=["Jasmine Hart"]) == ["Paul Jones"]


# --- protected names -------------------------------------------------------------------------


def test_a_protected_name_is_found_case_insensitively() -> None:
    text = "Jordan was seen; JORDAN cried; jordan slept."
    assert spans(text, "protected-name", protected_names=["Jordan"]) == [
        "Jordan",
        "JORDAN",
        "jordan",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It was Jordan's cot.", "Jordan"),
        ("It was Jordan’s cot.", "Jordan"),
        ("It was the Jordans' car.", "Jordan"),
        ("It was James' cot.", "James"),
    ],
)
def test_a_protected_name_is_found_inside_a_possessive(text: str, expected: str) -> None:
    names = ["Jordan", "James"]
    assert spans(text, "protected-name", protected_names=names) == [expected]


def test_a_protected_phrase_is_found_across_words_with_exact_offsets() -> None:
    text = "Mother took her to Sunnyside  Primary School's gate."
    [finding] = [f for f in scan_text(text, protected_names=["Sunnyside Primary School"])]
    assert (finding.kind, finding.start, finding.end) == ("protected-name", 19, 44)
    assert text[finding.start : finding.end] == "Sunnyside  Primary School"


def test_part_of_a_protected_phrase_alone_is_not_flagged() -> None:
    assert spans("Kelly went home.", "protected-name", protected_names=["Kelly Smith"]) == []


def test_normalise_name_folds_case_accents_possessives_and_punctuation() -> None:
    assert normalise_name("  Zoë   O'Brien-Smith's ") == "zoe obrien smith"
    assert normalise_name("The Jordans'") == "jordan"


def test_hash_name_is_an_hmac_of_the_normalised_name() -> None:
    assert hash_name("JORDAN's", key=KEY) == hash_name("jordan", key=KEY)
    assert hash_name("jordan", key=KEY) != hash_name("jordan", key=b"another key")
    assert len(hash_name("jordan", key=KEY)) == 64


def test_protected_names_are_scanned_from_digests_alone() -> None:
    stored = {hash_name("Kelly Smith", key=KEY), hash_name("Jordan", key=KEY)}
    matcher = ProtectedNames.from_digests(stored, key=KEY, max_words=2)
    text = "Kelly Smith's son Jordan."
    found = [text[f.start : f.end] for f in scan_text(text, protected_names=matcher)]
    assert "Kelly Smith" in found and "Jordan" in found


def test_a_matcher_built_from_clear_names_keeps_no_clear_name() -> None:
    matcher = ProtectedNames.from_names(["Kelly Smith"], key=KEY)
    values = [getattr(matcher, slot) for slot in ProtectedNames.__slots__]
    assert not hasattr(matcher, "__dict__")
    assert all("kelly" not in repr(v).casefold() for v in values)
    assert "kelly" not in repr(matcher).casefold()
    assert matcher.digests == {hash_name("Kelly Smith", key=KEY)}


def test_a_matcher_from_the_wrong_key_finds_nothing() -> None:
    matcher = ProtectedNames.from_digests([hash_name("Jordan", key=KEY)], key=b"other")
    assert matcher.scan("Jordan was there.") == []


# --- findings --------------------------------------------------------------------------------


def test_findings_carry_exact_offsets_and_a_short_excerpt() -> None:
    text = "Address: 12 Acacia Road, CV1 2AB."
    findings = scan_text(text)
    assert [(f.kind, f.start, f.end) for f in findings] == [
        ("address", 9, 23),
        ("postcode", 25, 32),
    ]
    assert all(text[f.start : f.end] in f.excerpt for f in findings)


def test_findings_are_frozen_sorted_and_never_repeat_a_span_of_one_kind() -> None:
    text = "Jordan Smith, 07700 900123, Jordan Smith again, CV1 2AB."
    findings = scan_text(text, protected_names=["Jordan Smith", "Jordan"])
    assert findings == sorted(findings, key=lambda f: f.start)
    keys = [(f.kind, f.start, f.end) for f in findings]
    assert len(keys) == len(set(keys))
    with pytest.raises(dataclasses.FrozenInstanceError):
        findings[0].start = 3  # type: ignore[misc]
    assert isinstance(findings[0], Finding)


def test_an_empty_text_has_no_findings() -> None:
    assert scan_text("") == []


# --- corpus ----------------------------------------------------------------------------------


def test_the_baby_c_seed_summary_yields_no_findings() -> None:
    [baby_c] = [d for d in loader.load("clean") if "baby-c" in d.name]
    assert "Baby C" in baby_c.text
    assert scan_text(baby_c.text) == []


@pytest.mark.parametrize("doc", loader.load("clean"), ids=lambda d: d.name)
def test_clean_case_summaries_yield_no_findings(doc: loader.Document) -> None:
    assert [(f.kind, f.excerpt) for f in scan_text(doc.text)] == []


def test_the_labelled_corpus_plants_at_least_thirty_of_every_kind() -> None:
    counts = Counter(label.kind for doc in loader.load("labelled") for label in doc.labels)
    assert {kind: counts[kind] >= 30 for kind in KINDS} == dict.fromkeys(KINDS, True)


def test_the_labelled_corpus_is_found_with_at_least_95_percent_recall_per_kind() -> None:
    found: Counter[str] = Counter()
    planted: Counter[str] = Counter()
    for doc in loader.load("labelled"):
        findings = scan_text(doc.text, protected_names=doc.protected, pseudonyms=doc.pseudonyms)
        for label in doc.labels:
            planted[label.kind] += 1
            found[label.kind] += any(
                f.kind == label.kind and f.start < label.end and label.start < f.end
                for f in findings
            )
    recall = {kind: found[kind] / planted[kind] for kind in planted}
    assert {k: r for k, r in recall.items() if r < 0.95} == {}


def test_the_corpus_loader_strips_markers_and_keeps_exact_offsets() -> None:
    doc = loader.parse("%% protected: Jordan\nHi [[protected-name+person-name:Jordan]] x")
    assert doc.text == "Hi Jordan x"
    assert [(lb.kind, lb.start, lb.end) for lb in doc.labels] == [
        ("protected-name", 3, 9),
        ("person-name", 3, 9),
    ]
    assert doc.protected == ("Jordan",)
