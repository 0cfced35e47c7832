"""Factories for every model a test needs; small and explicit beats big fixtures."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify

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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


def in_roles(*default: str):
    """A post-generation step putting the user in groups the migrations create ("Editor",
    "Publisher"): `roles=[...]` when building overrides the factory's own."""

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        if create:
            names = default if extracted is None else extracted
            user.groups.add(*(Group.objects.get(name=name) for name in names))

    return roles


class StaffUserFactory(UserFactory):
    """Staff with no role: may sign in to the admin, may change nothing."""

    class Meta:
        skip_postgeneration_save = True

    is_staff = True
    roles = in_roles()


class EditorFactory(StaffUserFactory):
    """Writes drafts and submits them for sign-off."""

    username = factory.Sequence(lambda n: f"editor{n}")
    roles = in_roles("Editor")


class PublisherFactory(StaffUserFactory):
    """Signs off, schedules and withdraws (never their own words: four eyes)."""

    username = factory.Sequence(lambda n: f"publisher{n}")
    roles = in_roles("Publisher")


class SuperuserFactory(StaffUserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_superuser = True


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Example Safeguarding Partnership {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["name"]

    name = factory.Iterator(
        ["Health visiting", "GP", "Children's social care", "Police", "School", "Midwifery"]
    )


def review_type(slug: str = "serious-case-review") -> ReviewType:
    return ReviewType.objects.get(slug=slug)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review's working copy; a published one also gets its live copy, so it is public.

    Child rows added afterwards reach the public only when the review is made live again
    (`make_live(review)`); build_review does that for you.
    """

    class Meta:
        model = Review
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Child {n}")
    slug = factory.Sequence(lambda n: f"child-{n}")
    review_type = factory.LazyFunction(review_type)
    board = factory.SubFactory(BoardFactory)
    status = Review.Status.PUBLISHED
    published_on = datetime.date(2024, 5, 1)
    child_pseudonym = factory.LazyAttribute(lambda review: review.title)
    child_age_text = "11 months"
    child_age_months = 11
    child_outcome = Review.Outcome.DIED
    summary = "The child was found injured at home."

    class Params:
        draft = factory.Trait(status=Review.Status.DRAFT, published_on=None)

    @factory.post_generation
    def live(self, create, extracted, **kwargs):
        if create and self.status == Review.Status.PUBLISHED and extracted is not False:
            make_live(self)


def make_live(review: Review) -> Review:
    """Copy the working copy, as it is now, to its live copy (as importing a document does)."""
    from reviews.publishing.services import review_make_live

    return review_make_live(review=review)


class ChronologyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChronologyEvent

    review = factory.SubFactory(ReviewFactory)
    position = factory.Sequence(lambda n: n + 1)
    when = "At 7 months"
    age_months = 7
    text = "The health visitor saw the family at home."


class AnalysisFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnalysisFinding

    review = factory.SubFactory(ReviewFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Information was not shared with the midwife."


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    review = factory.SubFactory(ReviewFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "Record contact with fathers."


def theme(slug: str = "voice-of-the-child") -> Theme:
    """One of the themes the migrations ship."""
    return Theme.objects.get(slug=slug)


class ThemeFactory(factory.django.DjangoModelFactory):
    """A theme of the board's own, beyond the shipped vocabulary."""

    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Test theme {n}")
    slug = factory.LazyAttribute(lambda theme: slugify(theme.name))
    description = "A theme made for a test."


class LearningPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningPoint
        skip_postgeneration_save = True

    review = factory.SubFactory(ReviewFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Learning point {n}")
    body = "Speak to the children who raised the concern."

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create:
            self.themes.set(extracted or [theme()])


class DiscussionPromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscussionPrompt

    learning_point = factory.SubFactory(LearningPointFactory)
    position = factory.Sequence(lambda n: n + 1)
    question = factory.Sequence(lambda n: f"How does your team hear the child's voice ({n})?")


def build_review(*, events: int = 3, learning_points: int = 2, prompts: int = 3, **fields):
    """A review with a given number of child rows, each with agencies and themes."""
    review = ReviewFactory(**fields)
    agencies = [AgencyFactory(name=name) for name in ("Health visiting", "GP", "Police")]
    review.agencies.set(agencies)
    for position in range(1, events + 1):
        event = ChronologyEventFactory(review=review, position=position, age_months=position)
        event.agencies.set(agencies[: 1 + position % 3])
    for position in range(1, 3):
        AnalysisFindingFactory(review=review, position=position)
        recommendation = RecommendationFactory(review=review, position=position)
        recommendation.agencies.set(agencies[:2])
    for position in range(1, learning_points + 1):
        learning_point = LearningPointFactory(
            review=review,
            position=position,
            title=f"Learning {position}",
            themes=[theme(), theme("information-sharing")],
        )
        learning_point.agencies.set(agencies[:1])
        for prompt_position in range(1, prompts + 1):
            DiscussionPromptFactory(learning_point=learning_point, position=prompt_position)
    if review.status == Review.Status.PUBLISHED:
        make_live(review)
    return review
