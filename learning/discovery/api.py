"""The open data API: read-only JSON for published reviews and themes, with django-ninja.

Function views return plain data; ninja checks it against the Pydantic models in
`api_schemas` and builds the OpenAPI 3.1 document from the same models, so the document
cannot drift from the responses. Published content comes only from `reviews.selectors`;
Markdown is served as the stored `*_html`, never rendered here. The list takes the same
filters as the review list and search pages (learning/discovery/facets.py).

The routes are declared in learning/discovery/urls.py, beside the page cache's parameters;
this module gives it Django views that answer exactly as the hand-written views did:
GET only (405 otherwise), `Cache-Control: public`, `Content-Type: application/json`, and
Django's CSRF check left as it is (ninja would exempt its views; these have no unsafe method
to protect, but an exemption would change what a POST is answered).
"""

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from ninja import NinjaAPI, Query
from ninja.responses import NinjaJSONEncoder, Status

from learning import selectors as learning_selectors
from learning.discovery import api_schemas as schemas
from learning.discovery.api_schemas import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from learning.discovery.catalogue import reviews_chosen
from learning.discovery.facets import age_band_for, parse_filters
from reviews import selectors
from reviews.models import LearningPoint, Review

API_VERSION = "1.0.0"


def _reraise(request: HttpRequest, exc: Exception) -> HttpResponse:
    raise exc


class DiscoveryAPI(NinjaAPI):
    def get_content_type(self) -> str:
        # What JsonResponse said, and what clients of this API have always been sent.
        return "application/json"

    def set_default_exception_handlers(self) -> None:
        super().set_default_exception_handlers()
        # A bug is Django's 500 (or its debug page), not ninja's plain-text traceback.
        self.add_exception_handler(Exception, _reraise)


api = DiscoveryAPI(
    title="Case Review Learning Portal open data API",
    version=API_VERSION,
    description="Read-only data on published case reviews: the structured record of each "
    "review and its key learning. Drafts and withdrawn reviews are never included.",
    servers=[{"url": "/"}],
    # The document is served by `openapi_document` below, at its old address and headers;
    # ninja's Swagger page would load scripts from a CDN our Content-Security-Policy refuses.
    openapi_url=None,
    docs_url=None,
)


def _error(status: int, message: str, details: list[str] | None = None) -> Status:
    return Status(status, {"error": message, "details": details or []})


def _named(obj) -> dict[str, str]:
    return {"slug": obj.slug, "name": obj.name}


def _summary(request: HttpRequest, review: Review, themes: list[dict]) -> dict[str, Any]:
    return {
        "slug": review.slug,
        "title": review.title,
        "plain_summary": review.plain_summary,
        "url": request.build_absolute_uri(
            reverse("api_review_detail", kwargs={"slug": review.slug})
        ),
        "html_url": request.build_absolute_uri(review.get_absolute_url()),
        "review_type": _named(review.review_type),
        "board": _named(review.board),
        "nation": review.nation,
        "published_on": review.published_on,
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


def _int_param(value: str, default: int) -> int | None:
    if value == "":
        return default
    return int(value) if value.isdigit() and len(value) < 7 else None


@api.get(
    "/api/reviews/",
    response={200: schemas.ReviewPage, 400: schemas.Error, 404: schemas.Error},
    operation_id="listReviews",
    summary="Published reviews, newest first, filtered like the review list",
    url_name="api_review_list",
)
def list_reviews(request: HttpRequest, query: Query[schemas.ReviewListQuery]):
    filters = parse_filters(query.model_dump())
    if filters.errors:
        return _error(400, "Some filters are not valid.", list(filters.errors))
    page_number = _int_param(query.page, 1)
    page_size = _int_param(query.page_size, DEFAULT_PAGE_SIZE)
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
        params = [*filters.query_items(), ("page", str(number))]
        if page_size != DEFAULT_PAGE_SIZE:
            params.append(("page_size", str(page_size)))
        return request.build_absolute_uri(f"{reverse('api_review_list')}?{urlencode(params)}")

    return {
        "count": paginator.count,
        "page": page_number,
        "page_size": page_size,
        "next": link(page_number + 1) if page and page.has_next() else None,
        "previous": link(page_number - 1) if page and page.has_previous() else None,
        "results": [_summary(request, review, themes.get(review.pk, [])) for review in items],
    }


@api.get(
    "/api/reviews/{slug:slug}/",
    response={200: schemas.Review, 404: schemas.Error},
    operation_id="getReview",
    summary="The whole structured record of one published review",
    url_name="api_review_detail",
)
def get_review(request: HttpRequest, slug: str):
    try:
        review = selectors.review_get_public(slug=slug)
    except Review.DoesNotExist:
        return _error(404, "No published review has that address.")
    learning_points = list(review.learning_points.all())
    themes: dict[str, dict] = {}
    for learning_point in learning_points:
        for theme in learning_point.themes.all():
            themes.setdefault(theme.slug, _named(theme))
    return {
        **_summary(request, review, sorted(themes.values(), key=lambda t: t["name"])),
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


@api.get(
    "/api/themes/",
    response=schemas.ThemeList,
    operation_id="listThemes",
    summary="Every theme, with how many published learning points it has",
    url_name="api_theme_list",
)
def list_themes(request: HttpRequest):
    return {
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
            for theme in learning_selectors.theme_list_with_counts()
        ]
    }


def openapi_spec() -> dict[str, Any]:
    """The OpenAPI 3.1 document, generated from the operations and their Pydantic models,
    as JSON has it (ninja keys responses by int status; JSON by string)."""
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix=""), cls=NinjaJSONEncoder))


@require_GET
@cache_control(max_age=3600, public=True)
def openapi_document(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_spec(), json_dumps_params={"indent": 2})


def _django_view(ninja_view: Callable) -> Callable:
    view = require_GET(cache_control(max_age=300, public=True)(ninja_view))
    # functools.wraps copied ninja's blanket exemption; keep Django's check as it was.
    del view.csrf_exempt
    return view


_ninja_views = {pattern.name: pattern.callback for pattern in api.urls[0]}
review_list = _django_view(_ninja_views["api_review_list"])
review_detail = _django_view(_ninja_views["api_review_detail"])
theme_list = _django_view(_ninja_views["api_theme_list"])
