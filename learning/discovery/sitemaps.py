"""sitemap.xml and robots.txt: every public page a search engine should know, in both
languages, nothing else."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from reviews.models import LearningPoint, Review, Theme


class BilingualSitemap(Sitemap):
    """Every page in English and Welsh (/cy/), each naming the other with hreflang
    alternates and English as x-default."""

    i18n = True
    alternates = True
    x_default = True


class ReviewSitemap(BilingualSitemap):
    changefreq = "monthly"
    priority = 0.8
    # The protocol allows 50,000 addresses a file (two per review: English and Welsh); the
    # national collection is far below it.
    limit = 50_000

    def items(self):
        return (
            Review.objects.published()
            .order_by("-published_on", "pk")
            .only("slug", "updated_at", "published_on")
        )

    def lastmod(self, review: Review):
        return review.updated_at


class ThemeSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        used = LearningPoint.objects.published().values("themes")
        return Theme.objects.filter(pk__in=used).order_by("name")


class PageSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self) -> list[str]:
        return ["home", "reviews:list", "learning:theme_list", "glossary"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "reviews": ReviewSitemap, "themes": ThemeSitemap}


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # Result pages are endless combinations of the same reviews.
        "Disallow: /search/",
        "Disallow: /cy/search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
