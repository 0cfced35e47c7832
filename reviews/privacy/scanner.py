"""Anonymisation scanner for case review text.

Finds things in free text that could identify a child or family: postcodes, phone numbers,
e-mail addresses, NHS and National Insurance numbers, full dates, street addresses, likely
personal names and the review's own protected names.

The module is pure Python (no Django import) so it can run in admin forms, management commands
and the benchmark alike. Everything expensive is compiled at import or loaded once, lazily.

Protected names are matched through keyed hashes only: a review stores HMAC digests of its
protected names, never the names, and :class:`ProtectedNames` hashes candidate word n-grams of
the text and compares digests.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import importlib
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import phonenumbers

__all__ = [
    "KINDS",
    "Finding",
    "ProtectedNames",
    "hash_name",
    "normalise_name",
    "scan_text",
]

POSTCODE = "postcode"
PHONE = "phone"
EMAIL = "email"
NHS_NUMBER = "nhs-number"
NI_NUMBER = "ni-number"
DATE_OF_BIRTH = "date-of-birth"
ADDRESS = "address"
PERSON_NAME = "person-name"
PROTECTED_NAME = "protected-name"

KINDS: tuple[str, ...] = (
    POSTCODE,
    PHONE,
    EMAIL,
    NHS_NUMBER,
    NI_NUMBER,
    DATE_OF_BIRTH,
    ADDRESS,
    PERSON_NAME,
    PROTECTED_NAME,
)

EXCERPT_CONTEXT = 30


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


@dataclass(frozen=True, slots=True)
class Finding:
    """One suspected identifier: ``text[start:end]`` is the identifier itself."""

    kind: str
    start: int
    end: int
    excerpt: str


def _excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - EXCERPT_CONTEXT)
    right = min(len(text), end + EXCERPT_CONTEXT)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def _finding(text: str, kind: str, start: int, end: int) -> Finding:
    return Finding(kind=kind, start=start, end=end, excerpt=_excerpt(text, start, end))


# --------------------------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------------------------

# Deliberately looser than the Royal Mail letter rules: people plant and mistype postcodes with
# "impossible" letters, and the shape alone (letters, digit, digit, two letters) almost never
# occurs in prose. Ordinals ("Y7 2nd") are the one shape that does, so they are excluded.
_POSTCODE_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR[ \t]{0,3}0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[ \t]{0,3}[0-9][A-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})


def _find_postcodes(text: str) -> Iterator[tuple[int, int]]:
    for m in _POSTCODE_RE.finditer(text):
        inward = m.group()[-2:]
        if inward.lower() in _ORDINAL_SUFFIXES and not inward.isupper():
            continue
        yield m.start(), m.end()


# --------------------------------------------------------------------------------------------
# E-mail addresses
# --------------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]*"
    r"(?:@|[ \t]?[\[(][ \t]?at[ \t]?[\])][ \t]?)"
    r"[A-Za-z0-9-]+(?:(?:\.|[ \t]?[\[(][ \t]?dot[ \t]?[\])][ \t]?)[A-Za-z0-9-]+)*"
    r"(?:\.|[ \t]?[\[(][ \t]?dot[ \t]?[\])][ \t]?)[A-Za-z]{2,}(?![\w-])",
    re.IGNORECASE,
)


def _find_emails(text: str) -> Iterator[tuple[int, int]]:
    for m in _EMAIL_RE.finditer(text):
        yield m.start(), m.end()


# --------------------------------------------------------------------------------------------
# NHS numbers
# --------------------------------------------------------------------------------------------

_NHS_RE = re.compile(r"(?<![\d+])(\d{3})([ \-]?)(\d{3})\2(\d{4})(?![\d])")


def nhs_check_digit_ok(digits: str) -> bool:
    """Modulus 11 check used by NHS numbers; a remainder giving 10 means "never issued"."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _find_nhs_numbers(text: str) -> Iterator[tuple[int, int]]:
    for m in _NHS_RE.finditer(text):
        if nhs_check_digit_ok(m.group(1) + m.group(3) + m.group(4)):
            yield m.start(), m.end()


# --------------------------------------------------------------------------------------------
# National Insurance numbers
# --------------------------------------------------------------------------------------------

# First letter: not D F I Q U V. Second letter: not D F I O Q U V. Suffix A-D, often omitted.
_NI_RE = re.compile(
    r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ \-]?(\d{2})[ \-]?(\d{2})[ \-]?(\d{2})"
    r"(?:[ \-]?([A-D]))?(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_NI_BAD_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})


def _find_ni_numbers(text: str) -> Iterator[tuple[int, int]]:
    for m in _NI_RE.finditer(text):
        prefix = m.group(1)
        if prefix.upper() in _NI_BAD_PREFIXES:
            continue
        # Lower-case letters next to digits are usually prose ("at 123456"); accept them only
        # with the suffix letter, which nobody writes by accident.
        if not prefix.isupper() and m.group(5) is None:
            continue
        yield m.start(), m.end()


# --------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------

# Only text near something phone-shaped is handed to phonenumbers, which is far slower than a
# regex; the window is generous so the library still sees the whole number and its neighbours.
_PHONE_HINT_RE = re.compile(r"(?:\+|\b0|\(0|\b44)[\d \-().]{8,}")
_PHONE_WINDOW = 40


def _phone_windows(text: str) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for m in _PHONE_HINT_RE.finditer(text):
        if sum(c.isdigit() for c in m.group()) < 9:
            continue
        start = max(0, m.start() - _PHONE_WINDOW)
        end = min(len(text), m.end() + _PHONE_WINDOW)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _plausible_phone(match: phonenumbers.PhoneNumberMatch) -> bool:
    raw = match.raw_string.strip()
    number = match.number
    nsn = phonenumbers.national_significant_number(number)
    if number.country_code == 44:
        # POSSIBLE leniency is needed for Ofcom's drama ranges (07700 900xxx, 01632 960xxx),
        # which are not "valid"; the prefix test then keeps dates and bare digit runs out.
        return raw.startswith(("+", "0", "(0", "(+", "44")) and len(nsn) in (9, 10)
    return raw.startswith(("+", "00", "(+")) and phonenumbers.is_possible_number(number)


def _find_phones(text: str) -> Iterator[tuple[int, int]]:
    for w_start, w_end in _phone_windows(text):
        window = text[w_start:w_end]
        matcher = phonenumbers.PhoneNumberMatcher(
            window, "GB", leniency=phonenumbers.Leniency.POSSIBLE
        )
        for match in matcher:
            if _plausible_phone(match):
                start, end = w_start + match.start, w_start + match.end
                raw = match.raw_string
                if raw.startswith("(") and raw.count("(") > raw.count(")"):
                    start += 1  # the matcher keeps the bracket of "(07911 123456)"
                yield start, end


# --------------------------------------------------------------------------------------------
# Full dates
# --------------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_WORDS = frozenset(name.capitalize() for name in _MONTHS)
_MONTH_LOOKUP = {**_MONTHS, **{name[:3]: num for name, num in _MONTHS.items()}, "sept": 9}
_MONTH_ALT = "|".join(sorted(_MONTH_LOOKUP, key=len, reverse=True))
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2}|['’]\d{2})"
_MONTH = rf"(?P<month>{_MONTH_ALT})\.?"

_DATE_DMY_TEXT_RE = re.compile(
    rf"(?<![\w]){_DAY}(?:[ \t]+of)?[ \t\-]+{_MONTH},?[ \t\-]+{_YEAR}(?![\w])", re.IGNORECASE
)
_DATE_MDY_TEXT_RE = re.compile(
    rf"(?<![\w]){_MONTH}[ \t]+{_DAY},?[ \t]+{_YEAR}(?![\w])", re.IGNORECASE
)
_DATE_DMY_NUM_RE = re.compile(
    r"(?<![\d/.\-])(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    r"(?!\d|[/.\-]\d)"
)
_DATE_YMD_NUM_RE = re.compile(
    r"(?<![\d/.\-])(?P<year>(?:1[89]|20)\d{2})(?P<sep>[/.\-])(?P<month>\d{1,2})(?P=sep)"
    r"(?P<day>\d{1,2})(?!\d|[/.\-]\d)"
)
# Numbered references look like dotted dates ("section 4.12.10"); the word before tells them
# apart.
_REFERENCE_WORD_RE = re.compile(
    r"(?:section|sections|s|para|paragraph|paragraphs|page|pages|pp|p|figure|fig|table|"
    r"chapter|appendix|recommendation|version|v|step|item|clause|regulation|rule|standard|"
    r"point|finding|no|number)\.?[ \t]*$",
    re.IGNORECASE,
)


def _year_value(raw: str) -> int:
    digits = raw.lstrip("'’")
    if len(digits) == 4:
        return int(digits)
    # Two-digit years in case files are overwhelmingly this century or the last one.
    value = int(digits)
    return 2000 + value if value < 40 else 1900 + value


def _is_real_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _find_dates(text: str) -> Iterator[tuple[int, int]]:
    for regex in (_DATE_DMY_TEXT_RE, _DATE_MDY_TEXT_RE):
        for m in regex.finditer(text):
            month_word = m.group("month")
            if month_word == "may" or month_word == "mar":
                # Modal "may" and lower-case abbreviations are prose, not months.
                continue
            month = _MONTH_LOOKUP[month_word.lower()]
            if _is_real_date(_year_value(m.group("year")), month, int(m.group("day"))):
                yield m.start(), m.end()
    for m in _DATE_YMD_NUM_RE.finditer(text):
        if _is_real_date(int(m.group("year")), int(m.group("month")), int(m.group("day"))):
            yield m.start(), m.end()
    for m in _DATE_DMY_NUM_RE.finditer(text):
        if _REFERENCE_WORD_RE.search(text, max(0, m.start() - 20), m.start()):
            continue
        if m.group("sep") == "." and len(m.group("year")) == 2 and len(m.group("b")) == 1:
            continue  # "3.2.14" is a heading number far more often than a date
        year = _year_value(m.group("year"))
        a, b = int(m.group("a")), int(m.group("b"))
        # UK order first; fall back to US order only when the UK reading is impossible.
        if _is_real_date(year, b, a) or (b > 12 and _is_real_date(year, a, b)):
            yield m.start(), m.end()


# --------------------------------------------------------------------------------------------
# Street addresses
# --------------------------------------------------------------------------------------------

_STREET_SUFFIXES = (
    "Road|Rd|Street|St|Avenue|Ave|Av|Close|Cl|Lane|Ln|Drive|Dr|Way|Crescent|Cres|Grove|Gr|"
    "Gardens|Gdns|Garden|Court|Ct|Place|Pl|Terrace|Terr|Tce|Walk|Hill|Row|Square|Sq|Mews|Rise|"
    "View|Park|Green|Parade|Pde|Boulevard|Circus|Croft|Dale|Fields|Field|Gate|Grange|Heights|"
    "Lawn|Lawns|Lea|Mead|Meadow|Meadows|Orchard|Path|Ridge|Vale|Villas|Wharf|Wynd|Yard|Chase|"
    "Brow|Bank|Approach|Embankment|Esplanade|End|Hollow|Reach|Side|Passage|Quay|Broadway|"
    "Causeway|Circle|Copse|Dell|Glade|Glen|Wood|Woods|Bridge|Cottages|Buildings|Precinct"
)
_ABBREVIATED_SUFFIXES = _wordset("Rd St Ave Av Cl Ln Dr Cres Gr Gdns Ct Pl Terr Tce Sq Pde")
_BUILDING_SUFFIXES = "Court|House|Lodge|Tower|Heights|Mansions|Buildings|Point|Block|Apartments"
_UNIT = r"(?:Flat|Apartment|Apt\.?|Unit|Maisonette|Room)[ \t]+\d{1,4}[A-Za-z]?"
_NAME_WORD = r"(?:[A-Z][a-z][A-Za-z'’\-]*|St\.?|[A-Z]'[A-Z][a-z]+)"
_ADDRESS_RE = re.compile(
    rf"(?:(?P<unit>{_UNIT}),?[ \t]+(?:{_NAME_WORD}[ \t]+)*?(?:{_BUILDING_SUFFIXES}),?[ \t]+"
    rf"|(?P<unit2>{_UNIT}),?[ \t]+)?"
    r"(?<![\w£$.,/\-])(?P<number>\d{1,4}[A-Za-z]?(?:[ \t]?[\-–][ \t]?\d{1,4}[A-Za-z]?)?),?[ \t]+"
    rf"(?P<name>(?:{_NAME_WORD}[ \t]+){{1,4}}?)(?P<suffix>{_STREET_SUFFIXES})\.?(?![\w])"
    rf"|(?P<unit3>{_UNIT}),?[ \t]+(?:{_NAME_WORD}[ \t]+){{1,3}}?(?:{_BUILDING_SUFFIXES})(?![\w])"
)
# Numbers after these words are references or quantities, not house numbers.
_NON_HOUSE_NUMBER_RE = re.compile(
    r"(?<![\w'’])(?:section|s|level|tier|page|para|paragraph|stage|step|chapter|article|"
    r"regulation|rule|schedule|part|appendix|recommendation|finding|figure|table|year|aged|age|"
    r"version|phase|week|day|month|key stage|ks)\.?[ \t]*$",
    re.IGNORECASE,
)
# Institutions that end in a street suffix ("2 Family Court hearings").
_INSTITUTION_WORDS = _wordset(
    """
    Family Crown County High Magistrates Magistrates' Youth Supreme Appeal Coroner's Coroners
    Juvenile Business Retail Industrial Science Theme Car Country National Minute Mile
    """
)


def _find_addresses(text: str) -> Iterator[tuple[int, int]]:
    for m in _ADDRESS_RE.finditer(text):
        if m.group("unit3"):
            yield m.start(), m.end()
            continue
        has_unit = bool(m.group("unit") or m.group("unit2"))
        number = m.group("number")
        if not has_unit:
            if number.isdigit() and 1900 <= int(number) <= 2099:
                continue  # a year followed by a title-case phrase
            if _NON_HOUSE_NUMBER_RE.search(text, max(0, m.start() - 20), m.start()):
                continue
        name_words = m.group("name").split()
        if m.group("suffix") in {"Court", "Ct", "Park", "Walk"} and any(
            w in _INSTITUTION_WORDS for w in name_words
        ):
            continue
        if m.group("suffix") in {"St", "Dr"} and len(name_words) == 1 and name_words[0] == "St":
            continue
        end = m.end()
        if text[end - 1] == "." and m.group("suffix") not in _ABBREVIATED_SUFFIXES:
            end -= 1  # a full stop after "Road" ends the sentence
        yield m.start(), end


# --------------------------------------------------------------------------------------------
# Likely personal names
# --------------------------------------------------------------------------------------------

# Faker ships first names from ONS (en_GB) and census sources for other locales; these are the
# communities most often named in English safeguarding reviews.
_NAME_LOCALES = (
    "en",
    "en_GB",
    "en_US",
    "en_IE",
    "en_NZ",
    "en_IN",
    "en_PK",
    "en_NG",
    "yo_NG",
    "ig_NG",
    "ha_NG",
    "tw_GH",
    "sw",
    "ga_IE",
    "pl_PL",
    "ro_RO",
    "lt_LT",
    "pt_PT",
    "pt_BR",
    "tr_TR",
    "es_ES",
    "es_MX",
    "it_IT",
    "fr_FR",
    "de_DE",
    "nl_NL",
    "cs_CZ",
    "sk_SK",
    "hu_HU",
    "lv_LV",
    "hr_HR",
    "sl_SI",
    "az_AZ",
    "id_ID",
    "vi_VN",
)
_NAME_ATTRS = ("first_names", "first_names_male", "first_names_female")
_SURNAME_ATTRS = ("last_names", "unisex_last_names", "male_last_names", "last_names_male")

# Words that appear in first-name lists but, in a case review, are never someone's first name.
_NEVER_FIRST_NAMES = (
    _wordset(
        """
    St Saint Baby Unknown Child Infant Mother Father Doctor Nurse Lawyer Author Sister Brother
    Son Friend
    Mister Miss Lady Lord Sir General Major Case Early Young Little Long Page Job Add Else Ever
    Less Reason Media Sing True Carry North South East West Royal Junior Senior Prince Princess
    Queen King Noble Golden Christmas Easter Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday Police Social Health Family Care Home School Court Team Key Common Learning Summary
    Review Panel Board Council Service Services Unit Centre Hospital Trust Office Domestic
    Children Adult Safeguarding Serious Rapid Multi Named Designated Local National Independent
    Help Support Emergency Accident Mental Primary Secondary Virtual Sure Start Working Together
    Initial Further Following During After Before Prior Shortly Analysis Background Introduction
    Conclusion Recommendations Findings Chronology
    """
    )
    | _MONTH_WORDS
)

# Ordinary English words that are also first names ("Will", "Grace", "Hope"): only flagged
# when a known surname follows, because sentence starts and headings produce them constantly.
_WORD_NAMES = _wordset(
    """
    Will Grace Hope Faith Joy Rose Mark Bill Art Summer Autumn Winter Dawn Sunny Sky Chase Guy
    Ray Drew Frank Gay Justice Love Merry Ivy Amber Crystal Harmony Honey Holly Daisy Violet
    Ruby Jade Pearl Hunter Price Rich Rock Star Spring Green Red Chance Carol Christian Don Bob
    Pat Sandy Rusty Patience Precious Blessing Destiny Miracle Unity Liberty Victory Lee Jack
    Jean Max Rob Sue Penny Ben Dean Bishop Marshall Mason Carter Parker Cooper Taylor Page
    Sterling Lincoln Jordan Jersey London Paris Chelsea Kent Devon Florence Victoria Georgia
    Austin Tyne Can Deniz Umut Ali
    """
)

# Capitalised words that follow a first name in organisation names, headings and pseudonyms.
_NOT_SURNAMES = (
    _wordset(
        """
    Hospice Lodge Cottage Cottages Villa Albion United Rovers Wanderers Advisory Centre's Fc
    Baby Child Children Children's Mother Father Sibling Siblings Parent Parents Family Families
    Health Visitor Visitors Services Service Board Team Trust Council Hospital Infirmary School
    Schools Academy College University Court Police Centre Center Unit Practice Partnership
    Authority Framework Plan Conference Review Reviews Group Panel Committee Agency Department
    Office Clinic Surgery Care Foundation Society Association Charity Project Programme Network
    House Home Homes Hub Ward Road Street Avenue Close Drive Way Crescent Gardens Place Terrace
    Square Mews Rise View Parade Grove Row Walk Aid Support Act Acts Safeguarding Protection
    Learning Summary Case Cases Nurse Midwife Doctor Officer Worker Workers Manager Lead Leads
    Practitioner Practitioners Professional Professionals Inquiry Report Award Scheme Fund Day
    Week Month Year Primary Infant Infants Junior Nursery Church Mosque Temple Chapel Cathedral
    Memorial Bank Station Airport Library Museum Stadium Football Club Housing Estate Estates
    Ltd Limited Plc Company Institute Medical Healthcare Dental Pharmacy Community Council's
    Mental Sexual Domestic Abuse Violence Neglect Exploitation Assessment Strategy Meeting
    Meetings Pathway Policy Procedure Procedures Guidance Standard Standards Street's Road's Mr
    Mrs Ms Miss Dr Mx The And Of In On At To For With By From Was Were Had Has Is Are But Or A
    An I He She They It This That These Those His Her Their Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday Christmas Easter English British Scottish Welsh Irish Polish Romanian
    Nigerian Somali Pakistani Indian Bangladeshi Muslim Christian Catholic Hindu Sikh Jewish
    Nightingale
    """
    )
    | _MONTH_WORDS
)

# Names of public inquiries and national reviews that learning summaries cite by design.
_PUBLIC_CASE_NAMES = frozenset(
    {
        "victoria climbie",
        "peter connelly",
        "daniel pelka",
        "arthur labinjo-hughes",
        "star hobson",
        "khyra ishaq",
        "hamzah khan",
        "jasmine beckford",
        "maria colwell",
        "kimberley carlile",
        "tyra henry",
        "ainlee walker",
        "keanu williams",
        "eileen munro",
    }
)

# Honorifics and ranks: "Sgt Brown" names a real officer as surely as "Mrs Patel" does.
_TITLES = _wordset("Mr Mrs Ms Miss Mx Dr Prof Professor Sgt Insp Cllr Rev Revd PC DC DS DI")
# Only capitalised words can be part of a name, and matching only them keeps the token list short;
# any lower-case word between two tokens then shows up in the gap and breaks adjacency.
_CAP_TOKEN_RE = re.compile(
    r"(?<![^\W_])[A-ZÀ-ÖØ-Þ\u0100-\u017f][^\W\d_]*(?:['’\-][^\W\d_]+)*(?:['’](?![^\W\d_]))?"
)
_INITIAL_RE = re.compile(r"[A-Z]\.?$")
_HOUSE_NUMBER_BEFORE_RE = re.compile(r"\d[A-Za-z]?,?[ \t]+$")
_SAINT_BEFORE_RE = re.compile(r"(?:St|St\.|Saint)[ \t]+$")


@dataclass(frozen=True, slots=True)
class _NameData:
    first_names: frozenset[str]
    # First names that are also everyday words ("Will", "An"): need a known surname after them.
    word_names: frozenset[str]
    surnames: frozenset[str]
    common_words: frozenset[str]


def _latin(name: str) -> bool:
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


@functools.cache
def _name_data() -> _NameData:
    """Load the first-name and surname lists from Faker once, on first use."""
    first: set[str] = set()
    surnames: set[str] = set()
    for locale in _NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in _NAME_ATTRS:
            first.update(getattr(provider, attr, ()))
        for attr in _SURNAME_ATTRS:
            surnames.update(getattr(provider, attr, ()))
    lorem = importlib.import_module("faker.providers.lorem.en_US").Provider
    common = frozenset(w.lower() for w in lorem.word_list)
    first_names = _with_ascii_forms(
        n for n in first if n and _latin(n) and " " not in n and n not in _NEVER_FIRST_NAMES
    )
    return _NameData(
        first_names=first_names,
        word_names=frozenset(n for n in first_names if n.lower() in common) | _WORD_NAMES,
        surnames=_with_ascii_forms(s for s in surnames if s and _latin(s) and " " not in s),
        common_words=common,
    )


def _ascii_form(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _with_ascii_forms(words: Iterable[str]) -> frozenset[str]:
    # Case files often drop diacritics ("Ionut" for "Ionuț"), so both spellings are known.
    out: set[str] = set()
    for word in words:
        out.add(word)
        out.add(_ascii_form(word))
    return frozenset(out)


class _Token(NamedTuple):
    start: int
    end: int  # end of the word without any possessive ending
    word: str  # the word without any possessive ending


def _strip_possessive(word: str) -> str:
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word.endswith(("'", "’")):
        return word[:-1]
    return word


def _word_tokens(text: str) -> list[_Token]:
    tokens = []
    for m in _CAP_TOKEN_RE.finditer(text):
        word = _strip_possessive(m.group())
        if word[0].isupper():
            tokens.append(_Token(m.start(), m.start() + len(word), word))
    return tokens


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    gap = text[left.end : right.start]
    if not 0 < len(gap) <= 3 or gap.strip(" \t.") != "" or gap.count(".") > 1:
        return False
    # A full stop only joins an initial or a title ("J. Smith", "Mr. Smith"), not sentences.
    return "." not in gap or len(left.word) == 1 or left.word in _TITLES


def _is_capitalised(word: str) -> bool:
    return len(word) >= 2 and word[0].isupper() and not word.isupper() and word[1:] != ""


def _is_first_name(word: str, data: _NameData) -> bool:
    if not _is_capitalised(word):
        return False
    if word in data.first_names:
        return True
    # Double-barrelled first names ("Mary-Jane") are rarely listed whole.
    parts = word.split("-")
    return len(parts) > 1 and all(p in data.first_names for p in parts)


def _surname_ok(word: str, data: _NameData, *, strict: bool) -> bool:
    if not _is_capitalised(word) or word in _NOT_SURNAMES:
        return False
    if word in data.surnames:
        return True
    if strict:
        return False
    parts = word.replace("’", "'").split("-")
    return all(p.lower() not in data.common_words for p in parts) and word not in _TITLES


def _find_person_names(text: str, pseudonyms: frozenset[str]) -> Iterator[tuple[int, int]]:
    data = _name_data()
    tokens = _word_tokens(text)
    i = 0
    while i < len(tokens):
        span = _name_at(text, tokens, i, data)
        if span is None:
            i += 1
            continue
        start, end, last = span
        candidate = normalise_name(text[start:end])
        bare = normalise_name(
            " ".join(t.word for t in tokens[i : last + 1] if t.word not in _TITLES)
        )
        public = _fold(text[start:end]).replace("-", " ") in _PUBLIC_CASE_NAMES_FOLDED
        if candidate not in pseudonyms and bare not in pseudonyms and not public:
            yield start, end
        i = last + 1


def _name_at(
    text: str, tokens: list[_Token], i: int, data: _NameData
) -> tuple[int, int, int] | None:
    """Return (start, end, index of last token) of a name starting at token ``i``."""
    tok = tokens[i]
    title = tok.word in _TITLES
    first_index = i + 1 if title else i
    if title and (first_index >= len(tokens) or not _adjacent(text, tok, tokens[first_index])):
        return None
    first = tokens[first_index] if first_index < len(tokens) else None
    if first is None:
        return None

    if _is_first_name(first.word, data):
        if not title and (
            _HOUSE_NUMBER_BEFORE_RE.search(text, max(0, first.start - 8), first.start)
            or _SAINT_BEFORE_RE.search(text, max(0, first.start - 7), first.start)
        ):
            return None
        last = _surname_index(text, tokens, first_index, data, weak=first.word in data.word_names)
        if last is None:
            if title and _surname_ok(first.word, data, strict=False):
                return tok.start, first.end, first_index  # "Mrs Grace"
            return None
        if _followed_by_institution(text, tokens, last):
            return None
        return tok.start, tokens[last].end, last

    if title and _surname_ok(first.word, data, strict=False) and first.word not in _TITLES:
        return tok.start, first.end, first_index  # "Mr Okonkwo"
    if not title and _unlisted_first_name_ok(text, tokens, i, data):
        return tok.start, tokens[i + 1].end, i + 1  # "Adebayo Okafor": known surname
    return None


# Surnames that are also landscape words: "Bethnal Green" and "Tile Hill" are places.
_PLACE_SURNAMES = _wordset(
    """
    Green Hill Park Wood Woods Field Fields Bank Hall Heath Brook Cross Bridge Church Street
    Lane Dale Vale Moor Marsh Ford Gate Well Wells Town End Ridge Water Waters Mill Mills Stone
    Rock Castle Tower Abbey Chapel Common Heights Rise Hurst Combe Leigh Ley Lee Grove Farm
    Law Way Land Lands Ward Gardens Garden Court Place Road House
    """
)


def _unlisted_first_name_ok(text: str, tokens: list[_Token], i: int, data: _NameData) -> bool:
    """A first name missing from the lists is still likely when a known surname follows."""
    if i + 1 >= len(tokens):
        return False
    first, surname = tokens[i], tokens[i + 1]
    if not _adjacent(text, first, surname) or text[first.end : first.end + 1] in ("'", "’"):
        return False
    if (
        not _is_capitalised(first.word)
        or first.word in _NEVER_FIRST_NAMES
        or first.word in _NOT_SURNAMES
        or first.word.lower() in data.common_words
        or "-" in first.word
    ):
        return False
    if surname.word not in data.surnames or surname.word in _PLACE_SURNAMES:
        return False
    if not _surname_ok(surname.word, data, strict=True):
        return False
    if _HOUSE_NUMBER_BEFORE_RE.search(text, max(0, first.start - 8), first.start):
        return False
    return not _followed_by_institution(text, tokens, i + 1)


def _surname_index(
    text: str, tokens: list[_Token], first_index: int, data: _NameData, *, weak: bool
) -> int | None:
    """Index of the surname after a first name, allowing middle names and initials."""
    j = first_index + 1
    prev = tokens[first_index]
    # A possessive first name ("Sarah's Mother") ends the name.
    if text[prev.end : prev.end + 1] in ("'", "’"):
        return None
    found = None
    for _ in range(3):
        if j >= len(tokens) or not _adjacent(text, prev, tokens[j]):
            break
        word = tokens[j].word
        if _INITIAL_RE.match(word) and len(word) <= 2:
            prev, j = tokens[j], j + 1
            continue
        if not _surname_ok(word, data, strict=weak and found is None):
            break
        found = j
        if text[tokens[j].end : tokens[j].end + 1] in ("'", "’"):
            break  # possessive surname ends the name
        if word not in data.first_names:
            break
        prev, j = tokens[j], j + 1
    return found


def _followed_by_institution(text: str, tokens: list[_Token], last: int) -> bool:
    nxt = last + 1
    if nxt >= len(tokens) or not _adjacent(text, tokens[last], tokens[nxt]):
        return False
    return tokens[nxt].word in _NOT_SURNAMES and tokens[nxt].word[0].isupper()


# --------------------------------------------------------------------------------------------
# Protected names (matched by keyed hash)
# --------------------------------------------------------------------------------------------

# Phrases are trimmed of these words at both ends, so n-grams that start or end with them never
# need hashing: that keeps the scan fast without weakening matches.
_EDGE_STOPWORDS = _wordset(
    """
    a an and as at be but by for from had has have he her his i in is it its of on or
    she so that the their them they this to was were which who with
    """
)
DEFAULT_MAX_PHRASE_WORDS = 4


_COMBINING_RE = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(s: str) -> str:
    if not s.isascii():
        s = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", s))
        s = s.replace("’", "'").replace("‘", "'")
    return s.casefold()


_PUBLIC_CASE_NAMES_FOLDED = frozenset(_fold(n).replace("-", " ") for n in _PUBLIC_CASE_NAMES)
_NORM_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*'?")


def _normalise_word(word: str) -> str:
    if word.endswith(("'s", "s'")):
        word = word[:-2]
    return word.replace("'", "")


def normalise_name(s: str) -> str:
    """Canonical form of a name or phrase, as hashed for storage and matching.

    Casefolded, accents removed, possessive 's / s' stripped, punctuation dropped (hyphens
    split words), whitespace collapsed, and leading/trailing function words ("the") trimmed.
    """
    words = [_normalise_word(w) for w in _NORM_WORD_RE.findall(_fold(s))]
    words = [w for w in words if w]
    while words and words[0] in _EDGE_STOPWORDS:
        words.pop(0)
    while words and words[-1] in _EDGE_STOPWORDS:
        words.pop()
    return " ".join(words)


def hash_name(name: str, *, key: bytes) -> str:
    """HMAC-SHA256 hex digest of ``normalise_name(name)``: what a review stores."""
    return hmac.new(key, normalise_name(name).encode("utf-8"), hashlib.sha256).hexdigest()


class _TextWords(NamedTuple):
    starts: list[int]
    ends: list[int]  # end of each word without a possessive ending
    norms: list[str]  # normalised words
    joined: list[bool]  # whether word i and word i + 1 can belong to one phrase
    # "James'" may be James's or the Jameses': the second reading of such words, by index.
    alternates: dict[int, tuple[str, int]]


def _text_words(text: str) -> _TextWords:
    folded = _fold(text)
    # Folding can change length (ligatures, "ß"); then fold word by word to keep offsets exact.
    aligned = len(folded) == len(text)
    words = _TextWords([], [], [], [], {})
    previous_end = -1
    for m in _NORM_WORD_RE.finditer(folded if aligned else text):
        raw = m.group() if aligned else _fold(m.group())
        start, end = m.start(), m.end()
        if "'" in raw:
            norm, core_end = _normalise_word(raw), _possessive_end(raw, end)
            if raw.endswith("s'"):
                words.alternates[len(words.norms)] = (raw[:-1].replace("'", ""), end - 1)
        else:
            norm, core_end = raw, end
        if words.norms:
            words.joined.append(_phrase_gap_ok(text[previous_end:start]))
        words.starts.append(start)
        words.ends.append(core_end)
        words.norms.append(norm)
        previous_end = end
    words.joined.append(False)
    return words


def _phrase_gap_ok(gap: str) -> bool:
    return len(gap) <= 3 and not gap.strip(" \t\n-")


def _possessive_end(raw: str, end: int) -> int:
    if raw.endswith(("'s", "s'")):
        return end - 2
    return end - 1 if raw.endswith("'") else end


class ProtectedNames:
    """Matcher for a review's protected names that holds only keyed digests, never names."""

    __slots__ = ("_digests", "_key", "max_words")

    def __init__(
        self, digests: Iterable[str], *, key: bytes, max_words: int = DEFAULT_MAX_PHRASE_WORDS
    ) -> None:
        if not key:
            raise ValueError("a non-empty HMAC key is required")
        self._key = bytes(key)
        self._digests = frozenset(bytes.fromhex(d) for d in digests)
        self.max_words = max(1, max_words)

    @classmethod
    def from_digests(
        cls, digests: Iterable[str], *, key: bytes, max_words: int = DEFAULT_MAX_PHRASE_WORDS
    ) -> ProtectedNames:
        """Build from stored hex digests (as produced by :func:`hash_name`)."""
        return cls(digests, key=key, max_words=max_words)

    @classmethod
    def from_names(cls, names: Iterable[str], *, key: bytes) -> ProtectedNames:
        """Hash clear names straight away; the clear strings are not kept."""
        normalised = {normalise_name(n) for n in names}
        normalised.discard("")
        max_words = max((len(n.split()) for n in normalised), default=1)
        digests = [hash_name(n, key=key) for n in normalised]
        return cls(digests, key=key, max_words=max_words)

    @property
    def digests(self) -> frozenset[str]:
        """Hex digests, for storage alongside ``max_words``."""
        return frozenset(d.hex() for d in self._digests)

    def __bool__(self) -> bool:
        return bool(self._digests)

    def __repr__(self) -> str:
        return f"ProtectedNames(<{len(self._digests)} digests>, max_words={self.max_words})"

    def scan(self, text: str) -> list[Finding]:
        if not self._digests:
            return []
        spans = self._spans(text)
        return [_finding(text, PROTECTED_NAME, s, e) for s, e in spans]

    def _spans(self, text: str) -> list[tuple[int, int]]:
        words = _text_words(text)
        norms, ends, joined, alternates = words.norms, words.ends, words.joined, words.alternates
        key, digests, stop = self._key, self._digests, _EDGE_STOPWORDS
        seen: dict[str, bool] = {}

        def hit(phrase: str) -> bool:
            found = seen.get(phrase)
            if found is None:
                digest = hmac.digest(key, phrase.encode("utf-8"), "sha256")
                found = seen[phrase] = digest in digests
            return found

        spans: list[tuple[int, int]] = []
        covered_until = -1
        count = len(norms)
        # A plain loop rather than a generator of n-grams: this is the hot path of a scan.
        for i in range(count):
            phrase = norms[i]
            if not phrase or phrase in stop:
                continue
            best_end = ends[i] if hit(phrase) else -1
            if i in alternates and hit(alternates[i][0]):
                best_end = max(best_end, alternates[i][1])
            for k in range(i + 1, min(i + self.max_words, count)):
                if not joined[k - 1]:
                    break
                stem = phrase
                phrase = f"{stem} {norms[k]}"
                if norms[k] in stop:
                    continue
                if hit(phrase):
                    best_end = max(best_end, ends[k])
                if k in alternates and hit(f"{stem} {alternates[k][0]}"):
                    best_end = max(best_end, alternates[k][1])
            if best_end > covered_until:
                spans.append((words.starts[i], best_end))
                covered_until = best_end
        return spans


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def _resolve_overlaps(findings: dict[tuple[str, int, int], None]) -> list[tuple[str, int, int]]:
    """Drop NHS/phone double counts: one digit string is either a phone number or not."""
    keys = list(findings)
    phones = [(s, e) for k, s, e in keys if k == PHONE]
    nhs = {(s, e) for k, s, e in keys if k == NHS_NUMBER}
    kept = []
    for kind, s, e in keys:
        inside_phone = any(ps <= s and e <= pe and (ps, pe) != (s, e) for ps, pe in phones)
        if kind == NHS_NUMBER and inside_phone:
            continue  # digits after a +44 country code
        if kind == PHONE and (s, e) in nhs:
            continue  # ten bare digits with a valid NHS check digit
        kept.append((kind, s, e))
    return kept


def scan_text(
    text: str,
    *,
    protected_names: Iterable[str] | ProtectedNames = (),
    pseudonyms: Iterable[str] = (),
) -> list[Finding]:
    """Find likely identifiers in ``text``, sorted by start offset.

    ``protected_names`` may be clear strings (hashed here with a throwaway key) or a prepared
    :class:`ProtectedNames`. ``pseudonyms`` are the review's own stand-in names, never flagged
    as personal names.
    """
    found: dict[tuple[str, int, int], None] = {}
    detectors: tuple[tuple[str, Iterator[tuple[int, int]]], ...] = (
        (POSTCODE, _find_postcodes(text)),
        (PHONE, _find_phones(text)),
        (EMAIL, _find_emails(text)),
        (NHS_NUMBER, _find_nhs_numbers(text)),
        (NI_NUMBER, _find_ni_numbers(text)),
        (DATE_OF_BIRTH, _find_dates(text)),
        (ADDRESS, _find_addresses(text)),
        (PERSON_NAME, _find_person_names(text, _normalised_set(pseudonyms))),
    )
    for kind, spans in detectors:
        for start, end in spans:
            found[(kind, start, end)] = None

    matcher = (
        protected_names
        if isinstance(protected_names, ProtectedNames)
        else ProtectedNames.from_names(protected_names, key=secrets.token_bytes(32))
    )
    for f in matcher.scan(text):
        found[(f.kind, f.start, f.end)] = None

    kept = sorted(_resolve_overlaps(found), key=lambda k: (k[1], k[2], KINDS.index(k[0])))
    return [_finding(text, kind, s, e) for kind, s, e in kept]


def _normalised_set(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in (normalise_name(x) for x in names) if n)
