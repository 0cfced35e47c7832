"""Reading a review's stored protected names, which are only keyed digests.

How many a review has (and how many were made with a key the portal no longer has), and
matchers for them, one per key. Storing and clearing them are state changes, in
reviews/privacy/services.py.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import models

from reviews.models import Review
from reviews.models.privacy import ProtectedNameDigest
from reviews.privacy import scanner as privacy
from reviews.privacy.keys import NAMES_KEY_PURPOSE, keys_for


@dataclass(frozen=True)
class ProtectedNamesCount:
    usable: int
    unusable: int  # made with a secret key the portal no longer has: re-enter the names

    @property
    def total(self) -> int:
        return self.usable + self.unusable


def protected_names_count(*, review: Review) -> ProtectedNamesCount:
    """How many protected names a review has. Never which: only digests are stored."""
    known = {key_id for key_id, _ in keys_for(NAMES_KEY_PURPOSE)}
    usable = unusable = 0
    for key_id, count in (
        ProtectedNameDigest.objects.filter(review=review)
        .values("key_id")
        .annotate(count=models.Count("pk"))
        .values_list("key_id", "count")
    ):
        if key_id in known:
            usable += count
        else:
            unusable += count
    return ProtectedNamesCount(usable=usable, unusable=unusable)


def protected_names_matchers(*, review: Review | None) -> list[privacy.ProtectedNames]:
    """Matchers for a review's stored digests, one per key that made some of them."""
    if review is None or review.pk is None:
        return []
    keys = dict(keys_for(NAMES_KEY_PURPOSE))
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for digest, words, key_id in ProtectedNameDigest.objects.filter(review=review).values_list(
        "digest", "words", "key_id"
    ):
        groups[key_id].append((digest, words))
    return [
        privacy.ProtectedNames.from_digests(
            [digest for digest, _ in rows],
            key=keys[key_id],
            max_words=max(words for _, words in rows),
        )
        for key_id, rows in groups.items()
        if key_id in keys
    ]
