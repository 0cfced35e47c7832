"""The open data API: read-only JSON for published reviews and themes.

Plain Django views returning JsonResponse. The list takes the same filters as the review list
and search pages (learning/discovery/facets.py). The OpenAPI 3.1 document is built here, next to the
code it describes, and tests validate real responses against it.
"""

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from learning import selectors as learning_selectors
from learning.discovery.catalogue import reviews_chosen
from learning.discovery.facets import (
    AGE_BANDS,
    FACET_KEYS,
    FACET_LABELS,
    age_band_for,
    parse_filters,
)
from reviews import selectors
from reviews.models import ChronologyEvent, DiscussionPrompt, LearningPoint, Recommendation, Review

API_VERSION = "1.0.0"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _error(status: int, message: str, details: list[str] | None = None) -> JsonResponse:
    return JsonResponse({"error": message, "details": details or []}, status=status)


def _named(obj) -> dict[str, str]:
    return {"slug": obj.slug, "name": obj.name}


def _summary(request: HttpRequest, review: Review, themes: list[dict]) -> dict[str, Any]:
    return {
        "slug": review.slug,
        "title": review.title,
        "url": request.build_absolute_uri(
            reverse("api_review_detail", kwargs={"slug": review.slug})
        ),
        "html_url": request.build_absolute_uri(review.get_absolute_url()),
        "review_type": _named(review.review_type),
        "board": _named(review.board),
        "nation": review.nation,
        "published_on": review.published_on.isoformat() if review.published_on else None,
        "child": {
            "pseudonym": review.child_pseudonym,
            "sex": review.child_sex,
            "age_text": review.child_age_text,
            "age_months": review.child_age_months,
            "age_band": age_band_for(review.child_age_months),
            "outcome": review.child_outcome,
        },
        "themes": themes,
        "agencies": [_named(agency) for agency in review.agencies.all()],
    }


def _themes_by_review(review_ids: list[int]) -> dict[int, list[dict]]:
    """Themes of each review's published learning points, in one query."""
    rows = (
        LearningPoint.themes.through.objects.filter(learningpoint__review_id__in=review_ids)
        .values_list("learningpoint__review_id", "theme__slug", "theme__name")
        .distinct()
        .order_by("learningpoint__review_id", "theme__name")
    )
    themes: dict[int, list[dict]] = defaultdict(list)
    for review_id, slug, name in rows:
        themes[review_id].append({"slug": slug, "name": name})
    return themes


def _int_param(request: HttpRequest, name: str, default: int) -> int | None:
    value = request.GET.get(name, "")
    if value == "":
        return default
    return int(value) if value.isdigit() and len(value) < 7 else None


@require_GET
@cache_control(max_age=300, public=True)
def review_list(request: HttpRequest) -> JsonResponse:
    filters = parse_filters(request.GET)
    if filters.errors:
        return _error(400, "Some filters are not valid.", list(filters.errors))
    page_number = _int_param(request, "page", 1)
    page_size = _int_param(request, "page_size", DEFAULT_PAGE_SIZE)
    if page_number is None or page_number < 1:
        return _error(400, "page must be a whole number, 1 or more.")
    if page_size is None or not 1 <= page_size <= MAX_PAGE_SIZE:
        return _error(400, f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}.")
    reviews = reviews_chosen(
        filters, queryset=selectors.review_list_public().prefetch_related("agencies")
    )
    paginator = Paginator(reviews, page_size)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        if page_number == 1:
            page = paginator.page(1) if paginator.count else None
        else:
            return _error(404, f"There is no page {page_number}; there are {paginator.num_pages}.")
    items = list(page.object_list) if page else []
    themes = _themes_by_review([review.pk for review in items])

    def link(number: int) -> str:
        query = [*filters.query_items(), ("page", str(number))]
        if page_size != DEFAULT_PAGE_SIZE:
            query.append(("page_size", str(page_size)))
        return request.build_absolute_uri(f"{reverse('api_review_list')}?{urlencode(query)}")

    return JsonResponse(
        {
            "count": paginator.count,
            "page": page_number,
            "page_size": page_size,
            "next": link(page_number + 1) if page and page.has_next() else None,
            "previous": link(page_number - 1) if page and page.has_previous() else None,
            "results": [_summary(request, review, themes.get(review.pk, [])) for review in items],
        }
    )


@require_GET
@cache_control(max_age=300, public=True)
def review_detail(request: HttpRequest, slug: str) -> JsonResponse:
    try:
        review = (
            Review.objects.published()
            .select_related("board", "review_type")
            .prefetch_related(
                "agencies",
                "findings",
                Prefetch(
                    "chronology_events",
                    queryset=ChronologyEvent.objects.prefetch_related("agencies"),
                ),
                Prefetch(
                    "recommendations", queryset=Recommendation.objects.prefetch_related("agencies")
                ),
                Prefetch(
                    "learning_points",
                    queryset=LearningPoint.objects.prefetch_related(
                        "themes",
                        "agencies",
                        Prefetch("prompts", queryset=DiscussionPrompt.objects.order_by("position")),
                    ),
                ),
            )
            .get(slug=slug)
        )
    except Review.DoesNotExist:
        return _error(404, "No published review has that address.")
    learning_points = list(review.learning_points.all())
    themes: dict[str, dict] = {}
    for learning_point in learning_points:
        for theme in learning_point.themes.all():
            themes.setdefault(theme.slug, _named(theme))
    data = _summary(request, review, sorted(themes.values(), key=lambda t: t["name"]))
    data.update(
        {
            "reviewer": review.reviewer,
            "methodology": review.methodology,
            "review_period": review.review_period,
            "incident_date": review.incident_date,
            "keywords": review.keyword_list,
            "report_url": review.report_url or None,
            "content_warning": review.content_warning,
            "summary": review.summary,
            "summary_html": review.summary_html,
            "chronology": [
                {
                    "position": event.position,
                    "when": event.when,
                    "age_months": event.age_months,
                    "date": event.date,
                    "is_key": event.is_key,
                    "text": event.text,
                    "text_html": event.text_html,
                    "agencies": [_named(agency) for agency in event.agencies.all()],
                }
                for event in review.chronology_events.all()
            ],
            "findings": [
                {
                    "position": finding.position,
                    "heading": finding.heading,
                    "text": finding.text,
                    "text_html": finding.text_html,
                }
                for finding in review.findings.all()
            ],
            "recommendations": [
                {
                    "position": recommendation.position,
                    "text": recommendation.text,
                    "text_html": recommendation.text_html,
                    "agencies": [_named(agency) for agency in recommendation.agencies.all()],
                }
                for recommendation in review.recommendations.all()
            ],
            "learning_points": [
                {
                    "position": learning_point.position,
                    "title": learning_point.title,
                    "body": learning_point.body,
                    "body_html": learning_point.body_html,
                    "themes": [_named(theme) for theme in learning_point.themes.all()],
                    "agencies": [_named(agency) for agency in learning_point.agencies.all()],
                    "prompts": [
                        {"position": prompt.position, "question": prompt.question}
                        for prompt in learning_point.prompts.all()
                    ],
                }
                for learning_point in learning_points
            ],
        }
    )
    return JsonResponse(data)


@require_GET
@cache_control(max_age=300, public=True)
def theme_list(request: HttpRequest) -> JsonResponse:
    themes = learning_selectors.theme_list_with_counts()
    return JsonResponse(
        {
            "results": [
                {
                    "slug": theme.slug,
                    "name": theme.name,
                    "description": theme.description,
                    "learning_point_count": theme.learning_point_count,
                    "html_url": request.build_absolute_uri(theme.get_absolute_url()),
                    "reviews_url": request.build_absolute_uri(
                        f"{reverse('api_review_list')}?{urlencode({'theme': theme.slug})}"
                    ),
                }
                for theme in themes
            ]
        }
    )


def _nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


def openapi_spec() -> dict[str, Any]:
    """The OpenAPI 3.1 document for this API (JSON Schema 2020-12 schemas)."""
    string = {"type": "string"}
    named = {
        "type": "object",
        "required": ["slug", "name"],
        "properties": {"slug": string, "name": string},
        "additionalProperties": False,
    }
    named_list = {"type": "array", "items": {"$ref": "#/components/schemas/Named"}}
    summary_properties = {
        "slug": string,
        "title": string,
        "url": {"type": "string", "format": "uri"},
        "html_url": {"type": "string", "format": "uri"},
        "review_type": {"$ref": "#/components/schemas/Named"},
        "board": {"$ref": "#/components/schemas/Named"},
        "nation": {"type": "string", "enum": Review.Nation.values},
        "published_on": _nullable({"type": "string", "format": "date"}),
        "child": {
            "type": "object",
            "required": ["pseudonym", "sex", "age_text", "age_months", "age_band", "outcome"],
            "additionalProperties": False,
            "properties": {
                "pseudonym": string,
                "sex": {"type": "string", "enum": Review.Sex.values},
                "age_text": string,
                "age_months": _nullable({"type": "integer"}),
                "age_band": {"enum": [value for value, *_ in AGE_BANDS] + [None]},
                "outcome": {"type": "string", "enum": Review.Outcome.values},
            },
        },
        "themes": named_list,
        "agencies": named_list,
    }
    html = {"type": "string", "description": "Sanitised HTML rendered from the Markdown."}
    detail_properties = {
        **summary_properties,
        "reviewer": string,
        "methodology": string,
        "review_period": string,
        "incident_date": {"type": "string", "description": "YYYY, YYYY-MM, YYYY-MM-DD or empty"},
        "keywords": {"type": "array", "items": string},
        "report_url": _nullable({"type": "string", "format": "uri"}),
        "content_warning": string,
        "summary": {"type": "string", "description": "Markdown."},
        "summary_html": html,
        "chronology": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["position", "when", "age_months", "date", "is_key", "text"],
                "properties": {
                    "position": {"type": "integer"},
                    "when": string,
                    "age_months": _nullable({"type": "integer"}),
                    "date": string,
                    "is_key": {"type": "boolean"},
                    "text": string,
                    "text_html": html,
                    "agencies": named_list,
                },
            },
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["position", "heading", "text"],
                "properties": {
                    "position": {"type": "integer"},
                    "heading": string,
                    "text": string,
                    "text_html": html,
                },
            },
        },
        "recommendations": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["position", "text", "agencies"],
                "properties": {
                    "position": {"type": "integer"},
                    "text": string,
                    "text_html": html,
                    "agencies": named_list,
                },
            },
        },
        "learning_points": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["position", "title", "body", "themes", "agencies", "prompts"],
                "properties": {
                    "position": {"type": "integer"},
                    "title": string,
                    "body": string,
                    "body_html": html,
                    "themes": named_list,
                    "agencies": named_list,
                    "prompts": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["position", "question"],
                            "properties": {"position": {"type": "integer"}, "question": string},
                        },
                    },
                },
            },
        },
    }
    facet_parameters = [
        {
            "name": key,
            "in": "query",
            "required": False,
            "description": f"{FACET_LABELS[key]}. Repeat the parameter, or separate values "
            "with commas, for any of several values.",
            "schema": {"type": "array", "items": {"type": "string"}},
            "style": "form",
            "explode": True,
        }
        for key in FACET_KEYS
    ]
    error = {"$ref": "#/components/responses/Error"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Case Review Learning Portal open data API",
            "version": API_VERSION,
            "description": "Read-only data on published case reviews: the structured record "
            "of each review and its key learning. Drafts and withdrawn reviews are never "
            "included.",
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/reviews/": {
                "get": {
                    "operationId": "listReviews",
                    "summary": "Published reviews, newest first, filtered like the review list",
                    "parameters": [
                        *facet_parameters,
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "default": 1},
                        },
                        {
                            "name": "page_size",
                            "in": "query",
                            "schema": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_PAGE_SIZE,
                                "default": DEFAULT_PAGE_SIZE,
                            },
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of reviews",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ReviewPage"}
                                }
                            },
                        },
                        "400": error,
                        "404": error,
                    },
                }
            },
            "/api/reviews/{slug}/": {
                "get": {
                    "operationId": "getReview",
                    "summary": "The whole structured record of one published review",
                    "parameters": [
                        {"name": "slug", "in": "path", "required": True, "schema": string}
                    ],
                    "responses": {
                        "200": {
                            "description": "The review",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Review"}
                                }
                            },
                        },
                        "404": error,
                    },
                }
            },
            "/api/themes/": {
                "get": {
                    "operationId": "listThemes",
                    "summary": "Every theme, with how many published learning points it has",
                    "responses": {
                        "200": {
                            "description": "All themes, busiest first",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ThemeList"}
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Named": named,
                "ReviewSummary": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": list(summary_properties),
                    "properties": summary_properties,
                },
                "Review": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": list(detail_properties),
                    "properties": detail_properties,
                },
                "ReviewPage": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["count", "page", "page_size", "next", "previous", "results"],
                    "properties": {
                        "count": {"type": "integer", "minimum": 0},
                        "page": {"type": "integer", "minimum": 1},
                        "page_size": {"type": "integer", "minimum": 1},
                        "next": _nullable({"type": "string", "format": "uri"}),
                        "previous": _nullable({"type": "string", "format": "uri"}),
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/ReviewSummary"},
                        },
                    },
                },
                "ThemeList": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["results"],
                    "properties": {
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": [
                                    "slug",
                                    "name",
                                    "description",
                                    "learning_point_count",
                                    "html_url",
                                    "reviews_url",
                                ],
                                "properties": {
                                    "slug": string,
                                    "name": string,
                                    "description": string,
                                    "learning_point_count": {"type": "integer", "minimum": 0},
                                    "html_url": {"type": "string", "format": "uri"},
                                    "reviews_url": {"type": "string", "format": "uri"},
                                },
                            },
                        }
                    },
                },
                "Error": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["error", "details"],
                    "properties": {
                        "error": string,
                        "details": {"type": "array", "items": string},
                    },
                },
            },
            "responses": {
                "Error": {
                    "description": "What was wrong with the request",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
        },
    }


@require_GET
@cache_control(max_age=3600, public=True)
def openapi_document(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_spec(), json_dumps_params={"indent": 2})
