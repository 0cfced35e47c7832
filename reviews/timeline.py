"""The drawn timeline of a review's chronology, along the child's age."""

from django.utils.translation import gettext

from reviews.models import Review


def build_timeline(review: Review) -> dict:
    """Where each chronology event sits along the child's age, for the drawn timeline.

    Events without an age are still listed; the drawing only covers known ages. Events at
    the same age are stacked, and each mark carries its number in the list below it.
    """
    events = list(review.chronology_events.all())
    aged = [
        (number, event) for number, event in enumerate(events, 1) if event.age_months is not None
    ]
    if not aged:
        return {"events": events, "marks": [], "width": 0}
    first = min(min(event.age_months for _, event in aged), 0)
    last = max(max(event.age_months for _, event in aged), review.child_age_months or 0, first + 1)
    span = last - first
    width, step = 600, next(step for limit, step in TICK_STEPS if span <= limit)
    stacked: dict[int, int] = {}
    for _, event in aged:
        stacked[event.age_months] = stacked.get(event.age_months, 0) + 1
    axis_y = 16 + 18 * max(stacked.values())

    def x(months: int) -> float:
        return round(20 + (width - 40) * (months - first) / span, 1)

    marks, seen = [], dict.fromkeys(stacked, 0)
    for number, event in aged:
        y = axis_y - 18 * seen[event.age_months]
        marks.append({"x": x(event.age_months), "y": y, "number": number, "event": event})
        seen[event.age_months] += 1
    ticks = [
        {"x": x(months), "label": tick_label(months, step)}
        for months in range(first - first % step, last + 1, step)
        if months >= first
    ]
    return {
        "events": events,
        "marks": marks,
        "ticks": ticks,
        "birth_x": x(0),
        "width": width,
        "axis_y": axis_y,
        "height": axis_y + 30,
    }


# Tick spacing in months for the span of the drawing, so labels never crowd.
TICK_STEPS = [(24, 3), (48, 6), (120, 12), (10_000, 24)]


def tick_label(months: int, step: int) -> str:
    if months == 0:
        return gettext("birth")
    if step >= 12:
        # Translators: a short axis label, years of age: "2y".
        return gettext("%(years)dy") % {"years": months // 12}
    # Translators: a short axis label, months of age: "6m".
    return gettext("%(months)dm") % {"months": months}
