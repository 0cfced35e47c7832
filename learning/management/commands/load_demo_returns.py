"""Demo discussion returns for Baby C (run after load_demo; `make demo` runs both).

Everything goes through learning/returns/services.py, backdated with the services' own
`now` and `printed_at` parameters: returns from several teams and agencies, one held by the
privacy check, follow-ups sent (to no one: the demo delivers nowhere) and some answered,
and the addresses then deleted as the real commands would. Runs once: if Baby C already
has returns, nothing is done.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from learning.returns import codes, services
from learning.returns.models import DiscussionReturn
from reviews.models import Agency, Review

# (days ago submitted, sheet, team, agency or None, other agency, participants, roles,
#  prompts, what will change, e-mail, follow-up answer (changed, barriers) or None)
RETURNS = [
    (
        150,
        "discussion-sheet",
        "Health visiting team, city north",
        "Health visiting",
        "",
        12,
        ["health-visitor", "nurse"],
        ["1.1", "1.2", "4.1"],
        "We will ask to see where the baby sleeps at every new birth visit, and write down "
        "who else lives in the home.",
        "hv.north@example.org",
        ("yes", ""),
    ),
    (
        130,
        "briefing",
        "Earlsdon GP practice",
        "GP",
        "",
        8,
        ["gp", "nurse"],
        ["3.1"],
        "We will phone the health visitor before we close any concern about a child under two.",
        "practice.manager@example.org",
        ("partly", "Locum cover meant half the team missed the meeting; we repeat it in January."),
    ),
    (
        120,
        "discussion-sheet",
        "Referral and assessment team A",
        "Children's social care",
        "",
        15,
        ["social-worker"],
        ["2.1", "2.2"],
        "Every step-down to early help will have a joint visit and a named lead before the "
        "case closes.",
        "ra.team@example.org",
        None,
    ),
    (
        95,
        "briefing",
        "Foleshill early help team",
        "Early help",
        "",
        9,
        ["social-worker", "early-years"],
        [],
        "We should have visited Jayden at 14 Acacia Avenue, Coventry CV2 4GH, before closing.",
        None,
        None,
    ),
    (
        60,
        "discussion-sheet",
        "Family hub outreach team",
        None,
        "Family hubs",
        6,
        ["early-years", "other"],
        ["1.1", "4.2"],
        "We will ask fathers and partners to every appointment and record who came.",
        None,
        None,
    ),
    (
        20,
        "discussion-sheet",
        "Public protection unit",
        "Police",
        "",
        18,
        ["police"],
        ["4.1", "4.2"],
        "Every domestic abuse report with a baby in the home goes to the health visitor "
        "within a working day.",
        "ppu@example.org",
        None,
    ),
]


class Command(BaseCommand):
    help = "Add demo discussion returns and follow-ups to Baby C (once)."

    def handle(self, *args, **options) -> None:
        live = (
            Review.objects.published()
            .filter(slug="baby-c")
            .prefetch_related("learning_points__prompts")
            .select_related("board")
            .first()
        )
        if live is None:
            raise CommandError("Baby C is not published: run load_demo first.")
        if DiscussionReturn.objects.filter(review_id=live.working_copy_id).exists():
            self.stdout.write("Demo returns already loaded.")
            return
        now = timezone.now()
        printed_at = now - datetime.timedelta(days=200)
        learning_points = list(live.learning_points.all())
        sheets = {
            kind: codes.review_use_code(
                review=live, kind=kind, learning_points=learning_points, printed_at=printed_at
            )
            for kind in ("discussion-sheet", "briefing")
        }
        if any(code.created_at > printed_at for code in sheets.values()):
            raise CommandError(
                "Baby C's sheets were printed before the demo returns were loaded; load them "
                "on a fresh database (make demo)."
            )
        agencies = {agency.name: agency for agency in Agency.objects.all()}
        made = []
        for row in RETURNS:
            days, kind, team, agency, other, people, roles, prompts, change, email, answer = row
            submitted = now - datetime.timedelta(days=days)
            found = agencies.get(agency) if agency else None
            data = services.ReturnData(
                discussed_on=timezone.localdate(submitted) - datetime.timedelta(days=2),
                team_name=team,
                agency=found,
                # An agency the database lacks is named as "other".
                agency_other="" if found else (other or agency),
                participants=people,
                roles=roles,
                prompts_discussed=[p for p in prompts if p in _numbers(sheets[kind])],
                different=change,
                email=email,
            )
            made.append(
                (
                    services.return_submit(use_code=sheets[kind], data=data, now=submitted),
                    answer,
                )
            )
        run = services.follow_up_send_due(
            now=now, deliver=lambda message: None, only=[r.pk for r, _ in made]
        )
        for discussion_return, answer in made:
            if answer is not None:
                discussion_return.refresh_from_db()
                services.follow_up_answer(
                    discussion_return=discussion_return,
                    practice_changed=answer[0],
                    barriers=answer[1],
                    now=now,
                )
        deleted = services.addresses_expire(now=now)
        held = sum(r.status == DiscussionReturn.Status.HELD for r, _ in made)
        self.stdout.write(
            f"Demo returns for Baby C: {len(made)} ({held} held by the privacy check), "
            f"{run.sent} follow-ups sent, {sum(a is not None for _, a in made)} answered, "
            f"{deleted} addresses deleted."
        )


def _numbers(use_code) -> set[str]:
    return set(services.snapshot_prompt_numbers(use_code))
