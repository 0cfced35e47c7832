"""Baby C's demo action plan: actions in every BRAG state, made through the services.

Dates are counted from the day the demo is loaded, so the states hold whenever it is:
blue (accepted by a second person), red (overdue), amber (due within 28 days) and green.
Two demo people do the work: an editor who submits evidence and a publisher who accepts or
sends it back (four eyes). Neither can sign in (no password, not staff).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews.actions import services
from reviews.actions.fields import ActionFields
from reviews.actions.rules import Status, today
from reviews.models import Action, Agency, Review

DEMO_EDITOR = ("demo-asha", "Asha", "Patel", "Editor")
DEMO_PUBLISHER = ("demo-tom", "Tom", "Reed", "Publisher")
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# (recommendation, owner, what will be done, due in days from today, where it ends up)
PLAN = [
    (
        1,
        "Children's social care",
        "Add “speak to the children who raised the concern, and record what they said” as a "
        "required step of the assessment template.",
        -45,
        "accepted",
    ),
    (
        1,
        "Children's social care",
        "Audit 20 assessments that followed a child's disclosure for a record of the child's "
        "own account.",
        -12,
        Status.IN_PROGRESS,
    ),
    (
        2,
        "Early help",
        "Record the reasons for every step-down to early help on the transfer form and send "
        "it to midwifery, health visiting and the GP.",
        9,
        Status.IN_PROGRESS,
    ),
    (
        2,
        "Health visiting",
        "Confirm in writing which professional holds the lead role after a step-down.",
        20,
        Status.EVIDENCE_SUBMITTED,
    ),
    (
        3,
        "GP",
        "Hold a meeting every two months in each practice for the health professionals "
        "caring for children aged 0 to 5.",
        120,
        Status.NOT_STARTED,
    ),
    (
        4,
        "Health visiting",
        "Train health visitors and midwives to explore the impact of domestic abuse on each "
        "child in the household, including babies.",
        -3,
        Status.NOT_STARTED,
    ),
    (
        4,
        "Domestic abuse support service",
        "Share referral outcomes with the family's health visitor and GP within 5 working days.",
        27,
        Status.NOT_STARTED,
    ),
    (
        5,
        "Early help",
        "Publish guidance on supporting families who decline the Common Assessment Framework.",
        75,
        "sent-back",
    ),
]


def _person(username: str, first: str, last: str, group: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=group))
    return user


def demo_action_plan_load(*, review: Review) -> int:
    """Give the review (a working copy) its demo action plan, unless it has one already."""
    if Action.objects.filter(review=review).exists():
        return 0
    editor = _person(*DEMO_EDITOR)
    publisher = _person(*DEMO_PUBLISHER)
    day = today()
    for number, owner, text, due_in, outcome in PLAN:
        fields = ActionFields(
            description=text,
            owner=Agency.objects.get(name=owner),
            due_on=day + datetime.timedelta(days=due_in),
            progress="Agreed at the board's learning and improvement subgroup.",
        )
        if outcome in ("accepted", "sent-back", Status.EVIDENCE_SUBMITTED):
            fields.evidence = "Minutes of the subgroup meeting and the updated document."
        action = services.action_create(
            review=review,
            user=editor,
            recommendation_number=number,
            fields=fields,
            status=Status.EVIDENCE_SUBMITTED if outcome in ("accepted", "sent-back") else outcome,
        )
        if outcome == "accepted":
            services.attachment_add(
                action=action,
                user=editor,
                upload=SimpleUploadedFile("Assessment template v3.pdf", EVIDENCE_PDF),
            )
            services.action_accept(action=action, user=publisher, note="Template checked.")
        elif outcome == "sent-back":
            services.action_reject(
                action=action,
                user=publisher,
                reason="The minutes do not show the guidance was agreed; attach the final text.",
            )
    return len(PLAN)
