"""The word lists behind the person-name detector (reviews/privacy/names.py).

First names and surnames are loaded from Faker once, on first use (:func:`name_data`); the
curated lists here say which capitalised words are never first names, never surnames, titles,
places or public inquiry names.
"""

from __future__ import annotations

import functools
import importlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from reviews.privacy.dates import MONTH_WORDS
from reviews.privacy.text import fold, wordset

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
NEVER_FIRST_NAMES = (
    wordset(
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
    | MONTH_WORDS
)

# Ordinary English words that are also first names ("Will", "Grace", "Hope"): only flagged
# when a known surname follows, because sentence starts and headings produce them constantly.
_WORD_NAMES = wordset(
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
NOT_SURNAMES = (
    wordset(
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
    | MONTH_WORDS
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

PUBLIC_CASE_NAMES_FOLDED = frozenset(fold(n).replace("-", " ") for n in _PUBLIC_CASE_NAMES)

# Honorifics and ranks: "Sgt Brown" names a real officer as surely as "Mrs Patel" does.
TITLES = wordset("Mr Mrs Ms Miss Mx Dr Prof Professor Sgt Insp Cllr Rev Revd PC DC DS DI")

# Surnames that are also landscape words: "Bethnal Green" and "Tile Hill" are places.
PLACE_SURNAMES = wordset(
    """
    Green Hill Park Wood Woods Field Fields Bank Hall Heath Brook Cross Bridge Church Street
    Lane Dale Vale Moor Marsh Ford Gate Well Wells Town End Ridge Water Waters Mill Mills Stone
    Rock Castle Tower Abbey Chapel Common Heights Rise Hurst Combe Leigh Ley Lee Grove Farm
    Law Way Land Lands Ward Gardens Garden Court Place Road House
    """
)


@dataclass(frozen=True, slots=True)
class NameData:
    first_names: frozenset[str]
    # First names that are also everyday words ("Will", "An"): need a known surname after them.
    word_names: frozenset[str]
    surnames: frozenset[str]
    common_words: frozenset[str]


def _latin(name: str) -> bool:
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


@functools.cache
def name_data() -> NameData:
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
        n for n in first if n and _latin(n) and " " not in n and n not in NEVER_FIRST_NAMES
    )
    return NameData(
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
