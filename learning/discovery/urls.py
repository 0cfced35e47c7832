"""Finding reviews: search and feeds (in both languages), sitemap, robots.txt and the open
data API."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from learning.discovery import api, feeds
from learning.discovery import views as search_views
from learning.discovery.facets import FACET_KEYS
from learning.discovery.sitemaps import SITEMAPS, robots_txt
from portal.cache import public_cache_params

# Pages for people, in English and (under /cy/) Welsh: portal/urls.py mounts them in
# i18n_patterns.
page_urlpatterns = [
    path(
        "search/",
        public_cache_params("q", "page", *FACET_KEYS)(search_views.SearchView.as_view()),
        name="search",
    ),
    path("feeds/reviews/", feeds.LatestReviewsFeed(), name="feed_reviews"),
    path("feeds/themes/<slug:slug>/", feeds.ThemeReviewsFeed(), name="feed_theme"),
]

# For machines, one language: the sitemap (which lists both languages), robots.txt, the API.
urlpatterns = [
    # Django's sitemap view reads ?p= for its page.
    path(
        "sitemap.xml",
        public_cache_params("p")(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "api/reviews/",
        public_cache_params(*FACET_KEYS, "page", "page_size")(api.review_list),
        name="api_review_list",
    ),
    path("api/reviews/<slug:slug>/", api.review_detail, name="api_review_detail"),
    path("api/themes/", api.theme_list, name="api_theme_list"),
    path("api/openapi.json", api.openapi_document, name="api_openapi"),
]
