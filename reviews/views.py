from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.views.generic import DetailView, ListView, TemplateView

from reviews import catalogue, facets, selectors
from reviews.models import Review


class HomeView(TemplateView):
    template_name = "reviews/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # From the catalogue's order: sorting every published review for five cost 20 ms
        # at 10,000 reviews.
        context["latest_reviews"] = catalogue.reviews_chosen(facets.ReviewFilters())[0:5]
        context["themes"] = [
            theme for theme in selectors.theme_list_with_counts() if theme.learning_point_count
        ]
        return context


class ReviewListView(ListView):
    template_name = "reviews/review_list.html"
    context_object_name = "reviews"
    paginate_by = 20

    def get_queryset(self):
        self.filters = facets.parse_filters(self.request.GET)
        return catalogue.reviews_chosen(self.filters)

    def get_context_data(self, **kwargs):
        # Facet counts for the form beside the list, from the in-memory catalogue.
        return super().get_context_data(
            filters=self.filters,
            facets=catalogue.review_facets(self.filters),
            query_string=self.filters.querystring(),
            **kwargs,
        )


class ReviewDetailView(DetailView):
    template_name = "reviews/review_detail.html"
    context_object_name = "review"

    def get(self, request, *args, **kwargs):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # Nothing on the page depends on a visitor without a session (no messages, no
            # pack, not signed in): serve the page stored when it was published.
            document = selectors.review_get_public_document(slug=self.kwargs["slug"])
            if document:
                return HttpResponse(document)
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A withdrawn review keeps its address and catalogue record: 410, with a notice.
            try:
                gone = selectors.review_get_gone(slug=self.kwargs["slug"])
            except Review.DoesNotExist:
                raise Http404("No published review has that address.") from None
            return TemplateResponse(
                request, "reviews/review_gone.html", {"review": gone}, status=410
            )

    def get_object(self, queryset=None) -> Review:
        try:
            return selectors.review_get_public_page(slug=self.kwargs["slug"])
        except Review.DoesNotExist as error:
            raise Http404("No published review has that address.") from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same og:url as the stored page (reviews/pages.py), whatever host was asked.
        context["canonical_url"] = (
            settings.PORTAL_BASE_URL.rstrip("/") + self.object.get_absolute_url()
        )
        if self.object.page_html:
            # Rendered when it was published (reviews/pages.py).
            context["page_html"] = self.object.page_html
        else:
            review = selectors.review_get_public(slug=self.object.slug)
            context.update(review=review, object=review, timeline=build_timeline(review))
        return context


def build_timeline(review: Review) -> dict:
    """Where each chronology event sits along the child's age, for the drawn timeline.

    Events without an age are still listed; the drawing only covers known ages. Events at
    the same age are stacked, and each mark carries its number in the list below it.
    """
    events = list(review.chronology_events.all())
    aged = [
        (number, event) for number, event in enumerate(events, 1) if event.age_months is not None
    ]
    if not aged:
        return {"events": events, "marks": [], "width": 0}
    first = min(min(event.age_months for _, event in aged), 0)
    last = max(max(event.age_months for _, event in aged), review.child_age_months or 0, first + 1)
    span = last - first
    width, step = 600, next(step for limit, step in TICK_STEPS if span <= limit)
    stacked: dict[int, int] = {}
    for _, event in aged:
        stacked[event.age_months] = stacked.get(event.age_months, 0) + 1
    axis_y = 16 + 18 * max(stacked.values())

    def x(months: int) -> float:
        return round(20 + (width - 40) * (months - first) / span, 1)

    marks, seen = [], dict.fromkeys(stacked, 0)
    for number, event in aged:
        y = axis_y - 18 * seen[event.age_months]
        marks.append({"x": x(event.age_months), "y": y, "number": number, "event": event})
        seen[event.age_months] += 1
    ticks = [
        {"x": x(months), "label": tick_label(months, step)}
        for months in range(first - first % step, last + 1, step)
        if months >= first
    ]
    return {
        "events": events,
        "marks": marks,
        "ticks": ticks,
        "birth_x": x(0),
        "width": width,
        "axis_y": axis_y,
        "height": axis_y + 30,
    }


# Tick spacing in months for the span of the drawing, so labels never crowd.
TICK_STEPS = [(24, 3), (48, 6), (120, 12), (10_000, 24)]


def tick_label(months: int, step: int) -> str:
    if months == 0:
        return "birth"
    if step >= 12:
        return f"{months // 12}y"
    return f"{months}m"
