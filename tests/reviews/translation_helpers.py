"""Welsh translations at each step, for the translation tests."""

from reviews.models import Review
from reviews.publishing import services
from reviews.translations.services import review_translation_create


def translate(translation: Review, *, by, word: str = "Cymraeg") -> Review:
    """Replace every text of a translation's working copy with "<word> ..." (as a translator
    does in the admin), then record the edit."""
    translation.refresh_from_db()
    translation.title = f"{word} {translation.title}"
    translation.child_pseudonym = f"{word} {translation.child_pseudonym}"
    translation.child_age_text = "11 mis"
    translation.summary = f"{word}: bu farw'r plentyn. {translation.summary}"
    translation.save()
    for event in translation.chronology_events.all():
        event.when, event.text = f"{word} {event.when}", f"{word}: {event.text}"
        event.save()
    for finding in translation.findings.all():
        finding.text = f"{word}: {finding.text}"
        finding.save()
    for recommendation in translation.recommendations.all():
        recommendation.text = f"{word}: {recommendation.text}"
        recommendation.save()
    for point in translation.learning_points.all():
        point.title, point.body = f"{word} {point.title}", f"{word}: {point.body}"
        point.save()
        for prompt in point.prompts.all():
            prompt.question = f"{word}: {prompt.question}"
            prompt.save()
    services.review_record_edit(
        review=translation, edited_by=by, expected_version=translation.version
    )
    translation.refresh_from_db()
    return translation


def welsh_translation(review: Review, *, by, publisher=None, word: str = "Cymraeg") -> Review:
    """`review`'s Welsh translation, translated by `by`; submitted and published by
    `publisher` when given."""
    translation = translate(review_translation_create(review=review, user=by), by=by, word=word)
    if publisher is not None:
        services.review_submit(review=translation, user=by)
        services.review_publish(review=translation, user=publisher)
        translation.refresh_from_db()
    return translation
