"""Session packs: learning points a trainer gathers from any review or theme for one session.

A pack lives only in the visitor's session (no account, nothing in the database): a title
and an ordered list of learning points, each stored as its id plus its review's slug and
its own title. Publishing a review again replaces the rows of its live copy, so ids change;
the slug and title (unique within a review) find the same learning point again, so a pack
outlives republication. Everything that comes back from the session is
checked again, because session data outlives the learning points it names and may have
been written by older code: a pack that cannot be read is emptied with a message, and a
learning point that is no longer public is dropped with a notice. Nothing here raises on
bad input; every change returns the message to show.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from learning.selectors import learning_point_original_id
from reviews.models import LearningPoint

SESSION_KEY = "session_pack"
# A pack is for one session: twenty learning points are more than any session discusses,
# and keep its PDF to a few seconds' render. (Packs saved before the cap, up to fifty,
# are cut to the first twenty with a notice.)
MAX_LEARNING_POINTS = 20
MAX_STORED_LEARNING_POINTS = 50
MAX_TITLE_LENGTH = 120
DEFAULT_TITLE = gettext_lazy("Team learning session")

UNREADABLE_MESSAGE = gettext_lazy(
    "Your session pack could not be read, so it has been emptied. Add learning points again "
    "from review and theme pages."
)


MAX_REFERENCE_LENGTH = 200  # Review.slug and LearningPoint.title are at most 200 long


@dataclass
class PackItem:
    id: int
    review_slug: str
    title: str

    @classmethod
    def of(cls, learning_point: LearningPoint) -> "PackItem":
        return cls(learning_point.pk, learning_point.review.slug, learning_point.title)


@dataclass
class Pack:
    title: str = ""
    items: list[PackItem] = field(default_factory=list)

    @property
    def display_title(self) -> str:
        return self.title or str(DEFAULT_TITLE)

    @property
    def ids(self) -> list[int]:
        return [item.id for item in self.items]

    def index(self, learning_point_id: int) -> int:
        return self.ids.index(learning_point_id)

    def __len__(self) -> int:
        return len(self.items)


class PackError(ValueError):
    """Input a pack cannot take; the message is written for the trainer."""


def _clean(raw: object) -> Pack | None:
    """The pack stored in the session, or None if it is not a pack this code wrote."""
    if not isinstance(raw, dict) or set(raw) != {"title", "items"}:
        return None
    title, rows = raw["title"], raw["items"]
    if not isinstance(title, str) or len(title) > MAX_TITLE_LENGTH:
        return None
    if not isinstance(rows, list) or len(rows) > MAX_STORED_LEARNING_POINTS:
        return None
    items = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == 3):
            return None
        pk, slug, lp_title = row
        # bool is an int subclass; True is not a learning point.
        if type(pk) is not int or pk <= 0:
            return None
        if not all(
            isinstance(text, str) and 0 < len(text) <= MAX_REFERENCE_LENGTH
            for text in (slug, lp_title)
        ):
            return None
        items.append(PackItem(pk, slug, lp_title))
    if len({item.id for item in items}) != len(items):
        return None
    return Pack(title=title, items=items)


def pack_load(session) -> tuple[Pack, list[str]]:
    """The visitor's pack and any message about having had to empty it."""
    raw = session.get(SESSION_KEY)
    if raw is None:
        return Pack(), []
    pack = _clean(raw)
    if pack is None:
        pack_save(session, Pack())
        return Pack(), [str(UNREADABLE_MESSAGE)]
    return pack, []


def pack_save(session, pack: Pack) -> None:
    session[SESSION_KEY] = {
        "title": pack.title,
        "items": [[item.id, item.review_slug, item.title] for item in pack.items],
    }


def parse_learning_point_id(value: object) -> int:
    """A learning point id from a form, or PackError with a message for the trainer."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 18 or int(text) <= 0:
        raise PackError(_("That is not a learning point this portal knows."))
    return int(text)


def _public_learning_points(condition: Q) -> list[LearningPoint]:
    return list(
        LearningPoint.objects.published()
        .filter(condition)
        .select_related("review", "review__board")
        .prefetch_related("themes", "agencies", Prefetch("prompts"))
    )


def public_learning_points(ids: list[int]) -> dict[int, LearningPoint]:
    """The published learning points among `ids`, ready to render, by id."""
    return {lp.pk: lp for lp in _public_learning_points(Q(pk__in=ids))} if ids else {}


def public_learning_point_to_add(learning_point_id: int) -> LearningPoint:
    """The published learning point a trainer asked to add, ready to render: the one with
    that id, or the original of a Welsh page's learning point (a pack holds originals and
    prints them in the sheet's language). PackError if there is none."""
    found = public_learning_points([learning_point_id]).get(learning_point_id)
    if found is None:
        original = learning_point_original_id(pk=learning_point_id)
        found = public_learning_points([original]).get(original) if original else None
    if found is None:
        raise PackError(_("That learning point is not published, so it cannot go in a pack."))
    return found


def pack_add(pack: Pack, *, learning_point_id: int) -> str:
    """Adds a published learning point to the end of the pack; returns what happened."""
    found = public_learning_point_to_add(learning_point_id)
    learning_point_id = found.pk
    for item in pack.items:
        if item.id == learning_point_id or (item.review_slug, item.title) == (
            found.review.slug,
            found.title,
        ):
            item.id = learning_point_id  # the same point, perhaps since republished
            return _("“%(title)s” is already in your session pack.") % {"title": found.title}
    if len(pack.ids) >= MAX_LEARNING_POINTS:
        raise PackError(
            _(
                "A session pack holds at most %(count)d learning points. "
                "Remove one before adding another."
            )
            % {"count": MAX_LEARNING_POINTS}
        )
    pack.items.append(PackItem.of(found))
    return _("Added “%(title)s” to your session pack (%(count)s).") % {
        "title": found.title,
        "count": _count(pack),
    }


def pack_remove(pack: Pack, *, learning_point_id: int) -> str:
    if learning_point_id not in pack.ids:
        raise PackError(_("That learning point is not in your session pack."))
    del pack.items[pack.index(learning_point_id)]
    return _("Removed a learning point from your session pack (%(count)s).") % {
        "count": _count(pack)
    }


def pack_move(pack: Pack, *, learning_point_id: int, direction: str) -> str:
    """Moves a learning point one place up or down (the no-JavaScript way to reorder)."""
    if learning_point_id not in pack.ids:
        raise PackError(_("That learning point is not in your session pack."))
    if direction not in ("up", "down"):
        raise PackError(_("A learning point can only move up or down."))
    index = pack.index(learning_point_id)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(pack.items):
        if direction == "up":
            return _("That learning point is already at the top.")
        return _("That learning point is already at the bottom.")
    items = pack.items
    items[index], items[target] = items[target], items[index]
    return _("Moved “%(title)s” to number %(number)d of %(count)d.") % {
        "title": items[target].title,
        "number": target + 1,
        "count": len(items),
    }


def pack_set_title(pack: Pack, *, title: object) -> str:
    text = " ".join(str(title or "").split())
    if len(text) > MAX_TITLE_LENGTH:
        raise PackError(
            _("The session title can be at most %(count)d characters.")
            % {"count": MAX_TITLE_LENGTH}
        )
    pack.title = text
    return _("Session title saved.") if text else _("Session title cleared.")


def pack_resolve(pack: Pack) -> tuple[list[LearningPoint], list[str]]:
    """The pack's learning points in the trainer's order, dropping any no longer public.

    A learning point whose id is gone (its review was published again) is found again by
    its review's slug and its title. Returns the learning points and a notice about any
    dropped; the caller saves the pack so the notice is given once.
    """
    notices = []
    if len(pack.items) > MAX_LEARNING_POINTS:
        pack.items = pack.items[:MAX_LEARNING_POINTS]
        notices.append(
            _(
                "A session pack now holds at most %(count)d learning points, so yours keeps "
                "its first %(count)d."
            )
            % {"count": MAX_LEARNING_POINTS}
        )
    found = public_learning_points(pack.ids)
    missing = [item for item in pack.items if item.id not in found]
    if missing:
        wanted = reduce(or_, (Q(review__slug=i.review_slug, title=i.title) for i in missing))
        by_reference = {(lp.review.slug, lp.title): lp for lp in _public_learning_points(wanted)}
        for item in missing:
            again = by_reference.get((item.review_slug, item.title))
            if again is not None and again.pk not in found:
                item.id = again.pk
                found[again.pk] = again
    kept = [item for item in pack.items if item.id in found]
    if len(kept) != len(pack.items):
        count = len(pack.items) - len(kept)
        pack.items = kept
        notices.append(
            ngettext(
                "%(count)d learning point in your session pack is no longer published and "
                "has been removed.",
                "%(count)d learning points in your session pack are no longer published and "
                "have been removed.",
                count,
            )
            % {"count": count}
        )
    return [found[item.id] for item in pack.items], notices


def _count(pack: Pack) -> str:
    n = len(pack.items)
    return ngettext("%(count)d learning point", "%(count)d learning points", n) % {"count": n}


def pack_version(pack: Pack, learning_points: list[LearningPoint]) -> tuple:
    """What identifies a pack's printed content (for storing its PDF): the title with its
    spacing folded, and each learning point once, in the trainer's order (the order is
    printed, so it is part of the content), with its review's last change time. A
    translation's learning point shown in place of its original is counted as the original
    (`.original`); what identifies the translation is learning.selectors.translations_version.
    """
    seen: set[int] = set()
    shown = []
    for shown_point in learning_points[:MAX_LEARNING_POINTS]:
        learning_point = getattr(shown_point, "original", shown_point)
        if learning_point.pk not in seen:
            seen.add(learning_point.pk)
            shown.append(
                (learning_point.pk, learning_point.review_id, learning_point.review.updated_at)
            )
    return (" ".join(pack.display_title.split()), *shown)
