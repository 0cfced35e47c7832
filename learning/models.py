"""The search index: what search reads, copied from published reviews (learning/discovery/).

Themes, learning points and prompts are part of the review record (reviews/models/).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from reviews.models import LearningPoint


class SearchEntry(models.Model):
    """One thing search can find: a published review or one of its learning points.

    Rows are written only by learning/discovery/index.py, from the live (published) copy of a
    review, when it is published. What a search may count or show is decided by the
    catalogue (learning/discovery/catalogue.py), read from Review.objects.published(), so a row left
    behind by a withdrawal can never show. Facet values are the review's, read there too.
    """

    class Kind(models.TextChoices):
        REVIEW = "review", "Review"
        LEARNING_POINT = "learning-point", "Learning point"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="search_entries"
    )
    learning_point = models.ForeignKey(
        LearningPoint, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text excerpts are cut from.")
    detail = models.TextField(blank=True, help_text="Plain text that is searched, weighted less.")
    published_on = models.DateField(null=True)
    # What a result shows and links to, copied like the text above (a renamed board, or a
    # review published again, is indexed again): read through joins, they cost a
    # millisecond of planning on every search page.
    review_slug = models.SlugField(max_length=200, default="")
    review_title = models.CharField(max_length=200, default="")
    board_name = models.CharField(max_length=200, default="")
    learning_point_position = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "search entries"
        indexes = [
            models.Index(fields=["kind", "-published_on"], name="search_entry_kind_date"),
        ]

    def __str__(self) -> str:
        return self.title


class SearchEntryWords(models.Model):
    """The stemmed, weighted words of one search entry (title A, body B, detail C), with a
    GIN index: what PostgreSQL's full-text search matches and ranks.

    Kept apart from the entry's text so the table a broad search visits row by row is
    narrow (measured in docs/search-and-api.md). PostgreSQL only; SQLite searches an FTS5
    table instead (migration 0003).
    """

    entry = models.OneToOneField(
        SearchEntry, primary_key=True, on_delete=models.CASCADE, related_name="words"
    )
    vector = SearchVectorField()

    class Meta:
        verbose_name_plural = "search entry words"
        indexes = [GinIndex(fields=["vector"], name="search_entry_words_gin")]

    def __str__(self) -> str:
        return f"Words of search entry {self.entry_id}"


class SearchEntryWordPairs(models.Model):
    """Every pair of stemmed words that stand side by side in one search entry, as lexemes
    ("inform share"), with a GIN index: it narrows a phrase search before PostgreSQL checks
    word positions.

    A phrase such as "information sharing" otherwise makes PostgreSQL check the positions in
    every entry holding both words (21,000 of 60,000 at 10,000 reviews, for 3,500 matches).
    Derived from the entry's vector by learning/discovery/index.py. PostgreSQL only.
    """

    entry = models.OneToOneField(
        SearchEntry, primary_key=True, on_delete=models.CASCADE, related_name="word_pairs"
    )
    pairs = SearchVectorField()

    class Meta:
        verbose_name_plural = "search entry word pairs"
        indexes = [GinIndex(fields=["pairs"], name="search_entry_pairs_gin")]

    def __str__(self) -> str:
        return f"Word pairs of search entry {self.entry_id}"


class SearchWord(models.Model):
    """Which search entries hold a stemmed word: one row per lexeme of an entry's vector.

    Keyed (word, entry), so a word's entries are one range of the primary key, read from the
    index alone. The GIN index finds matches as row addresses, and turning them into entry
    ids visits a page of the words table for nearly every match: 3,700 pages for the 7,000
    entries that say "neglect" at 10,000 reviews (10 ms); this table reads them in 30 index
    pages (2 ms). Derived from SearchEntryWords by learning/discovery/index.py, which also
    deletes an entry's rows with it (no database constraint: a constraint's cascade would
    need a second index on entry). PostgreSQL only.
    """

    pk = models.CompositePrimaryKey("word", "entry")
    word = models.TextField()
    entry = models.ForeignKey(
        SearchEntry,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.word} in search entry {self.entry_id}"
