"""Synthetic published reviews at national scale, for benchmarks and trying out search.

    python manage.py generate_reviews --count 10000 --seed 1

Every review is invented (pseudonyms like "Child G-4821", boards of made-up counties) but
shaped like a real one: a case summary, 4-14 chronology events, findings, recommendations
and 2-8 learning points with themes, agencies and discussion prompts, in the board's
vocabulary, so that search, facets and the API have realistic work to do. The same seed
gives the same reviews. Rows are written in bulk, then published the way a document import
does (a working copy plus its live copy), then indexed for search.
"""

import datetime
import random
import re
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from learning.discovery.index import search_index_rebuild
from portal.cache import public_cache_invalidate
from portal.markdown import render_markdown
from reviews.models import (
    Agency,
    AnalysisFinding,
    Board,
    ChronologyEvent,
    DiscussionPrompt,
    LearningPoint,
    Recommendation,
    Review,
    ReviewType,
    Theme,
)

AGENCIES = [
    "Health visiting",
    "Midwifery",
    "GP",
    "Children's social care",
    "Police",
    "School",
    "Early help",
    "Emergency department",
    "Adult mental health",
    "Substance misuse service",
    "Housing",
    "Probation",
    "Nursery",
    "Paediatrics",
    "Ambulance service",
    "Child and adolescent mental health",
]
# How a review's sentences name someone from each agency ("the health visitor noted").
ROLES = {
    "Health visiting": "health visitor",
    "Midwifery": "midwife",
    "GP": "GP",
    "Children's social care": "social worker",
    "Police": "police",
    "School": "school",
    "Early help": "early help worker",
    "Emergency department": "emergency department",
    "Adult mental health": "mental health nurse",
    "Substance misuse service": "drug and alcohol worker",
    "Housing": "housing officer",
    "Probation": "probation officer",
    "Nursery": "nursery",
    "Paediatrics": "paediatrician",
    "Ambulance service": "ambulance crew",
    "Child and adolescent mental health": "CAMHS practitioner",
}
PLACES = [
    "Northshire", "Eastmoor", "Westvale", "Southbridge", "Highfield", "Lowmarsh", "Kingsford",
    "Ashby", "Brookdale", "Carrow", "Dunmere", "Elmstead", "Fairport", "Greywater", "Holloway",
    "Ironbridge", "Juniper Bay", "Kestrel", "Larkhill", "Millbrook", "Newhaven", "Oakridge",
    "Pinehurst", "Queensmead", "Redcliffe", "Stonegate", "Thornbury", "Upperton", "Valemouth",
    "Whitecross", "Yarrow", "Zennor Vale", "Cwm Derwen", "Glenbrae", "Loughmore", "Strathcarn",
]  # fmt: skip
CARERS = ["mother", "father", "mother's partner", "grandmother", "stepfather", "foster carer"]
CONCERNS = [
    "bruising to the baby's face",
    "domestic abuse between the parents",
    "the mother's low mood after the birth",
    "the father's heavy drinking",
    "missed health appointments",
    "the child's poor school attendance",
    "unsafe sleeping arrangements",
    "cannabis use in the home",
    "the family's frequent moves between addresses",
    "the child going missing overnight",
    "a disclosure the child made to a teacher",
    "self-harm disclosed to the school nurse",
    "the baby's weight falling across centiles",
    "coercive control by the mother's partner",
    "the child being seen with older men",
    "a head injury the parents could not explain",
    "a scald to the toddler's hand",
    "the baby sleeping on a sofa with a parent who had been drinking",
    "the parents' learning disability",
    "the home's poor conditions and lack of food",
    "the child's weight loss and untreated tooth decay",
    "the young person carrying a knife",
    "county lines drug dealing",
    "online grooming through a gaming site",
    "the child being taken out of school for home education",
    "the father's history of violence in earlier relationships",
    "the mother's fear of losing her children to care",
    "a private fostering arrangement nobody had assessed",
    "the young person's suicidal thoughts",
    "the child's caring role for a disabled parent",
    "bullying at school",
    "the baby's repeated visits to the emergency department",
    "a dog in the home that had bitten before",
    "the mother's heroin use during pregnancy",
    "the family having no recourse to public funds",
    "the child's autism and delayed speech",
]
# Each review is about one case: its text returns to a few of these concerns, its own
# carers and the agencies involved, as a real review does, rather than touching them all.
CASE_CONCERNS = (2, 4)
ACTIONS = [
    "made a referral to children's social care",
    "shared the concern with the GP",
    "completed an early help assessment",
    "held a strategy discussion",
    "visited the family at home",
    "closed the case after a single assessment",
    "offered parenting support, which was declined",
    "recorded the incident but did not share it",
    "escalated the concern to a manager",
    "spoke to the child alone",
]
EVENT_SENTENCES = [
    "The {agency} {action}.",
    "The {carer} told the {agency} about {concern}.",
    "At a routine contact the {agency} noted {concern}.",
    "The {agency} was not told about {concern}.",
    "A referral about {concern} did not reach the threshold for assessment.",
    "The {carer} did not attend the appointment with the {agency}.",
    "The {agency} saw the child with the {carer}; nobody asked about {concern}.",
]
FINDING_SENTENCES = [
    "Practitioners did not hear the voice of the child, who was rarely seen alone.",
    "Information about {concern} was held by the {agency} but not shared.",
    "The {carer} was not assessed, although he was part of the household.",
    "Professional curiosity about {concern} would have changed the plan.",
    "Each agency saw part of the picture; no one saw all of it.",
    "Assessments focused on the {carer}'s account and did not test it.",
    "Management oversight of the case was limited and supervision was not recorded.",
    "Thresholds were applied to each referral alone rather than to the history.",
    "The family's disguised compliance was not recognised as a pattern.",
    "Escalation between agencies did not happen when the plan was not working.",
]
LEARNING_TITLES = [
    "Listening to the child",
    "Seeing the men in a child's life",
    "Safe sleep conversations at every contact",
    "Sharing information early",
    "Curiosity about explanations for injuries",
    "Assessing the whole household",
    "Recognising disguised compliance",
    "Escalating when the plan is not working",
    "Thinking about the history, not the incident",
    "Supporting parents with their mental health",
    "Bruising in babies who are not mobile",
    "Working with interpreters",
    "Children missing from education",
    "Exploitation outside the home",
    "Transition from children's to adult services",
]
LEARNING_SENTENCES = [
    "When {concern} is reported, ask what it means for the child today.",
    "The {agency} should record who lives in the household and who visits.",
    "Speak to the child on their own and write down their words.",
    "Check what other agencies know before closing a case.",
    "A missed appointment is information: follow it up with the {carer}.",
    "Use the escalation policy when you disagree with a decision about {concern}.",
    "Curiosity is not suspicion: ask the {carer} open questions about {concern}.",
    "Supervision should test the plan against what has changed for the child.",
]
PROMPTS = [
    "How does your team hear the voice of a child who is rarely seen alone?",
    "When did you last ask about the men in a baby's life?",
    "What stops you sharing a worry about {concern} with another agency?",
    "How would you escalate a disagreement about {concern} in your service?",
    "What does professional curiosity look like in a busy clinic?",
    "How do you check a {carer}'s account of an injury?",
    "Who in your team would notice a pattern of missed appointments?",
]
METHODOLOGIES = [
    "Significant Incident Learning Process",
    "SCIE Learning Together",
    "Appreciative inquiry",
    "Systems review",
    "",
]
PARAGRAPH_POOL = 4000


class Writer:
    """Plain-sentence paragraphs from a fixed pool, each rendered to HTML once.

    Rendering is the slow part of writing 10,000 reviews; a pool of paragraphs rendered by
    portal.markdown.render_markdown, joined as Markdown joins paragraphs, gives the same
    HTML as rendering each text whole (checked before use). Pool paragraphs hold
    placeholders for the agency, carer and concern; each review fills them from its own
    case (`case()`), in the Markdown and in the HTML alike (the words need no escaping).
    """

    def __init__(self, rng: random.Random, agencies: list[str]):
        self.rng = rng
        self.pools: dict[str, list[tuple[str, str]]] = {}

    def case(self, agencies: list[str]) -> dict[str, list[str]]:
        """One review's cast: the agencies involved, one or two carers, a few concerns."""
        return {
            "A": [ROLES.get(name, name.lower()) for name in agencies],
            "C": self.rng.sample(CARERS, self.rng.randint(1, 2)),
            "Q": self.rng.sample(CONCERNS, self.rng.randint(*CASE_CONCERNS)),
        }

    def sentence(self, templates: list[str], case: dict[str, list[str]] | None = None) -> str:
        if case is None:
            text = self.rng.choice(templates).format(
                agency=PLACEHOLDER_TEXT["A"],
                carer=PLACEHOLDER_TEXT["C"],
                concern=PLACEHOLDER_TEXT["Q"],
                action=self.rng.choice(ACTIONS),
            )
        else:
            text = self.rng.choice(templates).format(
                agency=self.rng.choice(case["A"]),
                carer=self.rng.choice(case["C"]),
                concern=self.rng.choice(case["Q"]),
                action=self.rng.choice(ACTIONS),
            )
        return text[0].upper() + text[1:]

    def pool(self, name: str, templates: list[str]) -> list[tuple[str, str]]:
        if name not in self.pools:
            paragraphs = []
            for _ in range(PARAGRAPH_POOL // 4):
                text = " ".join(self.sentence(templates) for _ in range(self.rng.randint(1, 4)))
                paragraphs.append((text, render_markdown(text)))
            self.pools[name] = paragraphs
        return self.pools[name]

    def text(
        self, name: str, templates: list[str], paragraphs: int, case: dict[str, list[str]]
    ) -> tuple[str, str]:
        chosen = [self.rng.choice(self.pool(name, templates)) for _ in range(paragraphs)]
        text = "\n\n".join(t for t, _ in chosen)
        html = "\n".join(h for _, h in chosen)
        picks: list[str] = []

        def pick(match: re.Match) -> str:
            picks.append(self.rng.choice(case[match.group(1)]))
            return picks[-1]

        text = PLACEHOLDER.sub(pick, text)
        filled = iter(picks)
        return text, PLACEHOLDER.sub(lambda _: next(filled), html)


PLACEHOLDER_TEXT = {key: f"zz{key}zz" for key in "ACQ"}
PLACEHOLDER = re.compile(r"zz([ACQ])zz")


def insert(model, fields: list[str], rows: list[tuple], *, returning: bool = False) -> list[int]:
    """Insert many rows; returns their ids, in order, when asked.

    On PostgreSQL, psycopg2's execute_values: building 100,000s of model instances for
    bulk_create costs more than the database's own work. Elsewhere, bulk_create.
    """
    if not rows:
        return []
    if connection.vendor == "postgresql":
        from psycopg2.extras import execute_values

        quote = connection.ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES %s"  # noqa: S608
        if returning:
            sql += " RETURNING id"
        with connection.cursor() as cursor:
            result = execute_values(cursor.cursor, sql, rows, page_size=2000, fetch=returning)
        return [row[0] for row in result] if returning else []
    objects = [
        model(
            **{
                model._meta.get_field(name).attname: value
                for name, value in zip(fields, row, strict=True)
            }
        )
        for row in rows
    ]
    model.objects.bulk_create(objects, batch_size=500)
    return [obj.pk for obj in objects]


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


class Command(BaseCommand):
    help = "Create realistic synthetic published reviews (for benchmarks and demos)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100, help="How many reviews.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same reviews.")
        parser.add_argument("--batch", type=int, default=500, help="Reviews per transaction.")

    def handle(self, *args, count: int, seed: int, batch: int, **options):
        if not 1 <= count <= 100_000:
            raise CommandError("--count must be between 1 and 100000.")
        prefix = f"generated-{seed}-"
        if Review.objects.filter(slug__startswith=prefix).exists():
            raise CommandError(
                f"Reviews from seed {seed} are already here (slugs {prefix}...). "
                "Use another --seed, or delete them first."
            )
        started = time.perf_counter()
        rng = random.Random(seed)  # noqa: S311 - invented data, not secrets
        self.check_rendering()
        agencies = [Agency.objects.get_or_create(name=name)[0] for name in AGENCIES]
        boards = [
            Board.objects.get_or_create(name=f"{place} Safeguarding Children Partnership")[0]
            for place in PLACES
        ]
        review_types = list(ReviewType.objects.all())
        themes = list(Theme.objects.all())
        if not review_types or not themes:
            raise CommandError("Run the migrations first: review types and themes are missing.")
        writer = Writer(rng, AGENCIES)
        live_ids: list[int] = []
        for start in range(0, count, batch):
            size = min(batch, count - start)
            with transaction.atomic():
                live_ids += self.write_batch(
                    rng, writer, prefix, start, size, agencies, boards, review_types, themes
                )
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"  {start + size} reviews")
        indexed = search_index_rebuild(reviews=Review.objects.filter(pk__in=live_ids))
        # New public content: stored pages and every process's catalogue must be read again.
        public_cache_invalidate()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {count} published reviews ({indexed} search entries) in {seconds:.1f} s."
            )
        )

    def check_rendering(self) -> None:
        one, two = "The GP saw the baby.", "Police & school <were> told."
        if render_markdown(f"{one}\n\n{two}") != f"{render_markdown(one)}\n{render_markdown(two)}":
            raise CommandError("render_markdown no longer joins paragraphs as expected.")

    def write_batch(self, rng, writer, prefix, start, size, agencies, boards, types, themes):
        today = timezone.localdate()
        specs = []
        for index in range(start, start + size):
            months = rng.choice([rng.randint(0, 11)] * 3 + [rng.randint(12, 215), 220])
            published_on = today - datetime.timedelta(days=rng.randint(1, 365 * 12))
            involved = rng.sample(agencies, rng.randint(3, 8))
            case = writer.case([agency.name for agency in involved])
            summary, summary_html = writer.text("summary", EVENT_SENTENCES, rng.randint(2, 6), case)
            letter = chr(65 + index % 26)
            specs.append(
                {
                    "review": {
                        "title": f"Child {letter}-{index + 1}",
                        "slug": f"{prefix}{index + 1}",
                        "review_type": rng.choice(types),
                        "board": rng.choice(boards),
                        "nation": rng.choices(
                            ["england", "wales", "scotland", "northern-ireland"], [8, 2, 1, 1]
                        )[0],
                        "status": Review.Status.PUBLISHED,
                        "published_on": published_on,
                        "methodology": rng.choice(METHODOLOGIES),
                        "child_pseudonym": f"Child {letter}",
                        "child_sex": rng.choice(Review.Sex.values),
                        "child_age_text": f"{months // 12} years"
                        if months >= 12
                        else f"{months} months",
                        "child_age_months": months,
                        "child_outcome": rng.choice(Review.Outcome.values),
                        "review_period": f"{rng.randint(6, 48)} months",
                        "keywords": ", ".join(
                            rng.sample(["neglect", "SUDI", "bruising", "DA", "CSE", "housing"], 2)
                        ),
                        "summary": summary,
                        "summary_html": summary_html,
                    },
                    "agencies": involved,
                    "events": [
                        (
                            f"At {m} months" if m >= 0 else "Before the birth",
                            m,
                            *writer.text("event", EVENT_SENTENCES, rng.randint(1, 2), case),
                            rng.random() < 0.2,
                            rng.sample(involved, rng.randint(1, 3)),
                        )
                        for m in sorted(
                            rng.randint(-6, max(months, 1)) for _ in range(rng.randint(4, 14))
                        )
                    ],
                    "findings": [
                        writer.text("finding", FINDING_SENTENCES, rng.randint(1, 3), case)
                        for _ in range(rng.randint(2, 6))
                    ],
                    "recommendations": [
                        (
                            *writer.text("finding", FINDING_SENTENCES, 1, case),
                            rng.sample(involved, 2),
                        )
                        for _ in range(rng.randint(1, 5))
                    ],
                    "learning": [
                        (
                            title,
                            *writer.text("learning", LEARNING_SENTENCES, rng.randint(1, 3), case),
                            rng.sample(themes, rng.randint(1, 3)),
                            rng.sample(involved, rng.randint(0, 2)),
                            [writer.sentence(PROMPTS, case) for _ in range(rng.randint(1, 3))],
                        )
                        for title in rng.sample(LEARNING_TITLES, rng.randint(2, 8))
                    ],
                }
            )
        working = self.write_trees(specs, live=False, working=None)
        if not _has_field(Review, "is_live"):
            return [review.pk for review in working]
        return [review.pk for review in self.write_trees(specs, live=True, working=working)]

    def write_trees(self, specs, *, live: bool, working):
        extra = {}
        reviews = []
        for position, spec in enumerate(specs):
            if _has_field(Review, "is_live"):
                go_live = timezone.make_aware(
                    datetime.datetime.combine(spec["review"]["published_on"], datetime.time(9))
                )
                extra = {"is_live": live, "go_live_at": go_live if live else None}
                if live:
                    extra["working_copy"] = working[position]
            reviews.append(Review(**spec["review"], **extra))
        reviews = Review.objects.bulk_create(reviews)
        links = {"review_agencies": [], "event_agencies": [], "rec_agencies": []}
        events, findings, recommendations, learning_points = [], [], [], []
        for review, spec in zip(reviews, specs, strict=True):
            links["review_agencies"] += [(review, agency) for agency in spec["agencies"]]
            for position, (when, months, text, text_html, key, named) in enumerate(
                spec["events"], 1
            ):
                events.append(
                    (
                        ChronologyEvent(
                            review=review,
                            position=position,
                            when=when,
                            age_months=months,
                            text=text,
                            text_html=text_html,
                            is_key=key,
                        ),
                        named,
                    )
                )
            for position, (text, text_html) in enumerate(spec["findings"], 1):
                findings.append(
                    AnalysisFinding(
                        review=review, position=position, text=text, text_html=text_html
                    )
                )
            for position, (text, text_html, named) in enumerate(spec["recommendations"], 1):
                recommendations.append(
                    (
                        Recommendation(
                            review=review, position=position, text=text, text_html=text_html
                        ),
                        named,
                    )
                )
            for position, (title, body, body_html, chosen, named, prompts) in enumerate(
                spec["learning"], 1
            ):
                learning_points.append(
                    (
                        LearningPoint(
                            review=review,
                            position=position,
                            title=title,
                            body=body,
                            body_html=body_html,
                        ),
                        chosen,
                        named,
                        prompts,
                    )
                )
        insert(
            Review.agencies.through,
            ["review", "agency"],
            [(r.pk, a.pk) for r, a in links["review_agencies"]],
        )
        event_ids = insert(
            ChronologyEvent,
            ["review", "position", "when", "age_months", "date", "text", "text_html", "is_key"],
            [
                (e.review.pk, e.position, e.when, e.age_months, "", e.text, e.text_html, e.is_key)
                for e, _ in events
            ],
            returning=True,
        )
        insert(
            ChronologyEvent.agencies.through,
            ["chronologyevent", "agency"],
            [(pk, a.pk) for pk, (_, named) in zip(event_ids, events, strict=True) for a in named],
        )
        insert(
            AnalysisFinding,
            ["review", "position", "heading", "text", "text_html"],
            [(f.review.pk, f.position, "", f.text, f.text_html) for f in findings],
        )
        recommendation_ids = insert(
            Recommendation,
            ["review", "position", "text", "text_html"],
            [(r.review.pk, r.position, r.text, r.text_html) for r, _ in recommendations],
            returning=True,
        )
        insert(
            Recommendation.agencies.through,
            ["recommendation", "agency"],
            [
                (pk, a.pk)
                for pk, (_, named) in zip(recommendation_ids, recommendations, strict=True)
                for a in named
            ],
        )
        learning_point_ids = insert(
            LearningPoint,
            ["review", "position", "title", "body", "body_html"],
            [
                (lp.review.pk, lp.position, lp.title, lp.body, lp.body_html)
                for lp, *_ in learning_points
            ],
            returning=True,
        )
        insert(
            LearningPoint.themes.through,
            ["learningpoint", "theme"],
            [
                (pk, theme.pk)
                for pk, (_, chosen, _, _) in zip(learning_point_ids, learning_points, strict=True)
                for theme in chosen
            ],
        )
        insert(
            LearningPoint.agencies.through,
            ["learningpoint", "agency"],
            [
                (pk, agency.pk)
                for pk, (_, _, named, _) in zip(learning_point_ids, learning_points, strict=True)
                for agency in named
            ],
        )
        insert(
            DiscussionPrompt,
            ["learning_point", "position", "question", "facilitator_note"],
            [
                (pk, position, question, "")
                for pk, (_, _, _, prompts) in zip(learning_point_ids, learning_points, strict=True)
                for position, question in enumerate(prompts, 1)
            ],
        )
        return reviews
