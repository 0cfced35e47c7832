"""Facets: the filters shared by /reviews/, /search/ and /api/reviews/, and their counts.

One parser (`parse_filters`) reads the same GET parameters everywhere, so a bookmarked page,
a search and an API call with the same query string select the same reviews. Values within a
facet are alternatives (theme=a&theme=b: either); different facets must all match. Each
facet's counts apply every other facet's selection but not its own, so a count is exactly
the number of results you get by choosing that value alone in its facet. Counts take one
query per facet, however many values or results there are.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from .models import Review

# (value, label, lowest month, highest month) of the child's age at the incident.
AGE_BANDS: list[tuple[str, str, int, int | None]] = [
    ("under-1", "Under 1", 0, 11),
    ("1-4", "1 to 4", 12, 59),
    ("5-10", "5 to 10", 60, 131),
    ("11-15", "11 to 15", 132, 191),
    ("16-17", "16 to 17", 192, 215),
    ("adult", "Adult (18 and over)", 216, None),
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
    "theme": "Theme",
    "type": "Review type",
    "nation": "Nation",
    "year": "Year published",
    "agency": "Agency involved",
    "age": "Child's age",
    "outcome": "Outcome for the child",
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


def _age_q(bands: tuple[str, ...], field_name: str) -> Q:
    q = Q(pk__in=[])
    for value, _, low, high in AGE_BANDS:
        if value in bands:
            band = Q(**{f"{field_name}__gte": low})
            if high is not None:
                band &= Q(**{f"{field_name}__lte": high})
            q |= band
    return q


def filter_reviews(reviews: QuerySet[Review], filters: ReviewFilters) -> QuerySet[Review]:
    """Apply the selection to a queryset of reviews (already limited to published ones)."""
    from learning.models import LearningPoint

    if filters.theme:
        reviews = reviews.filter(
            Exists(
                LearningPoint.objects.filter(review=OuterRef("pk"), themes__slug__in=filters.theme)
            )
        )
    if filters.type:
        reviews = reviews.filter(review_type__slug__in=filters.type)
    if filters.nation:
        reviews = reviews.filter(nation__in=filters.nation)
    if filters.year:
        reviews = reviews.filter(published_on__year__in=filters.year)
    if filters.agency:
        links = Review.agencies.through.objects.filter(
            review_id=OuterRef("pk"), agency__slug__in=filters.agency
        )
        reviews = reviews.filter(Exists(links))
    if filters.age:
        reviews = reviews.filter(_age_q(filters.age, "child_age_months"))
    if filters.outcome:
        reviews = reviews.filter(child_outcome__in=filters.outcome)
    return reviews


def filter_entries(entries: QuerySet, filters: ReviewFilters) -> QuerySet:
    """Apply the selection to search entries, which carry copies of their review's facets."""
    from learning.models import SearchEntry

    if filters.theme:
        links = SearchEntry.themes.through.objects.filter(
            searchentry_id=OuterRef("pk"), theme__slug__in=filters.theme
        )
        entries = entries.filter(Exists(links))
    if filters.type:
        entries = entries.filter(review_type__in=filters.type)
    if filters.nation:
        entries = entries.filter(nation__in=filters.nation)
    if filters.year:
        entries = entries.filter(year__in=filters.year)
    if filters.agency:
        links = Review.agencies.through.objects.filter(
            review_id=OuterRef("review_id"), agency__slug__in=filters.agency
        )
        entries = entries.filter(Exists(links))
    if filters.age:
        entries = entries.filter(age_band__in=filters.age)
    if filters.outcome:
        entries = entries.filter(outcome__in=filters.outcome)
    return entries


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


def _age_band_case(field_name: str) -> Case:
    whens = []
    for value, _, low, high in AGE_BANDS:
        condition = Q(**{f"{field_name}__gte": low})
        if high is not None:
            condition &= Q(**{f"{field_name}__lte": high})
        whens.append(When(condition, then=Value(value)))
    return Case(*whens, default=Value(""))


def _review_counts(key: str, reviews: QuerySet[Review]) -> list[tuple[str, str, int]]:
    """(value, label, count) for one facet over reviews, in one query."""
    from learning.models import LearningPoint

    if key == "theme":
        rows = (
            LearningPoint.themes.through.objects.filter(learningpoint__review__in=reviews)
            .values("theme__slug", "theme__name")
            .annotate(n=Count("learningpoint__review", distinct=True))
        )
        return [(r["theme__slug"], r["theme__name"], r["n"]) for r in rows]
    if key == "agency":
        rows = (
            Review.agencies.through.objects.filter(review__in=reviews)
            .values("agency__slug", "agency__name")
            .annotate(n=Count("review_id"))
        )
        return [(r["agency__slug"], r["agency__name"], r["n"]) for r in rows]
    if key == "type":
        rows = reviews.values("review_type__slug", "review_type__name").annotate(n=Count("pk"))
        return [(r["review_type__slug"], r["review_type__name"], r["n"]) for r in rows]
    if key == "year":
        rows = (
            reviews.exclude(published_on=None)
            .annotate(y=ExtractYear("published_on"))
            .values("y")
            .annotate(n=Count("pk"))
        )
        return [(str(r["y"]), str(r["y"]), r["n"]) for r in rows]
    if key == "age":
        rows = (
            reviews.exclude(child_age_months=None)
            .annotate(band=_age_band_case("child_age_months"))
            .values("band")
            .annotate(n=Count("pk"))
        )
        return [(r["band"], AGE_BAND_LABELS.get(r["band"], ""), r["n"]) for r in rows]
    field_name = {"nation": "nation", "outcome": "child_outcome"}[key]
    labels = dict(Review._meta.get_field(field_name).choices)
    rows = reviews.values(field_name).annotate(n=Count("pk"))
    return [(r[field_name], labels.get(r[field_name], r[field_name]), r["n"]) for r in rows]


def _entry_counts(key: str, entries: QuerySet) -> list[tuple[str, str, int]]:
    """(value, label, count) for one facet over search entries, in one query."""
    from learning.models import SearchEntry

    if key == "theme":
        rows = (
            SearchEntry.themes.through.objects.filter(searchentry__in=entries)
            .values("theme__slug", "theme__name")
            .annotate(n=Count("searchentry_id"))
        )
        return [(r["theme__slug"], r["theme__name"], r["n"]) for r in rows]
    if key == "agency":
        rows = (
            entries.filter(review__agencies__isnull=False)
            .values("review__agencies__slug", "review__agencies__name")
            .annotate(n=Count("pk"))
        )
        return [(r["review__agencies__slug"], r["review__agencies__name"], r["n"]) for r in rows]
    field_name = {
        "type": "review_type",
        "nation": "nation",
        "year": "year",
        "age": "age_band",
        "outcome": "outcome",
    }[key]
    rows = entries.exclude(**{field_name: None}).values(field_name).annotate(n=Count("pk"))
    return _labelled(key, {row[field_name]: row["n"] for row in rows})


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


# The facets with one value per result, and the expression that gives it, per result kind.
SCALAR_KEYS = ["type", "nation", "year", "age", "outcome"]


def _scalar_columns(over: str) -> dict:
    if over == "entries":
        return {
            "type": F("review_type"),
            "nation": F("nation"),
            "year": F("year"),
            "age": F("age_band"),
            "outcome": F("outcome"),
        }
    return {
        "type": F("review_type__slug"),
        "nation": F("nation"),
        "year": ExtractYear("published_on"),
        "age": _age_band_case("child_age_months"),
        "outcome": F("child_outcome"),
    }


def _grouped_counts(keys: list[str], results: QuerySet, over: str) -> dict[str, dict]:
    """{key: {value: count}} for several single-valued facets over the same results.

    PostgreSQL counts them all in one pass (GROUPING SETS); other databases, one query each.
    Null values are counted too, so any facet's counts add up to the number of results.
    """
    columns = _scalar_columns(over)
    aliases = {key: f"facet_{key}" for key in keys}
    rows_by_key: dict[str, dict] = {key: {} for key in keys}
    if connection.vendor == "postgresql":
        inner = (
            results.order_by()
            .annotate(**{aliases[key]: columns[key] for key in keys})
            .values(*aliases.values())
        )
        sql, params = inner.query.sql_with_params()
        names = ", ".join(aliases.values())
        sets = ", ".join(f"({alias})" for alias in aliases.values())
        query = (
            f"SELECT {names}, GROUPING({names}), COUNT(*) "  # noqa: S608
            f"FROM ({sql}) AS matched GROUP BY GROUPING SETS ({sets})"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            for row in cursor.fetchall():
                *values, grouping_bits, n = row
                # GROUPING() sets a bit for every column *not* grouped in this row.
                for position, key in enumerate(keys):
                    if not grouping_bits & (1 << (len(keys) - 1 - position)):
                        rows_by_key[key][values[position]] = n
        return rows_by_key
    for key in keys:
        alias = aliases[key]
        rows = results.order_by().annotate(**{alias: columns[key]}).values(alias)
        for row in rows.annotate(n=Count("pk")):
            rows_by_key[key][row[alias]] = row["n"]
    return rows_by_key


def _labelled(key: str, counts: dict) -> list[tuple[str, str, int]]:
    counted = [(str(value), n) for value, n in counts.items() if value not in (None, "")]
    if key == "type":
        from .models import ReviewType

        names = dict(
            ReviewType.objects.filter(slug__in=[v for v, _ in counted]).values_list("slug", "name")
        )
        return [(value, names.get(value, value), n) for value, n in counted]
    labels: dict = {
        "nation": dict(Review.Nation.choices),
        "outcome": dict(Review.Outcome.choices),
        "age": AGE_BAND_LABELS,
    }.get(key, {})
    return [(value, labels.get(value, value), n) for value, n in counted]


@dataclass
class FacetCounts:
    facets: list[Facet]
    total: int | None  # the number of results for the whole selection, when it came for free


def build_facets(
    *,
    filters: ReviewFilters,
    base: Callable[[ReviewFilters], QuerySet],
    over: str = "reviews",
) -> FacetCounts:
    """Counts for every facet: `base(filters)` gives the results for a selection.

    `over` is "reviews" (the review list, the API) or "entries" (search results). A facet
    with nothing chosen counts over the results themselves, so all such facets share one
    query (on PostgreSQL one statement that also gives the total); a facet with a choice
    counts as if it had none (its own query).
    """
    if connection.vendor == "postgresql":
        return _build_facets_pg(filters=filters, base=base, over=over)
    count = _review_counts if over == "reviews" else _entry_counts
    shared = [key for key in SCALAR_KEYS if not getattr(filters, key)]
    grouped = _grouped_counts(shared, base(filters), over) if shared else {}
    total = sum(grouped[shared[0]].values()) if shared else None
    counted = {
        key: _labelled(key, grouped[key])
        if key in grouped
        else count(key, base(filters.without(key)))
        for key in FACET_KEYS
    }
    return FacetCounts(facets=_facets(filters, counted), total=total)


def _build_facets_pg(
    *, filters: ReviewFilters, base: Callable[[ReviewFilters], QuerySet], over: str
) -> FacetCounts:
    shared = [key for key in FACET_KEYS if not getattr(filters, key)]
    together = _pg_counts(base(filters), over, shared)
    total = together.pop("__total__")[None]
    counted: dict[str, list[tuple[str, str, int]]] = {}
    for key in FACET_KEYS:
        if key in together:
            rows = together[key]
        else:
            rows = _pg_counts(base(filters.without(key)), over, [key])[key]
        if key in SCALAR_KEYS:
            counted[key] = _labelled(key, {value: n for value, (_, n) in rows.items()})
        else:
            counted[key] = [(value, label, n) for value, (label, n) in rows.items()]
    return FacetCounts(facets=_facets(filters, counted), total=total)


def _facets(filters: ReviewFilters, counted: dict[str, list[tuple[str, str, int]]]) -> list[Facet]:
    facets = []
    for key in FACET_KEYS:
        selected = {str(value) for value in getattr(filters, key)}
        options = [
            FacetOption(value=value, label=label, count=n, selected=value in selected)
            for value, label, n in counted[key]
            if n
        ]
        shown = {option.value for option in options}
        # A chosen value with no results stays on the form, so it can be unticked.
        options += [
            FacetOption(value=value, label=value, count=0, selected=True)
            for value in selected - shown
        ]
        facets.append(Facet(key=key, label=FACET_LABELS[key], options=_order(key, options)))
    return facets


def _pg_counts(results: QuerySet, over: str, keys: list[str]) -> dict[str, dict]:
    """{key: {value: (label, count)}} for several facets, and the total, in one statement.

    The results are found once (a materialised CTE: for search, one pass over the GIN index
    and the matching rows) and every facet is counted from that set: the single-valued ones
    by unpivoting their columns, themes and agencies through their link tables. Agencies of
    search results are counted per review first, so each review's agencies are joined once,
    not once for each of its matching learning points.
    """
    from learning.models import LearningPoint, SearchEntry, Theme

    quote = connection.ops.quote_name
    scalar = [key for key in keys if key in SCALAR_KEYS]
    columns = _scalar_columns(over)
    review_column = "review_id" if over == "entries" else "pk"
    inner = (
        results.order_by()
        .annotate(
            facet_id=F("pk"),
            facet_review=F(review_column),
            **{f"facet_{key}": columns[key] for key in scalar},
        )
        .values("facet_id", "facet_review", *[f"facet_{key}" for key in scalar])
    )
    sql, params = inner.query.sql_with_params()
    theme_table = quote(Theme._meta.db_table)
    agency_links = Review.agencies.through._meta
    agency_table = quote(Review.agencies.field.related_model._meta.db_table)
    parts = ["SELECT '__total__', NULL, NULL, COUNT(*) FROM matched"]
    if scalar:
        # GROUPING(column) is 0 in the rows grouped by that column.
        which = " ".join(f"WHEN GROUPING(facet_{key}) = 0 THEN '{key}'" for key in scalar)
        value = " ".join(f"WHEN GROUPING(facet_{key}) = 0 THEN facet_{key}::text" for key in scalar)
        sets = ", ".join(f"(facet_{key})" for key in scalar)
        parts.append(
            f"SELECT CASE {which} END, CASE {value} END, NULL, COUNT(*) "  # noqa: S608
            f"FROM matched GROUP BY GROUPING SETS ({sets})"
        )
    if "theme" in keys:
        if over == "entries":
            links = SearchEntry.themes.through._meta
            parts.append(
                f"SELECT 'theme', t.slug, t.name, COUNT(*) FROM matched m "  # noqa: S608
                f"JOIN {quote(links.db_table)} l ON l.searchentry_id = m.facet_id "
                f"JOIN {theme_table} t ON t.id = l.theme_id GROUP BY t.slug, t.name"
            )
        else:
            links = LearningPoint.themes.through._meta
            parts.append(
                "SELECT 'theme', t.slug, t.name, COUNT(*) FROM ("  # noqa: S608
                "SELECT DISTINCT lp.review_id, l.theme_id FROM matched m "
                f"JOIN {quote(LearningPoint._meta.db_table)} lp ON lp.review_id = m.facet_id "
                f"JOIN {quote(links.db_table)} l ON l.learningpoint_id = lp.id) AS pairs "
                f"JOIN {theme_table} t ON t.id = pairs.theme_id GROUP BY t.slug, t.name"
            )
    if "agency" in keys:
        parts.append(
            "SELECT 'agency', a.slug, a.name, SUM(r.n)::bigint FROM ("  # noqa: S608
            "SELECT facet_review, COUNT(*) AS n FROM matched GROUP BY facet_review) AS r "
            f"JOIN {quote(agency_links.db_table)} ra ON ra.review_id = r.facet_review "
            f"JOIN {agency_table} a ON a.id = ra.agency_id GROUP BY a.slug, a.name"
        )
    query = f"WITH matched AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts)
    counted: dict[str, dict] = {key: {} for key in ["__total__", *keys]}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for key, value, label, n in cursor.fetchall():
            counted[key][value] = (label, n)
    counted["__total__"].setdefault(None, (None, 0))
    counted["__total__"][None] = counted["__total__"][None][1]
    return counted


def reviews_filtered(filters: ReviewFilters) -> QuerySet[Review]:
    """Published reviews matching a selection, newest first, ready for a list or the API."""
    return filter_reviews(
        Review.objects.published().select_related("board", "review_type"), filters
    )


def review_facets(filters: ReviewFilters) -> list[Facet]:
    return build_facets(
        filters=filters, base=lambda chosen: filter_reviews(Review.objects.published(), chosen)
    ).facets
