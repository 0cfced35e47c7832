"""How reviews are read: `published()`, the one rule of what the public may see, and the
other sets the portal asks for (gone, originals, working copies, a page's relations)."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReviewQuerySet(models.QuerySet):
    def published(
        self, *, now: datetime.datetime | None = None, translations: bool | None = False
    ) -> "ReviewQuerySet":
        """Reviews the public may see. Every public page, feed and API reads through this,
        and so does the workflow when it asks whether one review is public.

        Only live copies (made by publishing, see docs/publishing.md) whose go-live time has
        passed and whose "keep published until" date has not; a scheduled review appears
        the moment its time comes, with no background job.

        Translations (a Welsh translation is a review of its own, `translation_of` its
        original) are not reviews of their own to list, count, feed or serve: they are left
        out unless `translations=True`, which gives the published translations only (the
        Welsh page and the Welsh search entries read them; docs/welsh-translations.md), or
        `translations=None`, which gives both.
        """
        now = now or timezone.now()
        public = self.filter(is_live=True, status=self.model.Status.PUBLISHED, go_live_at__lte=now)
        if translations is not None:
            public = public.filter(translation_of__isnull=not translations)
        return public.exclude(keep_published_until__lt=timezone.localdate(now))

    def gone(self) -> "ReviewQuerySet":
        """Reviews that were public and no longer are: their address answers 410, not 404."""
        now = timezone.now()
        return self.filter(is_live=True, go_live_at__lte=now, translation_of__isnull=True).filter(
            Q(status=self.model.Status.WITHDRAWN)
            | Q(keep_published_until__lt=timezone.localdate(now))
        )

    def originals(self) -> "ReviewQuerySet":
        """Reviews that are not a translation of another."""
        return self.filter(translation_of__isnull=True)

    def working_copies(self) -> "ReviewQuerySet":
        """The reviews staff edit; the admin never shows live copies."""
        return self.filter(is_live=False)

    def with_page_relations(self) -> "ReviewQuerySet":
        """Everything the case summary page shows, in a fixed number of queries."""

        # The row models are defined beside this one (reviews/models/), which import it.
        def rows(name: str) -> type[models.Model]:
            return self.model._meta.get_field(name).related_model

        return self.select_related("board", "review_type").prefetch_related(
            "agencies",
            models.Prefetch(
                "chronology_events",
                queryset=rows("chronology_events").objects.prefetch_related("agencies"),
            ),
            "findings",
            models.Prefetch(
                "recommendations",
                queryset=rows("recommendations").objects.prefetch_related("agencies"),
            ),
            models.Prefetch(
                "learning_points",
                queryset=rows("learning_points").objects.prefetch_related(
                    "themes", "agencies", "prompts"
                ),
            ),
        )
