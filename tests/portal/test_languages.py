"""The Welsh interface: /cy/ pages, the language switch, hreflang, the page cache, dates and
error pages in Welsh (docs/welsh.md)."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from portal.languages import path_in_language
from portal.middleware import PublicPageCacheMiddleware
from reviews.models import Review
from reviews.publishing.pages import review_page_document, review_page_render
from tests.factories import build_review
from tests.portal.pages import PAGE_IDS, PAGE_TYPES, REVIEW_SLUG, make_public_content, page_url

pytestmark = pytest.mark.django_db


def welsh(url: str) -> str:
    return "/cy" + url


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switch_link(html: str) -> str:
    return re.search(r'<p class="language-switch">(<a [^>]*>[^<]*</a>)</p>', html).group(1)


@pytest.mark.parametrize(("name", "names", "needs"), PAGE_TYPES, ids=PAGE_IDS)
def test_every_public_page_type_reads_in_welsh_under_cy(client, name, names, needs):
    make_public_content()
    url = page_url(names, needs)

    english = client.get(url)
    response = client.get(welsh(url))

    assert english.status_code == 200 and response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="cy">' in html
    assert 'href="/cy/"' in html and ">Hafan</a>" in html  # the Welsh header
    assert "Neidio i'r prif gynnwys" in html
    assert response.headers["Content-Language"] == "cy"
    english_path = url.split("?")[0]
    assert f'href="{english_path}' in switch_link(html)
    assert 'lang="en" hreflang="en">English</a>' in switch_link(html)
    links = alternates(html)
    assert links["en"].startswith(english_path) and links["x-default"] == links["en"]
    assert links["cy"].startswith(welsh(english_path))


def test_english_pages_keep_their_addresses_and_offer_welsh(client):
    make_public_content()

    assert reverse("home") == "/"
    assert reverse("reviews:detail", kwargs={"slug": REVIEW_SLUG}) == f"/reviews/{REVIEW_SLUG}/"
    assert reverse("api_review_list") == "/api/reviews/"
    response = client.get("/themes/")
    html = response.content.decode()
    assert '<html lang="en-GB">' in html and ">Home</a>" in html
    assert switch_link(html) == '<a href="/cy/themes/" lang="cy" hreflang="cy">Cymraeg</a>'
    assert alternates(html) == {"en": "/themes/", "x-default": "/themes/", "cy": "/cy/themes/"}
    assert response.headers["Content-Language"] == "en"
    # The language comes from the address alone, so the page never varies on the browser's.
    assert "Accept-Language" not in response.headers.get("Vary", "")


def test_machine_and_staff_addresses_have_no_welsh_twin(client):
    for url in ("/cy/api/reviews/", "/cy/admin/", "/cy/healthz", "/cy/sitemap.xml"):
        assert client.get(url).status_code == 404, url


def test_the_switch_keeps_the_query_the_page_reads_and_drops_the_rest(client):
    make_public_content()

    html = client.get("/reviews/?theme=voice-of-the-child&nation=england&junk=1").content.decode()

    assert 'href="/cy/reviews/?nation=england&amp;theme=voice-of-the-child"' in switch_link(html)


def test_paths_move_between_languages_by_their_prefix():
    assert path_in_language("/themes/", "cy") == "/cy/themes/"
    assert path_in_language("/cy/themes/", "en") == "/themes/"
    assert path_in_language("/cy/", "en") == "/"
    assert path_in_language("/", "cy") == "/cy/"
    assert path_in_language("/cy/themes/", "cy") == "/cy/themes/"


class TestPageCache:
    @pytest.fixture(autouse=True)
    def page_cache(self, settings, tmp_path):
        settings.PUBLIC_CACHE_SECONDS = 600
        settings.PUBLIC_CACHE_GENERATION_FILE = str(tmp_path / "generation")
        cache.clear()
        yield
        cache.clear()

    def test_a_stored_english_page_is_never_served_for_welsh_nor_the_other_way(self, client):
        make_public_content()

        english = client.get("/themes/")
        welsh_first = client.get("/cy/themes/")
        welsh_again = client.get("/cy/themes/")
        english_again = client.get("/themes/")

        assert english.headers["X-Cache"] == "miss" and welsh_first.headers["X-Cache"] == "miss"
        assert welsh_again.headers["X-Cache"] == "hit" and english_again.headers["X-Cache"] == "hit"
        assert '<html lang="cy">' in welsh_again.content.decode()
        assert '<html lang="en-GB">' in english_again.content.decode()

    def test_a_browser_asking_for_welsh_gets_the_english_page_at_english_addresses(self, client):
        make_public_content()
        client.get("/themes/")

        response = client.get(
            "/themes/", HTTP_ACCEPT_LANGUAGE="cy", HTTP_COOKIE="django_language=cy"
        )

        assert response.headers["X-Cache"] == "hit"
        assert '<html lang="en-GB">' in response.content.decode()

    def test_the_cache_key_names_the_language(self):
        factory = RequestFactory()
        middleware = PublicPageCacheMiddleware(lambda request: None)

        english = middleware.key_for(factory.get("/themes/"))
        welsh_key = middleware.key_for(factory.get("/cy/themes/"))

        assert ":en:" in english[1] and ":cy:" in welsh_key[1]


def test_welsh_dates_name_the_month_in_welsh(client):
    build_review(title="Baby Q", slug=REVIEW_SLUG, published_on=datetime.date(2026, 1, 2))

    english = client.get(f"/reviews/{REVIEW_SLUG}/").content.decode()
    html = client.get(welsh(f"/reviews/{REVIEW_SLUG}/")).content.decode()

    assert ">2 Ionawr 2026</time>" in html
    assert ">2 January 2026</time>" in english


def test_a_review_without_a_translation_says_so_in_welsh_and_marks_its_english(client):
    make_public_content()

    html = client.get(welsh(f"/reviews/{REVIEW_SLUG}/")).content.decode()
    english = client.get(f"/reviews/{REVIEW_SLUG}/").content.decode()

    assert "Nid yw'r adolygiad hwn ar gael yn Gymraeg eto." in html
    assert 'aria-label="Crynodeb o\'r achos" lang="en-GB"' in html
    assert ">Dysgu Allweddol<" in html and ">Cronoleg<" in html
    assert (
        "content-language-note" not in english
        and 'lang="en-GB">' not in english.split("<body", 1)[1]
    )


def test_the_stored_page_renders_in_the_language_it_is_asked_for():
    review = make_public_content()
    live = Review.objects.with_page_relations().get(slug=review.slug, is_live=True)

    english = review_page_render(review=live)
    welsh_body = review_page_render(review=live, language="cy")
    welsh_page = review_page_document(review=live, page_html=welsh_body, portal=None, language="cy")

    assert ">Key Learning<" in english and "content-language-note" not in english
    assert ">Dysgu Allweddol<" in welsh_body and "content-language-note" in welsh_body
    assert '<html lang="cy">' in welsh_page
    assert 'hreflang="en" href="/reviews/baby-q/"' in welsh_page
    assert translation.get_language() == "en"  # the override ends with the render


def test_not_found_gone_and_server_error_pages_are_welsh_under_cy(client, settings):
    make_public_content()

    missing = client.get("/cy/no-such-page/")
    assert missing.status_code == 404
    assert "Heb ddod o hyd i'r dudalen" in missing.content.decode()
    assert '<html lang="cy">' in missing.content.decode()
    assert "Page not found" in client.get("/no-such-page/").content.decode()

    from django.views.defaults import server_error

    with translation.override("cy"):
        error = server_error(RequestFactory().get("/cy/"))
    assert "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" in error.content.decode()
    assert '<html lang="cy">' in error.content.decode()


def test_the_too_many_requests_page_is_welsh_under_cy(client, settings):
    make_public_content()
    settings.PUBLIC_REQUESTS_PER_ADDRESS = 1
    settings.PUBLIC_REQUEST_WINDOW = 60
    cache.clear()

    client.get("/cy/themes/")
    response = client.get("/cy/themes/")

    assert response.status_code == 429
    assert "Arhoswch eiliad" in response.content.decode()
    assert "munud" in response.content.decode() or "eiliad" in response.content.decode()
    cache.clear()


def test_the_welsh_feed_has_welsh_words_and_welsh_addresses(client):
    make_public_content()

    feed = client.get("/cy/feeds/reviews/").content.decode()

    assert "Adolygiadau achos newydd" in feed
    assert 'xml:lang="cy"' in feed
    assert f"/cy/reviews/{REVIEW_SLUG}/" in feed


def test_the_sitemap_lists_both_languages_with_alternates(client):
    make_public_content()

    sitemap = client.get("/sitemap.xml").content.decode()

    assert f"/reviews/{REVIEW_SLUG}/</loc>" in sitemap
    assert f"/cy/reviews/{REVIEW_SLUG}/</loc>" in sitemap
    assert 'hreflang="cy"' in sitemap and 'hreflang="x-default"' in sitemap


def test_facet_labels_and_choices_follow_the_page_language(client):
    make_public_content()

    html = client.get("/cy/reviews/").content.decode()

    assert ">Gwlad</summary>" in html and ">Lloegr <span" in html
    assert "> adolygiad</span>)" in html  # the count's hidden noun
    assert "Lloegr" not in client.get("/reviews/").content.decode()


def test_a_welsh_pdf_is_stored_apart_from_the_english_one():
    from learning import pdf

    request = RequestFactory().get("/reviews/baby-q/briefing.pdf")
    english = pdf.cache_key(kind="briefing", request=request, parts=("baby-q", 1))
    with translation.override("cy"):
        welsh_key = pdf.cache_key(kind="briefing", request=request, parts=("baby-q", 1))

    assert english != welsh_key


def test_welsh_sheets_have_welsh_words_and_welsh_addresses(client):
    make_public_content()

    html = client.get(welsh(f"/reviews/{REVIEW_SLUG}/briefing/")).content.decode()

    assert "Briff 7 munud" in html and "Cwestiynau i fyfyrio arnynt" in html
    assert f"/cy/reviews/{REVIEW_SLUG}/briefing.pdf" in html
    assert f"/cy/reviews/{REVIEW_SLUG}/action-plan/" in html


def test_a_welsh_sheet_downloads_as_a_pdf_with_welsh_words(client):
    from io import BytesIO

    from pypdf import PdfReader

    make_public_content()

    response = client.get(welsh(f"/reviews/{REVIEW_SLUG}/action-plan.pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Cynllun gweithredu'r tîm" in text.replace("’", "'")
