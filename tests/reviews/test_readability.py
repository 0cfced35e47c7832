"""Counting words (the plain summary's limit) and reading age, English and Welsh, offline."""

import socket

import pytest
from django.core.exceptions import ValidationError

from reviews.readability.reading_age import (
    readability,
    sentences,
    welsh_syllables,
)
from reviews.readability.words import (
    PLAIN_SUMMARY_MAX_WORDS,
    validate_plain_summary,
    word_count,
    words,
)

# No database is read, but the suite's session fixture (tests/conftest.py) needs one set up
# when this module runs on its own.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   ", 0),
        ("A baby died.", 3),
        ("long-term well-being", 2),  # a hyphen joins
        ("don't won’t", 2),  # so do apostrophes, straight or curly
        ("Section 47 enquiry", 3),  # a number is a word
        ("£1,200 and 1.5 hours", 4),  # separators inside a number keep it one word
        ("A&E", 1),
        ("— ## * - -- ...", 0),  # punctuation and Markdown marks are not words
        ("**bold** _and_ plain", 3),  # Markdown emphasis marks are not words
        ("plentyn ŵyr a’r teulu", 4),  # Welsh letters and apostrophes
        ("one,two", 2),  # a comma between letters separates
    ],
)
def test_words_are_counted_the_way_a_reader_would(text, expected):
    assert word_count(text) == expected, words(text)


def test_sixty_words_pass_and_sixty_one_are_refused_with_the_count():
    validate_plain_summary(" ".join(["word"] * PLAIN_SUMMARY_MAX_WORDS))
    validate_plain_summary("")

    with pytest.raises(ValidationError) as error:
        validate_plain_summary(" ".join(["word"] * (PLAIN_SUMMARY_MAX_WORDS + 1)))

    assert error.value.messages == ["The plain summary has 61 words; keep it to 60 or fewer."]


def test_hyphenated_words_count_once_towards_the_limit():
    sixty = " ".join(["long-term"] * 60)

    validate_plain_summary(sixty)  # 60 words, though 120 parts


def test_reading_age_of_a_known_text_is_the_flesch_kincaid_grade_plus_five():
    # 9 words, 2 sentences, 9 syllables (every word one syllable).
    result = readability("The cat sat on the mat. The dog ran.")

    assert (result.words, result.sentences, result.syllables) == (9, 2, 9)
    # 0.39 * 4.5 + 11.8 * 1 - 15.59 = -2.0; the reading age never goes below 5.
    assert result.grade == -2.0
    assert result.reading_age == 5
    # 206.835 - 1.015 * 4.5 - 84.6 * 1 = 117.7
    assert result.ease == 117.7


def test_a_harder_text_scores_older_and_less_easy():
    easy = readability("We saw the baby. The baby was well. Mum was tired.")
    hard = readability(
        "Professional curiosity necessitates interrogating the information communicated "
        "by families, particularly regarding unexplained injuries to immobile infants."
    )

    assert hard.reading_age > easy.reading_age
    assert hard.ease < easy.ease


def test_the_three_longest_sentences_over_25_words_are_pointed_out_longest_first():
    def sentence(length: int) -> str:
        return " ".join(["word"] * (length - 1)) + " end."

    text = " ".join(sentence(n) for n in (26, 10, 40, 30, 28, 25))

    result = readability(text)

    assert [s.words for s in result.long_sentences] == [40, 30, 28]


def test_sentences_end_at_list_items_headings_and_blank_lines_not_at_abbreviations():
    text = "# Heading\nSee the GP, e.g. on Monday. Then go.\n\n- one item\n- another item"

    assert sentences(text) == [
        "Heading",
        "See the GP, e.g. on Monday.",
        "Then go.",
        "one item",
        "another item",
    ]


def test_a_text_too_short_to_score_has_no_reading_age():
    result = readability("Hello there.")

    assert result.reading_age is None and result.grade is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("plentyn", 2),
        ("teulu", 2),  # "eu" is a diphthong: one syllable
        ("gwaith", 1),  # "w" after "g" before a vowel is a consonant; "ai" is one
        ("iaith", 1),  # "i" before a vowel at the start of a word is a consonant
        ("wedi", 2),
        ("diolch", 2),  # "io" is not a diphthong
        ("copïo", 3),  # the diaeresis makes a syllable of its own
        ("cyhoeddus", 3),
        ("newydd", 2),
        ("gwasanaeth", 3),
        ("ŵyr", 1),  # accents are vowels too
        ("yn", 1),
        ("BBC", 1),  # never less than one
    ],
)
def test_welsh_syllables_count_vowel_groups_with_diphthongs_once(word, expected):
    assert welsh_syllables(word) == expected


def test_welsh_uses_its_own_syllables_with_the_same_formula():
    text = "Bu farw'r plentyn yn y bath. Roedd y teulu yn cael help gan y gwasanaeth."

    welsh = readability(text, language="cy")
    as_english = readability(text, language="en")

    assert welsh.approximate and not as_english.approximate
    assert welsh.syllables == sum(welsh_syllables(word) for word in words(text))
    per_sentence = welsh.words / welsh.sentences
    per_word = welsh.syllables / welsh.words
    assert welsh.grade == round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        readability("Bonjour tout le monde.", language="fr")


def test_scoring_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("reading age tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)

    result = readability("The health visitor saw the family twice in one week.")

    assert result.reading_age is not None
    assert readability("Gwelodd yr ymwelydd iechyd y teulu.", language="cy").words == 6
