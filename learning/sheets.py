"""Printable sheets for team meetings, their PDFs, and trainers' session packs.

Each sheet is an ordinary HTML page (the accessible version, printable from the browser)
and a PDF rendered from that same page by `learning.pdf`. Review sheets are cached per
published version of the review; nothing here filters on status: every read goes through
the selectors, so drafts and withdrawn reviews have no sheets.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from learning import packs, pdf, selectors
from learning.returns import codes
from reviews.models import Review, Theme
from reviews.translations.names import current_language

# A theme sheet is for one team session: the newest learning points of the theme, with a
# link to the theme page for the rest. Ten give a facilitator a choice of what to discuss in
# an hour and keep the PDF to a few pages, however many reviews the theme gathers.
THEME_SHEET_LEARNING_POINTS = 10

REVIEW_SHEETS = {
    "discussion-sheet": "learning/sheets/discussion_sheet.html",
    "briefing": "learning/sheets/briefing.html",
    "action-plan": "learning/sheets/action_plan.html",
}


def pdf_download(request: HttpRequest, *, key: str, render, filename: str) -> HttpResponse:
    """The stored PDF as a download, or a page asking to try again in a moment when another
    request is still rendering it (see learning.pdf.stored_pdf)."""
    try:
        content = pdf.stored_pdf(key=key, request=request, render=render)
    except pdf.PdfBusy as busy:
        response = TemplateResponse(
            request, "learning/sheets/pdf_busy.html", {"message": busy.message}, status=503
        )
        response.headers["Retry-After"] = "10"
        response.headers["Cache-Control"] = "no-store"
        return response
    return pdf.pdf_response(content, filename=filename)


def _public_review(slug: str) -> Review:
    """The review a sheet at `slug` prints: in Welsh its published Welsh translation when it
    has one, else the published review (learning/selectors.py)."""
    try:
        return selectors.review_sheet_get_public(slug=slug, language=current_language())
    except Review.DoesNotExist as error:
        raise Http404("No published review has that address.") from error


def _public_theme(slug: str) -> Theme:
    try:
        return selectors.theme_get(slug=slug)
    except Theme.DoesNotExist as error:
        raise Http404("There is no theme at that address.") from error


def _sources(request: HttpRequest, learning_points: list) -> list[tuple[Review, str]]:
    """Each review the learning points come from, once, with its page's full address."""
    reviews = {lp.review_id: lp.review for lp in learning_points}
    return [(r, request.build_absolute_uri(r.get_absolute_url())) for r in reviews.values()]


def review_sheet_context(request: HttpRequest, review: Review, kind: str, *, slug: str) -> dict:
    """A review sheet's context. `review` may be the review's published translation; `slug`
    is the original's address, which every link and the use code name, in the page's
    language (/cy/reviews/<slug>/...), never the translation's own slug."""
    learning_points = list(review.learning_points.all())
    use_code = codes.review_use_code(
        review=review, kind=kind, learning_points=learning_points, slug=slug
    )
    review_url = reverse("reviews:detail", kwargs={"slug": slug})
    return {
        **codes.use_code_context(request, use_code),
        "review": review,
        # The language of the review's own words: the sheet's note and `lang` marks
        # (portal_i18n.content_lang) say when it is not the page's.
        "content_language": review.language or "en",
        "learning_points": learning_points,
        "key_events": [event for event in review.chronology_events.all() if event.is_key],
        "sheet_kind": kind,
        "review_url": review_url,
        "summary_url": request.build_absolute_uri(review_url),
        "pdf_url": reverse(f"reviews:{kind.replace('-', '_')}_pdf", kwargs={"slug": slug}),
        "action_plan_url": request.build_absolute_uri(
            reverse("reviews:action_plan", kwargs={"slug": slug})
        ),
    }


class ReviewSheetView(TemplateView):
    """A review's discussion sheet, 7-minute briefing or action plan, as a web page."""

    kind = "discussion-sheet"

    def get_template_names(self) -> list[str]:
        return [REVIEW_SHEETS[self.kind]]

    def get_context_data(self, **kwargs):
        slug = self.kwargs["slug"]
        review = _public_review(slug)
        return super().get_context_data(
            **review_sheet_context(self.request, review, self.kind, slug=slug), **kwargs
        )


class ReviewSheetPdfView(View):
    """The same sheet as a PDF, rendered once per published version of the review (and, in
    Welsh, of its Welsh translation; the key holds the language, learning/pdf.py)."""

    kind = "discussion-sheet"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        version = selectors.review_sheet_version_public(slug=slug, language=current_language())
        if version is None:
            raise Http404("No published review has that address.")
        key = pdf.cache_key(kind=self.kind, request=request, parts=(slug, *version))
        # The printed code is part of the content: a PDF names the code its content has.
        use_code = codes.use_code_cached(
            version_key=key,
            make=lambda: codes.review_use_code(
                review=(live := _public_review(slug)),
                kind=self.kind,
                learning_points=list(live.learning_points.all()),
                slug=slug,
            ),
        )
        key = pdf.cache_key(kind=self.kind, request=request, parts=(slug, *version, use_code.code))

        def render() -> bytes:
            review = _public_review(slug)
            return pdf.render_pdf(
                request=request,
                template_name=REVIEW_SHEETS[self.kind],
                context=review_sheet_context(request, review, self.kind, slug=slug),
            )

        return pdf_download(request, key=key, render=render, filename=f"{slug}-{self.kind}")


def _in_language(learning_points: list) -> list:
    """In Welsh, each learning point of a review with a published Welsh translation in its
    Welsh words; the others as they are (learning.selectors.learning_points_in_language)."""
    return selectors.learning_points_in_language(
        learning_points=learning_points, language=current_language()
    )


def theme_sheet_context(request: HttpRequest, theme: Theme) -> dict:
    learning_points, total = selectors.theme_sheet_learning_points(
        theme=theme, limit=THEME_SHEET_LEARNING_POINTS
    )
    learning_points = _in_language(learning_points)
    use_code = codes.theme_use_code(theme=theme, learning_points=learning_points)
    return {
        **codes.use_code_context(request, use_code),
        "theme": theme,
        "learning_points": learning_points,
        "more_learning_points": total - len(learning_points),
        "sources": _sources(request, learning_points),
        "sheet_kind": "theme-sheet",
        "theme_url": request.build_absolute_uri(theme.get_absolute_url()),
        "pdf_url": reverse("learning:theme_sheet_pdf", kwargs={"slug": theme.slug}),
    }


class ThemeSheetView(TemplateView):
    template_name = "learning/sheets/theme_sheet.html"

    def get_context_data(self, **kwargs):
        theme = _public_theme(self.kwargs["slug"])
        return super().get_context_data(**theme_sheet_context(self.request, theme), **kwargs)


class ThemeSheetPdfView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        theme = _public_theme(slug)
        version = selectors.theme_sheet_version(
            theme=theme, limit=THEME_SHEET_LEARNING_POINTS, language=current_language()
        )
        key = pdf.cache_key(kind="theme-sheet", request=request, parts=version)
        use_code = codes.use_code_cached(
            version_key=key,
            make=lambda: codes.theme_use_code(
                theme=theme,
                learning_points=_in_language(
                    selectors.theme_sheet_printed_prompts(
                        theme=theme, limit=THEME_SHEET_LEARNING_POINTS
                    )
                ),
            ),
        )
        key = pdf.cache_key(kind="theme-sheet", request=request, parts=(*version, use_code.code))

        def render() -> bytes:
            return pdf.render_pdf(
                request=request,
                template_name="learning/sheets/theme_sheet.html",
                context=theme_sheet_context(request, theme),
            )

        return pdf_download(
            request, key=key, render=render, filename=f"{theme.slug}-discussion-sheet"
        )


# Session packs -------------------------------------------------------------------------
# The pack is the visitor's own: never stored in a shared page cache.


def _load_pack(request: HttpRequest) -> packs.Pack:
    pack, problems = packs.pack_load(request.session)
    for problem in problems:
        messages.warning(request, problem)
    return pack


def _resolved_pack(request: HttpRequest, *, save: bool) -> tuple[packs.Pack, list, list[str]]:
    """The pack, its learning points (in Welsh, translated ones in their Welsh words, each
    keeping its original's id in `.original`) and notices about it."""
    pack, notices = packs.pack_load(request.session)
    learning_points, dropped = packs.pack_resolve(pack)
    learning_points = _in_language(learning_points)
    if save:
        packs.pack_save(request.session, pack)
    return pack, learning_points, notices + dropped


def _safe_next(request: HttpRequest, target: str) -> str:
    """`target` if it is an address on this site, else the pack page."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("packs:detail")


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the page the form was on when it is ours, else to the pack."""
    return HttpResponseRedirect(_safe_next(request, request.POST.get("next", "")))


@method_decorator(never_cache, name="dispatch")
class PackView(TemplateView):
    """The trainer's pack: order it, name the session, then print or download it."""

    template_name = "learning/sheets/pack.html"

    def get_context_data(self, **kwargs):
        pack, learning_points, notices = _resolved_pack(self.request, save=True)
        return super().get_context_data(
            pack=pack,
            learning_points=learning_points,
            notices=notices,
            max_learning_points=packs.MAX_LEARNING_POINTS,
            max_title_length=packs.MAX_TITLE_LENGTH,
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class PackChangeView(View):
    """One change to the pack, from a small POST form; always answers with a redirect."""

    action = "add"
    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponse:
        """Adding starts with a GET from a cached public page: confirm, then POST."""
        if self.action != "add":
            return self.http_method_not_allowed(request)
        try:
            learning_point_id = packs.parse_learning_point_id(request.GET.get("learning_point"))
            found = packs.public_learning_point_to_add(learning_point_id)
        except packs.PackError as error:
            messages.error(request, str(error))
            return redirect("packs:detail")
        pack = _load_pack(request)
        [shown] = selectors.learning_points_in_language(
            learning_points=[found], language=current_language()
        )
        context = {
            "learning_point": shown,
            "next": _safe_next(request, request.GET.get("next", "")),
            "pack_size": len(pack),
            "already": found.pk in pack.ids,
        }
        return TemplateResponse(request, "learning/sheets/pack_add.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        pack = _load_pack(request)
        try:
            message = self.change(pack, request.POST)
        except packs.PackError as error:
            messages.error(request, str(error))
        else:
            packs.pack_save(request.session, pack)
            messages.success(request, message)
        return _back(request) if self.action == "add" else redirect("packs:detail")

    def change(self, pack: packs.Pack, data) -> str:
        if self.action == "title":
            return packs.pack_set_title(pack, title=data.get("title"))
        if self.action == "clear":
            pack.items.clear()
            pack.title = ""
            return _("Your session pack is empty.")
        learning_point_id = packs.parse_learning_point_id(data.get("learning_point"))
        if self.action == "add":
            return packs.pack_add(pack, learning_point_id=learning_point_id)
        if self.action == "remove":
            return packs.pack_remove(pack, learning_point_id=learning_point_id)
        return packs.pack_move(
            pack, learning_point_id=learning_point_id, direction=data.get("direction", "")
        )


def pack_sheet_context(request: HttpRequest, pack: packs.Pack, learning_points: list) -> dict:
    use_code = codes.pack_use_code(
        request=request, title=pack.display_title, learning_points=learning_points
    )
    return {
        **codes.use_code_context(request, use_code),
        "pack": pack,
        "learning_points": learning_points,
        "sources": _sources(request, learning_points),
        "sheet_kind": "pack",
        "pdf_url": reverse("packs:pdf"),
    }


@method_decorator(never_cache, name="dispatch")
class PackSheetView(TemplateView):
    template_name = "learning/sheets/pack_sheet.html"

    def get_context_data(self, **kwargs):
        pack, learning_points, notices = _resolved_pack(self.request, save=True)
        return super().get_context_data(
            **pack_sheet_context(self.request, pack, learning_points), notices=notices, **kwargs
        )


@method_decorator(never_cache, name="dispatch")
class PackPdfView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        # Not saved: any notice about dropped learning points waits for the pack page.
        pack, learning_points, _notices = _resolved_pack(request, save=False)
        if not learning_points:
            messages.info(request, _("Add learning points to your pack before downloading it."))
            return redirect("packs:detail")
        use_code = codes.pack_use_code(
            request=request, title=pack.display_title, learning_points=learning_points
        )
        key = pdf.cache_key(
            kind="pack",
            request=request,
            parts=(
                *packs.pack_version(pack, learning_points),
                *selectors.translations_version(learning_points),
                use_code and use_code.code,
            ),
        )

        def render() -> bytes:
            return pdf.render_pdf(
                request=request,
                template_name="learning/sheets/pack_sheet.html",
                context=pack_sheet_context(request, pack, learning_points),
            )

        return pdf_download(request, key=key, render=render, filename=pack.display_title)
