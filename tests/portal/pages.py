"""Every public page type, by URL name, for the header, HTML and browser checks.

Page types other issues add (search, sheets, packs) are listed by the URL names they are
expected to have; a test skips, saying which, while none of the names resolves yet.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from portal.models import PortalSettings
from reviews.glossary.services import glossary_terms_load
from reviews.models import Review
from tests.factories import build_review

REVIEW_SLUG = "baby-q"
THEME_SLUG = "voice-of-the-child"

# (page type, candidate URL names, what the URL needs: None, "review" or "theme")
PAGE_TYPES = [
    ("home", ["home"], None),
    ("review list", ["reviews:list"], None),
    ("review", ["reviews:detail"], "review"),
    ("themes", ["learning:theme_list"], None),
    ("theme", ["learning:theme_detail"], "theme"),
    ("search", ["search", "reviews:search", "search:results", "search:search"], None),
    ("search results", ["search"], "query"),
    ("filtered review list", ["reviews:list"], "facets"),
    ("discussion sheet", ["reviews:discussion_sheet"], "review"),
    ("briefing", ["reviews:briefing"], "review"),
    ("action plan", ["reviews:action_plan"], "review"),
    ("theme sheet", ["learning:theme_sheet"], "theme"),
    ("pack", ["packs:detail"], None),
    ("pack sheet", ["packs:sheet"], None),
    ("accessibility statement", ["accessibility"], None),
    ("privacy notice", ["privacy"], None),
    ("use code box", ["returns:start"], None),
    ("return form", ["returns:use"], "use-code"),
    ("subscribe", ["subscriptions:subscribe"], None),
    ("glossary", ["glossary"], None),
]
PAGE_IDS = [page[0] for page in PAGE_TYPES]


def page_url(names: list[str], needs: str | None) -> str:
    """The address of a page type, or a skip naming the URL names that do not exist yet."""
    kwargs = {"review": {"slug": REVIEW_SLUG}, "theme": {"slug": THEME_SLUG}}.get(needs, {})
    if needs == "use-code":
        kwargs = {"code": review_use_code(REVIEW_SLUG).code}
    # Results pages: a search that finds the demo content, a list narrowed by two facets.
    query = {"query": "?q=learning", "facets": f"?theme={THEME_SLUG}&nation=england"}
    for name in names:
        try:
            return reverse(name, kwargs=kwargs) + query.get(needs, "")
        except NoReverseMatch:
            continue
    pytest.skip(f"no URL named {' or '.join(names)} yet (another issue adds this page)")


def review_use_code(slug: str):
    """The use code of a published review's discussion sheet (made as printing makes it)."""
    from learning.returns.codes import review_use_code

    live = Review.objects.published().get(slug=slug)
    return review_use_code(
        review=live,
        kind="discussion-sheet",
        learning_points=list(live.learning_points.prefetch_related("prompts")),
    )


def make_public_content() -> Review:
    """A published review with every kind of child row, and the board's statutory texts."""
    portal = PortalSettings.load()
    portal.accessibility_statement = "This portal aims to meet **WCAG 2.2 AA**."
    portal.privacy_notice = "We keep server logs for 30 days."
    portal.save()
    # Glossary terms the review uses, so every page that marks them is checked with them.
    glossary_terms_load(entries=GLOSSARY)
    return build_review(
        title="Baby Q",
        slug=REVIEW_SLUG,
        events=3,
        learning_points=2,
        plain_summary="Baby Q was hurt at home. The GP and the HV did not share their worries.",
        summary="The child was found injured at home and taken to A&E. The GP was told.",
    )


GLOSSARY = [
    ("GP", "General practitioner, a family doctor."),
    ("HV", "Health visitor, a nurse who visits families with young children."),
    ("A&E", "Accident and emergency, the hospital department for urgent care."),
]


def make_gone_review() -> Review:
    """A review that was published and has been withdrawn: its address answers 410."""
    return withdraw(build_review(title="Child W", slug="child-w", events=1, learning_points=1))


def withdraw(review: Review) -> Review:
    from reviews.publishing.services import review_withdraw

    admin = get_user_model().objects.create_superuser("withdrawer", "w@example.org", "x" * 20)
    review_withdraw(
        review=review, user=admin, reason="Test", public_notice="Withdrawn at the family's request."
    )
    return review
