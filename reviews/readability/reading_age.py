"""Reading age of a text, computed offline: the Flesch-Kincaid grade and Flesch reading ease.

Both formulas count words, sentences and syllables:

- Flesch-Kincaid grade = 0.39 × words per sentence + 11.8 × syllables per word − 15.59, a US
  school grade; the UK reading age is the grade + 5 years (grade 7 reads at about 12).
- Flesch reading ease = 206.835 − 1.015 × words per sentence − 84.6 × syllables per word:
  0 to 100, higher is easier; 60 to 70 is plain English.

Words are counted by reviews/readability/words.py (the plain summary's limit uses the same
rule). English syllables come from textstat 0.7.8 (the CMU pronouncing dictionary, then
Pyphen's hyphenation patterns; both ship with the packages, so nothing is downloaded).
Welsh has neither, so `welsh_syllables` counts vowel groups, with Welsh diphthongs counted
once: an approximation, and the formulas were made for English, so a Welsh figure is a guide
to compare drafts, not a measured reading age (docs/plain-words.md).

Sentences end at ".", "!" or "?" followed by a space, at a blank line, and at each list
item or heading of the Markdown; common abbreviations ("e.g.", "Dr.") do not end one.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from reviews.readability.words import words

# A sentence longer than this is pointed out; the three longest are listed.
LONG_SENTENCE_WORDS = 25
LONGEST_LISTED = 3
# Texts over this are scored on their first part: the admin posts what editors type.
MAX_CHARACTERS = 20_000
LANGUAGES = ("en", "cy")

_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|#{1,6}\s+|>\s*)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`#>|]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_ABBREVIATION = re.compile(
    r"\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|St|No|approx|vs|cf|ee|h\.y|y\.b|sef|Ion|Chwef)\.$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LongSentence:
    text: str
    words: int


@dataclass(frozen=True)
class Readability:
    """The figures for one text. `grade`, `reading_age` and `ease` are None for a text too
    short to score (fewer than MIN_WORDS words)."""

    language: str
    words: int
    sentences: int
    syllables: int
    grade: float | None
    reading_age: int | None
    ease: float | None
    long_sentences: list[LongSentence] = field(default_factory=list)

    @property
    def approximate(self) -> bool:
        """Welsh figures use an approximate syllable count (see the module's docstring)."""
        return self.language == "cy"

    def as_dict(self) -> dict:
        return {
            "language": self.language,
            "words": self.words,
            "sentences": self.sentences,
            "syllables": self.syllables,
            "grade": self.grade,
            "reading_age": self.reading_age,
            "ease": self.ease,
            "approximate": self.approximate,
            "long_sentences": [{"text": s.text, "words": s.words} for s in self.long_sentences],
        }


MIN_WORDS = 3


def _blocks(markdown: str) -> list[str]:
    """Paragraphs, list items and headings as plain text, Markdown marks removed."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            current = None
            continue
        starts = _BLOCK_START.match(line)
        text = _MARKS.sub("", _LINK.sub(r"\1", line[starts.end() if starts else 0 :])).strip()
        if starts or current is None:
            current = []
            blocks.append(current)
        current.append(text)
        if line.lstrip().startswith("#"):
            current = None  # a heading is one line
    return [" ".join(part for part in block if part) for block in blocks if any(block)]


def sentences(markdown: str) -> list[str]:
    """The sentences of a Markdown text, as plain text."""
    found: list[str] = []
    for block in _blocks(markdown):
        pending = ""
        for piece in _SENTENCE_END.split(block):
            pending = f"{pending} {piece}".strip() if pending else piece.strip()
            if _ABBREVIATION.search(pending):
                continue
            if pending:
                found.append(pending)
            pending = ""
        if pending:
            found.append(pending)
    return [sentence for sentence in found if words(sentence)]


# Welsh vowels, with their circumflex, acute, grave and diaeresis forms.
_WELSH_VOWELS = set("aeiouwyâêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ")
_DIAERESIS = set("äëïöüẅÿ")
_PLAIN = str.maketrans("âêîôûŵŷáéíóúẃýàèìòùẁỳ", "aeiouwyaeiouwyaeiouwy")
# Two vowels sounded as one syllable (Welsh diphthongs).
_WELSH_DIPHTHONGS = {
    "ae", "ai", "au", "aw", "ei", "eu", "ew", "ey", "iw", "oe", "oi", "ou", "ow", "uw",
    "wy", "yw",
}  # fmt: skip


@lru_cache(maxsize=20_000)
def welsh_syllables(word: str) -> int:
    """Syllables of a Welsh word, approximately: each group of vowels (a e i o u w y, with
    accents) is one syllable, or more when its vowels do not form diphthongs; a vowel with a
    diaeresis (copïo) is a syllable of its own; "i" or "w" before a vowel at the start of a
    word (iaith, wedi) and "w" between "g" and a vowel (gwaith) are consonants. At least 1."""
    letters = word.lower()
    count = 0
    index = 0
    while index < len(letters):
        letter = letters[index]
        if letter not in _WELSH_VOWELS:
            index += 1
            continue
        next_is_vowel = index + 1 < len(letters) and letters[index + 1] in _WELSH_VOWELS
        consonantal = next_is_vowel and (
            (letter in "iw" and index == 0)
            or (letter == "w" and index > 0 and letters[index - 1] == "g")
        )
        if consonantal:
            index += 1
            continue
        count += 1
        pair = letters[index : index + 2].translate(_PLAIN)
        if (
            len(pair) == 2
            and pair in _WELSH_DIPHTHONGS
            and letter not in _DIAERESIS
            and letters[index + 1] not in _DIAERESIS
        ):
            index += 2
        else:
            index += 1
    return max(count, 1)


@lru_cache(maxsize=20_000)
def english_syllables(word: str) -> int:
    # textstat's default language is English; never call set_lang with a language Pyphen
    # lacks (Welsh): it would fail, not download. Imported here: loading the CMU dictionary
    # takes most of a second, paid by the first score, not by every process that starts.
    import textstat

    return max(int(textstat.syllable_count(word)), 1)


def syllables(word: str, *, language: str = "en") -> int:
    return welsh_syllables(word) if language == "cy" else english_syllables(word)


def readability(text: str, *, language: str = "en") -> Readability:
    """The reading-age figures of a Markdown text in `language` ("en" or "cy")."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    found = sentences((text or "")[:MAX_CHARACTERS])
    counted = [(sentence, words(sentence)) for sentence in found]
    all_words = [word for _, sentence_words in counted for word in sentence_words]
    total_syllables = sum(syllables(word, language=language) for word in all_words)
    long = sorted(
        (
            LongSentence(text=sentence, words=len(sentence_words))
            for sentence, sentence_words in counted
            if len(sentence_words) > LONG_SENTENCE_WORDS
        ),
        key=lambda sentence: -sentence.words,
    )[:LONGEST_LISTED]
    if len(all_words) < MIN_WORDS:
        grade = ease = reading_age = None
    else:
        per_sentence = len(all_words) / len(counted)
        per_word = total_syllables / len(all_words)
        grade = round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1)
        ease = round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)
        reading_age = max(5, round(grade + 5))
    return Readability(
        language=language,
        words=len(all_words),
        sentences=len(counted),
        syllables=total_syllables,
        grade=grade,
        reading_age=reading_age,
        ease=ease,
        long_sentences=long,
    )
