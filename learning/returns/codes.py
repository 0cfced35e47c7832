"""Use codes: the short code and QR code on every printed sheet, back to /use/<code>/.

A code stands for exactly what was printed (`UseCode.snapshot`), so the return form can
list the sheet's prompts with the numbers the team saw, however the review has changed
since. Codes are made when a sheet is shown, one per distinct content (`digest`): showing,
printing or downloading the same content again finds the same code, so an anonymous
visitor can make no more codes than there are versions of public content. Session packs
are the visitor's own content; a new pack code counts against the address
(PACK_CODES_PER_ADDRESS per PACK_CODE_WINDOW) on top of the pack's own cap of learning
points.
"""

import datetime
import hashlib
import json
import secrets

import segno
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from learning.returns.models import CODE_ALPHABET, CODE_LENGTH, UseCode
from portal.ratelimit import client_ip, rate_limit_exceeded, rate_limit_hit
from reviews.models import Review, Theme

# A sheet's kind (learning/sheets.py) to the kind of thing its code names.
SHEET_KINDS = {
    "discussion-sheet": UseCode.Kind.DISCUSSION_SHEET,
    "briefing": UseCode.Kind.BRIEFING,
    "action-plan": UseCode.Kind.ACTION_PLAN_FORM,
    "theme-sheet": UseCode.Kind.THEME_SHEET,
    "pack": UseCode.Kind.SESSION_PACK,
}
# Anything typed in a code box beyond this is not a code.
MAX_TYPED_CODE = 40
SEPARATORS = str.maketrans("", "", " -–—_.\t\r\n")


def code_normalise(raw: object) -> str | None:
    """The code a person typed, in canonical form (K7Q4M9XT), or None if it cannot be one.

    Case, spaces and dashes do not matter; letters the alphabet leaves out (0, O, 1, I, L,
    U) are refused rather than guessed at.
    """
    text = str(raw or "")[:MAX_TYPED_CODE].translate(SEPARATORS).upper()
    if len(text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        return None
    return text


def code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _digest(kind: str, review_id: int | None, version: int | None, snapshot: dict) -> str:
    raw = json.dumps([kind, review_id, version, snapshot], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def use_code_get_or_create(
    *,
    kind: str,
    snapshot: dict,
    review: Review | None = None,
    review_version: int | None = None,
    theme: Theme | None = None,
    printed_at: datetime.datetime | None = None,
) -> UseCode:
    """The code of this printed content, made the first time it is printed.

    `review` is the working copy (it outlives every publish). Safe when two requests print
    the same content at once: one insert wins, the other reads it. `printed_at` backdates a
    new code (the demo data's returns are months old); sheets never pass it.
    """
    digest = _digest(kind, review.pk if review else None, review_version, snapshot)
    found = UseCode.objects.filter(digest=digest).first()
    if found is not None:
        return found
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return UseCode.objects.create(
                    code=_new_code(),
                    kind=kind,
                    review=review,
                    review_version=review_version,
                    theme=theme,
                    snapshot=snapshot,
                    digest=digest,
                    created_at=printed_at or timezone.now(),
                )
        except IntegrityError:
            found = UseCode.objects.filter(digest=digest).first()
            if found is not None:
                return found
            # Otherwise the random code was taken (1 in 10^11 a try): draw again.
    raise RuntimeError("Could not find a free use code.")


def _learning_point_entry(number: int, learning_point, *, with_review: bool) -> dict:
    entry = {
        "number": number,
        "title": learning_point.title,
        "prompts": [
            {"number": f"{number}.{index}", "text": prompt.question}
            for index, prompt in enumerate(learning_point.prompts.all(), start=1)
        ],
    }
    if with_review:
        entry["review_title"] = learning_point.review.title
        # A translation's learning point (learning.selectors.learning_points_in_language)
        # names its original's address, never the translation's own slug.
        entry["review_slug"] = _original(learning_point).review.slug
    return entry


def _original(learning_point):
    """The learning point a shown one stands for: itself, or for a translation's learning
    point shown in its place, the original (learning.selectors.learning_points_in_language)."""
    return getattr(learning_point, "original", learning_point)


def _language_of(learning_points) -> dict:
    """`{"language": ...}` for a snapshot of learning points of which some were printed in a
    translation's words (as a translated review sheet records), else nothing: a sheet with
    no translated learning point prints what the English one does, and shares its code."""
    for learning_point in learning_points:
        if hasattr(learning_point, "original"):
            return {"language": learning_point.review.language}
    return {}


def snapshot_for(*, title: str, learning_points, with_review: bool, **extra) -> dict:
    """What a sheet prints, numbered as the sheet numbers it: learning point 1, 2...; prompt
    2.1 is the first question of learning point 2."""
    return {
        "title": title,
        **extra,
        "learning_points": [
            _learning_point_entry(number, lp, with_review=with_review)
            for number, lp in enumerate(learning_points, start=1)
        ],
    }


def review_use_code(
    *,
    review: Review,
    kind: str,
    learning_points,
    printed_at: datetime.datetime | None = None,
    slug: str | None = None,
) -> UseCode:
    """The code of one of a published review's sheets; `review` is its live copy.

    A published translation's sheet (in Welsh, its words) names its original: the code is
    the original's (its working copy), so returns count towards the original's reach as on
    its page (learning/returns/reach.py), and the snapshot holds the original's address
    (`slug`, the address the sheet was printed from; found from the review if not given)
    and the printed words' language; `review_version` is the printed copy's own version.
    """
    extra = {"language": review.language} if review.translation_of_id else {}
    snapshot = snapshot_for(
        title=review.title,
        slug=slug or review.original_slug,
        board=review.board.name,
        learning_points=learning_points,
        with_review=False,
        **extra,
    )
    original = review.translation_of_id or review.working_copy_id
    working_copy = Review(pk=original) if original else review
    return use_code_get_or_create(
        kind=SHEET_KINDS[kind],
        snapshot=snapshot,
        review=working_copy,
        review_version=review.version,
        printed_at=printed_at,
    )


def theme_use_code(*, theme: Theme, learning_points) -> UseCode:
    snapshot = snapshot_for(
        title=theme.name,
        slug=theme.slug,
        learning_points=learning_points,
        with_review=True,
        **_language_of(learning_points),
    )
    return use_code_get_or_create(kind=UseCode.Kind.THEME_SHEET, snapshot=snapshot, theme=theme)


def pack_use_code(*, request: HttpRequest, title: str, learning_points) -> UseCode | None:
    """The code of a session pack, or None when this address has made too many new pack
    codes lately (the sheet then prints without one)."""
    if not learning_points:
        return None
    snapshot = snapshot_for(
        title=title,
        learning_points=learning_points,
        with_review=True,
        **_language_of(learning_points),
    )
    # A pack drawn from one review is reported with that review (the original, also when
    # the pack printed its translation's words).
    reviews = {_original(lp).review.working_copy_id for lp in learning_points}
    review = Review(pk=reviews.pop()) if len(reviews) == 1 and None not in reviews else None
    kind = UseCode.Kind.SESSION_PACK
    digest = _digest(kind, review.pk if review else None, None, snapshot)
    found = UseCode.objects.filter(digest=digest).first()
    if found is not None:
        return found
    limit = {
        "scope": "pack-use-code",
        "identity": client_ip(request),
        "limit": settings.PACK_CODES_PER_ADDRESS,
        "window": settings.PACK_CODE_WINDOW,
    }
    if rate_limit_exceeded(**limit):
        return None
    rate_limit_hit(**limit)
    return use_code_get_or_create(kind=kind, snapshot=snapshot, review=review)


def use_code_cached(*, version_key: str, make) -> UseCode:
    """The code for a PDF's content version, remembered under the PDF's version key so a
    download of a stored PDF does not build the sheet's snapshot again."""
    key = f"use-code:{version_key}"
    code = cache.get(key)
    if code:
        found = UseCode.objects.filter(code=code).first()
        if found is not None:
            return found
    found = make()
    cache.set(key, found.code, timeout=24 * 60 * 60)
    return found


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data URI: an <img> the CSP allows (img-src data:) and
    WeasyPrint draws in the PDF, with no inline style."""
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def use_code_context(request: HttpRequest, use_code: UseCode | None) -> dict:
    """What a sheet needs to print its way back: the code, its address and the QR code."""
    if use_code is None:
        return {"use_code": None}
    url = request.build_absolute_uri(reverse("returns:use", kwargs={"code": use_code.code}))
    return {
        "use_code": use_code,
        "use_code_display": code_display(use_code.code),
        "use_url": url,
        "use_base_url": request.build_absolute_uri(reverse("returns:start")),
        "use_qr": qr_data_uri(url),
    }
