"""Facets: the filters shared by /reviews/, /search/ and /api/reviews/, and their counts.

One parser (`parse_filters`) reads the same GET parameters everywhere, so a bookmarked page,
a search and an API call with the same query string select the same reviews. Values within a
facet are alternatives (theme=a&theme=b: either); different facets must all match. Each
facet's counts apply every other facet's selection but not its own, so a count is exactly
the number of results you get by choosing that value alone in its facet. The counting
itself is done over the in-memory catalogue (learning/discovery/catalogue.py).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy

from reviews.models import Review

# (value, label, lowest month, highest month) of the child's age at the incident.
AGE_BANDS: list[tuple[str, object, int, int | None]] = [
    ("under-1", gettext_lazy("Under 1"), 0, 11),
    ("1-4", gettext_lazy("1 to 4"), 12, 59),
    ("5-10", gettext_lazy("5 to 10"), 60, 131),
    ("11-15", gettext_lazy("11 to 15"), 132, 191),
    ("16-17", gettext_lazy("16 to 17"), 192, 215),
    ("adult", gettext_lazy("Adult (18 and over)"), 216, None),
]
AGE_BAND_LABELS = {value: label for value, label, _, _ in AGE_BANDS}
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
MAX_VALUES = 30


def age_band_for(months: int | None) -> str | None:
    if months is None or months < 0:
        return None
    for value, _, low, high in AGE_BANDS:
        if months >= low and (high is None or months <= high):
            return value
    return None


@dataclass(frozen=True)
class ReviewFilters:
    """A validated selection of facet values; empty tuples mean "any"."""

    theme: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    nation: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    agency: tuple[str, ...] = ()
    age: tuple[str, ...] = ()
    outcome: tuple[str, ...] = ()
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in FACET_KEYS)

    def without(self, key: str) -> "ReviewFilters":
        return replace(self, **{key: ()})

    def query_items(self) -> list[tuple[str, str]]:
        return [(key, str(value)) for key in FACET_KEYS for value in getattr(self, key)]

    def querystring(self) -> str:
        return urlencode(self.query_items())


FACET_KEYS = [f.name for f in fields(ReviewFilters) if f.name != "errors"]
FACET_LABELS = {
    "theme": gettext_lazy("Theme"),
    "type": gettext_lazy("Review type"),
    "nation": gettext_lazy("Nation"),
    "year": gettext_lazy("Year published"),
    "agency": gettext_lazy("Agency involved"),
    "age": gettext_lazy("Child's age"),
    "outcome": gettext_lazy("Outcome for the child"),
}


def parse_filters(params: Mapping) -> ReviewFilters:
    """Read facet selections from GET parameters; values that cannot match are dropped."""
    getlist = params.getlist if hasattr(params, "getlist") else lambda k: params.get(k, [])
    closed = {
        "nation": set(Review.Nation.values),
        "outcome": set(Review.Outcome.values),
        "age": set(AGE_BAND_LABELS),
    }
    chosen: dict[str, tuple] = {}
    errors = []
    for key in FACET_KEYS:
        raw = getlist(key)
        if isinstance(raw, str):
            raw = [raw]
        values: list = []
        for item in raw:
            # Forms send comma-free single values; the API also accepts "a,b".
            for value in str(item).split(","):
                value = value.strip()
                if not value:
                    continue
                if key == "year":
                    if not value.isdigit() or not 1900 <= int(value) <= 2200:
                        errors.append(f"{key}: {value[:40]!r} is not a year")
                        continue
                    value = int(value)
                elif key in closed:
                    if value not in closed[key]:
                        errors.append(f"{key}: {value[:40]!r} is not one of {sorted(closed[key])}")
                        continue
                elif not _SLUG.match(value):
                    errors.append(f"{key}: {value[:40]!r} is not a valid identifier")
                    continue
                if value not in values:
                    values.append(value)
        chosen[key] = tuple(values[:MAX_VALUES])
    return ReviewFilters(**chosen, errors=tuple(errors))


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    key: str
    label: str
    options: list[FacetOption]

    @property
    def selected_count(self) -> int:
        return sum(option.selected for option in self.options)


def _order(key: str, options: list[FacetOption]) -> list[FacetOption]:
    if key == "year":
        return sorted(options, key=lambda o: o.value, reverse=True)
    if key == "age":
        order = {value: i for i, (value, *_rest) in enumerate(AGE_BANDS)}
        return sorted(options, key=lambda o: order.get(o.value, 99))
    if key == "nation":
        order = {value: i for i, value in enumerate(Review.Nation.values)}
        return sorted(options, key=lambda o: order.get(o.value, 99))
    return sorted(options, key=lambda o: (-o.count, o.label.lower()))


def facets_ordered(facets: list[Facet]) -> list[Facet]:
    """Options in reading order: years newest first, age bands and nations in their own
    order, everything else busiest first."""
    return [
        Facet(key=facet.key, label=facet.label, options=_order(facet.key, facet.options))
        for facet in facets
    ]
