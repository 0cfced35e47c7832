"""Synthetic published reviews at national scale, for benchmarks and trying out search.

    python manage.py generate_reviews --count 10000 --seed 1

Every review is invented (pseudonyms like "Child G-4821", boards of made-up counties) but
shaped like a real one: a case summary, 4-14 chronology events, findings, recommendations
and 2-8 learning points with themes, agencies and discussion prompts, in the board's
vocabulary, so that search, facets and the API have realistic work to do. The same seed
gives the same reviews.

Each review is written as a review document and imported through the import service, in
batches, exactly as a board's back catalogue is (`import_reviews --keep-status`): the same
checks, revisions, audit entries, stored pages and search entries as real content, and no
second way of writing a review. The load ends by refreshing the planner's statistics.
"""

import datetime
import random
import re
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.db import database_analyse
from reviews.documents.format import (
    ChildDoc,
    ChronologyEventDoc,
    FindingDoc,
    LearningPointDoc,
    RecommendationDoc,
    ReviewDocument,
)
from reviews.documents.importing import review_documents_import
from reviews.documents.writing import render_document
from reviews.management.generated_vocabulary import (
    ACTIONS,
    AGENCIES,
    CARERS,
    CASE_CONCERNS,
    CONCERNS,
    EVENT_SENTENCES,
    FINDING_SENTENCES,
    LEARNING_SENTENCES,
    LEARNING_TITLES,
    METHODOLOGIES,
    PLACES,
    PROMPTS,
    ROLES,
)
from reviews.models import Review, ReviewType, Theme

NATIONS = ["england", "wales", "scotland", "northern-ireland"]
SEXES = ["male", "female", "not-stated"]
OUTCOMES = ["died", "serious-harm"]
KEYWORDS = ["neglect", "SUDI", "bruising", "DA", "CSE", "housing"]
PARAGRAPH_POOL = 1000
PLACEHOLDER = re.compile(r"\{(agency|carer|concern)\}")


class Writer:
    """Plain-sentence paragraphs in a review's register, from a fixed pool per kind of text,
    with each review's own cast (agencies, carers, concerns) filled in."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pools: dict[str, list[str]] = {}

    def case(self, agencies: list[str]) -> dict[str, list[str]]:
        """One review's cast: the agencies involved, one or two carers, a few concerns."""
        return {
            "agency": [ROLES.get(name, name.lower()) for name in agencies],
            "carer": self.rng.sample(CARERS, self.rng.randint(1, 2)),
            "concern": self.rng.sample(CONCERNS, self.rng.randint(*CASE_CONCERNS)),
        }

    def sentence(self, templates: list[str], case: dict[str, list[str]] | None = None) -> str:
        fill = {"action": self.rng.choice(ACTIONS)}
        for name in ("agency", "carer", "concern"):
            fill[name] = "{" + name + "}" if case is None else self.rng.choice(case[name])
        text = self.rng.choice(templates).format(**fill)
        return text[0].upper() + text[1:]

    def text(self, kind: str, templates: list[str], paragraphs: int, case) -> str:
        if kind not in self.pools:
            self.pools[kind] = [
                " ".join(self.sentence(templates) for _ in range(self.rng.randint(1, 4)))
                for _ in range(PARAGRAPH_POOL)
            ]
        chosen = [self.rng.choice(self.pools[kind]) for _ in range(paragraphs)]
        text = "\n\n".join(chosen)
        return PLACEHOLDER.sub(lambda match: self.rng.choice(case[match.group(1)]), text)


def review_document(
    rng: random.Random, writer: Writer, *, number: int, slug: str, themes, types, boards
) -> ReviewDocument:
    """One invented published review, as the document a board would import."""
    months = rng.choice([rng.randint(0, 11)] * 3 + [rng.randint(12, 215), 220])
    published_on = timezone.localdate() - datetime.timedelta(days=rng.randint(1, 365 * 12))
    involved = rng.sample(AGENCIES, rng.randint(3, 8))
    case = writer.case(involved)
    letter = chr(65 + number % 26)
    ages = sorted(rng.randint(-6, max(months, 1)) for _ in range(rng.randint(4, 14)))
    return ReviewDocument(
        title=f"Child {letter}-{number}",
        slug=slug,
        review_type=rng.choice(types),
        board=rng.choice(boards),
        nation=rng.choices(NATIONS, [8, 2, 1, 1])[0],
        status="published",
        published_on=published_on,
        methodology=rng.choice(METHODOLOGIES),
        review_period=f"{rng.randint(6, 48)} months",
        agencies=involved,
        keywords=rng.sample(KEYWORDS, 2),
        child=ChildDoc(
            pseudonym=f"Child {letter}",
            sex=rng.choice(SEXES),
            age_at_incident=f"{months // 12} years" if months >= 12 else f"{months} months",
            age_months=months,
            outcome=rng.choice(OUTCOMES),
        ),
        case_summary=writer.text("summary", EVENT_SENTENCES, rng.randint(2, 6), case),
        chronology=[
            ChronologyEventDoc(
                when=f"At {age} months" if age >= 0 else "Before the birth",
                age_months=age,
                event=writer.text("event", EVENT_SENTENCES, rng.randint(1, 2), case),
                key=rng.random() < 0.2,
                agencies=rng.sample(involved, rng.randint(1, 3)),
            )
            for age in ages
        ],
        analysis=[
            FindingDoc(text=writer.text("finding", FINDING_SENTENCES, rng.randint(1, 3), case))
            for _ in range(rng.randint(2, 6))
        ],
        recommendations=[
            RecommendationDoc(
                text=writer.text("finding", FINDING_SENTENCES, 1, case),
                agencies=rng.sample(involved, 2),
            )
            for _ in range(rng.randint(1, 5))
        ],
        learning=[
            LearningPointDoc(
                title=title,
                body=writer.text("learning", LEARNING_SENTENCES, rng.randint(1, 3), case),
                themes=rng.sample(themes, rng.randint(1, 3)),
                agencies=rng.sample(involved, rng.randint(0, 2)),
                prompts=[writer.sentence(PROMPTS, case) for _ in range(rng.randint(1, 3))],
            )
            for title in rng.sample(LEARNING_TITLES, rng.randint(2, 8))
        ],
    )


class Command(BaseCommand):
    help = "Create realistic synthetic published reviews (for benchmarks and demos)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100, help="How many reviews.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same reviews.")
        parser.add_argument("--batch", type=int, default=250, help="Reviews per import.")

    def handle(self, *args, count: int, seed: int, batch: int, **options):
        if not 1 <= count <= 100_000:
            raise CommandError("--count must be between 1 and 100000.")
        if not 1 <= batch <= 1000:
            raise CommandError("--batch must be between 1 and 1000.")
        prefix = f"generated-{seed}-"
        if Review.objects.filter(slug__startswith=prefix).exists():
            raise CommandError(
                f"Reviews from seed {seed} are already here (slugs {prefix}...). "
                "Use another --seed, or delete them first."
            )
        themes = list(Theme.objects.values_list("slug", flat=True))
        types = list(ReviewType.objects.values_list("slug", flat=True))
        if not themes or not types:
            raise CommandError("Run the migrations first: review types and themes are missing.")
        boards = [f"{place} Safeguarding Children Partnership" for place in PLACES]
        started = time.perf_counter()
        rng = random.Random(seed)  # noqa: S311 - invented data, not secrets
        writer = Writer(rng)
        for start in range(0, count, batch):
            sources = []
            for number in range(start + 1, min(start + batch, count) + 1):
                doc = review_document(
                    rng,
                    writer,
                    number=number,
                    slug=f"{prefix}{number}",
                    themes=themes,
                    types=types,
                    boards=boards,
                )
                sources.append((doc.filename, render_document(doc).encode()))
            review_documents_import(sources=sources, keep_status=True, run_by="generate_reviews")
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"  {start + len(sources)} reviews")
        database_analyse()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Created {count} published reviews in {seconds:.1f} s.")
        )
