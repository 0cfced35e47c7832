"""The open data API's request and response shapes, as Pydantic models.

They are the one source of truth: django-ninja validates every response against them (a
view that adds, drops or mistypes a field fails loudly instead of drifting) and builds the
OpenAPI document from them. Every field is required and no other field is allowed, so the
document is as strict as the responses are.
"""

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from learning.discovery.facets import AGE_BANDS, FACET_KEYS, FACET_LABELS
from reviews import models

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

Uri = Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]
Html = Annotated[str, Field(description="Sanitised HTML rendered from the Markdown.")]
Count = Annotated[int, Field(ge=0)]
Nation = Literal[tuple(models.Review.Nation.values)]
Sex = Literal[tuple(models.Review.Sex.values)]
Outcome = Literal[tuple(models.Review.Outcome.values)]
AgeBand = Literal[tuple(value for value, *_ in AGE_BANDS)]


class Strict(BaseModel):
    """A response object: exactly these fields, no others."""

    model_config = ConfigDict(extra="forbid")


class Named(Strict):
    slug: str
    name: str


class Child(Strict):
    pseudonym: str
    sex: Sex
    age_text: str
    age_months: int | None
    age_band: AgeBand | None
    outcome: Outcome


class ReviewSummary(Strict):
    slug: str
    title: str
    plain_summary: Annotated[
        str, Field(description="At most 60 words in everyday language; empty if none yet.")
    ]
    url: Uri
    html_url: Uri
    review_type: Named
    board: Named
    nation: Nation
    published_on: datetime.date | None
    child: Child
    themes: list[Named]
    agencies: list[Named]


class ChronologyEvent(Strict):
    position: int
    when: str
    age_months: int | None
    date: str
    is_key: bool
    text: str
    text_html: Html
    agencies: list[Named]


class Finding(Strict):
    position: int
    heading: str
    text: str
    text_html: Html


class Recommendation(Strict):
    position: int
    text: str
    text_html: Html
    agencies: list[Named]


class Prompt(Strict):
    position: int
    question: str


class LearningPoint(Strict):
    position: int
    title: str
    body: str
    body_html: Html
    themes: list[Named]
    agencies: list[Named]
    prompts: list[Prompt]


class Review(ReviewSummary):
    reviewer: str
    methodology: str
    review_period: str
    incident_date: Annotated[str, Field(description="YYYY, YYYY-MM, YYYY-MM-DD or empty")]
    keywords: list[str]
    report_url: Uri | None
    content_warning: str
    summary: Annotated[str, Field(description="Markdown.")]
    summary_html: Html
    chronology: list[ChronologyEvent]
    findings: list[Finding]
    recommendations: list[Recommendation]
    learning_points: list[LearningPoint]


class ReviewPage(Strict):
    count: Count
    page: Annotated[int, Field(ge=1)]
    page_size: Annotated[int, Field(ge=1)]
    next: Uri | None
    previous: Uri | None
    results: list[ReviewSummary]


class Theme(Strict):
    slug: str
    name: str
    description: str
    learning_point_count: Count
    html_url: Uri
    reviews_url: Uri


class ThemeList(Strict):
    results: list[Theme]


class Error(Strict):
    error: str
    details: list[str]


def _whole_number(minimum: int, maximum: int | None, default: int, description: str):
    """A query parameter documented as the integer it must be, but taken as the raw text:
    the view checks it, so a bad value gets our 400 and message, not a framework's 422."""
    bounds = {"minimum": minimum, **({"maximum": maximum} if maximum else {})}
    documented = Field("", description=description, json_schema_extra={"default": default})
    return (Annotated[str, WithJsonSchema({"type": "integer", **bounds})], documented)


# The list's query: one parameter per facet of the review list (learning/discovery/facets.py checks
# their values), then the page.
ReviewListQuery = create_model(
    "ReviewListQuery",
    **{
        key: (
            list[str],
            Field(
                default_factory=list,
                description=f"{FACET_LABELS[key]}. Repeat the parameter, or separate values "
                "with commas, for any of several values.",
            ),
        )
        for key in FACET_KEYS
    },
    page=_whole_number(1, None, 1, "The page, from 1."),
    page_size=_whole_number(1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, "Reviews a page."),
)
