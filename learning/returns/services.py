"""Every change to discussion returns (docs/discussion-returns.md).

- `return_submit`: a team's return through /use/<code>/ (no account). Its free text goes
  through the review privacy scanner; anything flagged holds the return for staff.
- `return_release` / `return_reject`: staff decide on a held return (permission
  learning.change_discussionreturn, audited in the review's audit log).
- `follow_up_send_due`: the scheduled command's work, once per return at most.
- `follow_up_answer`: the answer from the follow-up's link joins the return.
- `addresses_expire`: e-mail addresses go after the follow-up or after a year.

`now` parameters exist for the scheduled commands' tests and the demo data, which backdate
returns through these same functions rather than writing rows of their own.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.returns.follow_ups import follow_up_message
from learning.returns.models import (
    MAX_AGENCY_OTHER_LENGTH,
    MAX_BARRIERS_LENGTH,
    MAX_DIFFERENT_LENGTH,
    MAX_PARTICIPANTS,
    MAX_TEAM_NAME_LENGTH,
    DiscussionReturn,
    UseCode,
)
from learning.returns.reach import reach_counts, reach_refresh
from reviews.models import Agency, AuditEntry, Review
from reviews.privacy.free_text import free_text_scan
from reviews.records import WorkflowError, display_name, require_permission

logger = logging.getLogger(__name__)

PERMISSION_DECIDE = "learning.change_discussionreturn"
# Audit actions of returns, kept in the review's audit log beside its workflow.
RELEASED = AuditEntry.Action.RETURN_RELEASED
REJECTED = AuditEntry.Action.RETURN_REJECTED
# A discussion may be recorded from a sheet printed a little before its code was first
# shown (a colleague's printout, another time zone): a week's margin.
DATE_MARGIN_DAYS = 7
Status = DiscussionReturn.Status


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


def _required(value: str, what: str, limit: int) -> str:
    """`what` names the field in a sentence (_("your team's name")), already translated."""
    if not value:
        raise WorkflowError(_("Give %(what)s.") % {"what": what})
    if len(value) > limit:
        raise WorkflowError(
            _("That can be at most %(limit)d characters: %(what)s.")
            % {"limit": limit, "what": what}
        )
    return value


def earliest_discussion_date(use_code: UseCode) -> datetime.date:
    return timezone.localdate(use_code.created_at) - datetime.timedelta(days=DATE_MARGIN_DAYS)


def snapshot_prompt_numbers(use_code: UseCode) -> list[str]:
    return [
        prompt["number"]
        for learning_point in use_code.snapshot.get("learning_points", [])
        for prompt in learning_point.get("prompts", [])
    ]


@dataclass(frozen=True)
class ReturnData:
    """What a team sends back; checked again here whoever built it (the form, a test)."""

    discussed_on: datetime.date
    team_name: str
    agency: Agency | None
    agency_other: str
    participants: int
    roles: list[str]
    prompts_discussed: list[str]
    different: str
    email: str | None


def _checked(data: ReturnData, use_code: UseCode, today: datetime.date) -> dict:
    if data.discussed_on > today:
        raise WorkflowError(_("The date of the discussion cannot be in the future."))
    if data.discussed_on < earliest_discussion_date(use_code):
        raise WorkflowError(_("The date of the discussion is before this sheet was printed."))
    agency_other = _one_line(data.agency_other)
    if data.agency is None:
        _required(agency_other, _("your agency's name"), MAX_AGENCY_OTHER_LENGTH)
    else:
        agency_other = ""
    if type(data.participants) is not int or not 1 <= data.participants <= MAX_PARTICIPANTS:
        raise WorkflowError(
            _("Give how many took part, from 1 to %(most)d.") % {"most": MAX_PARTICIPANTS}
        )
    roles = set(data.roles)
    if not roles <= set(DiscussionReturn.Role.values):
        raise WorkflowError(_("Choose roles from the list."))
    numbers = snapshot_prompt_numbers(use_code)
    if not set(data.prompts_discussed) <= set(numbers):
        raise WorkflowError(_("Choose questions from the sheet's list."))
    return {
        "discussed_on": data.discussed_on,
        "team_name": _required(
            _one_line(data.team_name), _("your team's name"), MAX_TEAM_NAME_LENGTH
        ),
        "agency": data.agency,
        "agency_other": agency_other,
        "participants": data.participants,
        "roles": [role for role in DiscussionReturn.Role.values if role in roles],
        "prompts_discussed": [number for number in numbers if number in data.prompts_discussed],
        "different": _required(
            (data.different or "").strip(),
            _("what your team will do differently"),
            MAX_DIFFERENT_LENGTH,
        ),
        "email": (data.email or "").strip() or None,
    }


def _scan_review(use_code: UseCode) -> Review | None:
    """The review whose protected names a return about it is checked against."""
    if use_code.review_id is None:
        return None
    return Review.objects.filter(pk=use_code.review_id).first()


@transaction.atomic
def return_submit(
    *,
    use_code: UseCode,
    data: ReturnData,
    language: str = Review.Language.ENGLISH,
    now: datetime.datetime | None = None,
) -> DiscussionReturn:
    """Store a team's return. Visible at once unless the privacy scanner flags its free
    text, then held for staff; a visible return may change the review's public line.
    `language` is the form's: the follow-up is written in it."""
    if language not in Review.Language.values:
        raise WorkflowError(_("Unknown language: %(code)s.") % {"code": language[:10]})
    now = now or timezone.now()
    fields = _checked(data, use_code, timezone.localdate(now))
    findings = free_text_scan(
        texts={
            "team_name": fields["team_name"],
            "agency_other": fields["agency_other"],
            "different": fields["different"],
        },
        review=_scan_review(use_code),
    )
    before = reach_counts(review_id=use_code.review_id)
    discussion_return = DiscussionReturn.objects.create(
        use_code=use_code,
        review_id=use_code.review_id,
        status=Status.HELD if findings else Status.VISIBLE,
        privacy_findings=findings,
        submitted_at=now,
        language=language,
        follow_up_due_on=(
            timezone.localdate(now) + datetime.timedelta(days=settings.RETURN_FOLLOW_UP_DAYS)
            if fields["email"]
            else None
        ),
        **fields,
    )
    if discussion_return.status == Status.VISIBLE:
        reach_refresh(review_id=use_code.review_id, before=before)
    return discussion_return


def _audit(action: str, user: AbstractBaseUser, discussion_return: DiscussionReturn, **details):
    review = discussion_return.review
    AuditEntry.objects.create(
        action=action,
        user=user,
        user_name=display_name(user),
        review=review,
        review_title=(review.title if review else "")
        or discussion_return.use_code.snapshot.get("title", "")[:200],
        details={"return": discussion_return.pk, **details},
    )


def _locked(discussion_return: DiscussionReturn) -> DiscussionReturn:
    return (
        DiscussionReturn.objects.select_for_update(of=("self",))
        .select_related("use_code", "review")
        .get(pk=discussion_return.pk)
    )


@transaction.atomic
def return_release(
    *, discussion_return: DiscussionReturn, user: AbstractBaseUser
) -> DiscussionReturn:
    """Staff have read what the scanner flagged and let it show (the return and any held
    follow-up answer)."""
    require_permission(user, PERMISSION_DECIDE, "release discussion returns")
    locked = _locked(discussion_return)
    held_answer = locked.follow_up_barriers_status == Status.HELD
    if locked.status != Status.HELD and not held_answer:
        raise WorkflowError("Only a held return can be released.")
    before = reach_counts(review_id=locked.review_id)
    if locked.status == Status.HELD:
        locked.status = Status.VISIBLE
    if held_answer:
        locked.follow_up_barriers_status = Status.VISIBLE
    locked.decided_at, locked.decided_by = timezone.now(), user
    locked.save()
    _audit(RELEASED, user, locked)
    reach_refresh(review_id=locked.review_id, before=before)
    return locked


@transaction.atomic
def return_reject(
    *, discussion_return: DiscussionReturn, user: AbstractBaseUser, reason: str = ""
) -> DiscussionReturn:
    """Staff keep a return from ever showing (it named someone, it is spam). Its e-mail
    address is deleted at once and no follow-up goes."""
    require_permission(user, PERMISSION_DECIDE, "reject discussion returns")
    locked = _locked(discussion_return)
    if locked.status == Status.REJECTED:
        raise WorkflowError("That return has already been rejected.")
    before = reach_counts(review_id=locked.review_id)
    now = timezone.now()
    locked.status = Status.REJECTED
    if locked.follow_up_barriers_status:
        locked.follow_up_barriers_status = Status.REJECTED
    if locked.email:
        locked.email, locked.email_deleted_at = None, now
    locked.decided_at, locked.decided_by = now, user
    locked.save()
    _audit(REJECTED, user, locked, reason=_one_line(reason)[:500])
    reach_refresh(review_id=locked.review_id, before=before)
    return locked


@transaction.atomic
def follow_up_answer(
    *,
    discussion_return: DiscussionReturn,
    practice_changed: str,
    barriers: str,
    now: datetime.datetime | None = None,
) -> DiscussionReturn:
    """The answer to the follow-up joins the return, once."""
    locked = _locked(discussion_return)
    if locked.follow_up_answered_at is not None:
        raise WorkflowError(_("This follow-up has already been answered."))
    if locked.status == Status.REJECTED:
        raise WorkflowError(_("This return is no longer kept."))
    if practice_changed not in DiscussionReturn.PracticeChanged.values:
        raise WorkflowError(_("Say whether the discussion changed what your team does."))
    barriers = (barriers or "").strip()
    if len(barriers) > MAX_BARRIERS_LENGTH:
        raise WorkflowError(
            _("What got in the way can be at most %(most)d characters.")
            % {"most": MAX_BARRIERS_LENGTH}
        )
    findings = free_text_scan(texts={"follow_up_barriers": barriers}, review=locked.review)
    locked.practice_changed = practice_changed
    locked.follow_up_barriers = barriers
    locked.follow_up_privacy_findings = findings
    locked.follow_up_barriers_status = (
        (Status.HELD if findings else Status.VISIBLE) if barriers else ""
    )
    locked.follow_up_answered_at = now or timezone.now()
    locked.save()
    return locked


@dataclass
class FollowUpRun:
    sent: int = 0
    failed: int = 0


def _due(today: datetime.date, only: list[int] | None = None):
    returns = (
        DiscussionReturn.objects.all()
        if only is None
        else DiscussionReturn.objects.filter(pk__in=only)
    )
    return returns.filter(
        email__isnull=False,
        follow_up_claimed_at__isnull=True,
        follow_up_due_on__lte=today,
    ).exclude(status=Status.REJECTED)


def _claim_next(now: datetime.datetime, only: list[int] | None) -> DiscussionReturn | None:
    """Claim one due return in a transaction of its own, committed before anything is sent:
    whatever happens afterwards, no later run claims it again."""
    with transaction.atomic():
        found = (
            _due(timezone.localdate(now), only)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("use_code")
            .order_by("follow_up_due_on", "pk")
            .first()
        )
        if found is None:
            return None
        found.follow_up_claimed_at = now
        found.save(update_fields=["follow_up_claimed_at"])
        return found


def _mark_sent(discussion_return: DiscussionReturn, now: datetime.datetime) -> None:
    DiscussionReturn.objects.filter(pk=discussion_return.pk).update(follow_up_sent_at=now)


def _unclaim(discussion_return: DiscussionReturn) -> None:
    DiscussionReturn.objects.filter(pk=discussion_return.pk, follow_up_sent_at=None).update(
        follow_up_claimed_at=None
    )


def follow_up_send_due(
    *,
    now: datetime.datetime | None = None,
    limit: int | None = None,
    deliver: Callable[[EmailMessage], object] | None = None,
    only: list[int] | None = None,
) -> FollowUpRun:
    """Send every follow-up that is due, each at most once, ever.

    Each return is claimed (committed) before its message goes and marked sent after. A
    second run, or one running at the same time, skips claimed returns; a crash between
    the claim and the mark leaves the return claimed, so it is never sent twice (at most
    once, not at least once: docs/discussion-returns.md). A message the mail server refuses
    is unclaimed for the next run, and this run stops, as the server is likely down.
    `deliver` replaces sending and `only` limits the run to some returns: both for the
    demo data, which must never touch real returns. Run it outside any
    transaction (the command does), so each claim is committed before its message goes.
    """
    run = FollowUpRun()
    while limit is None or run.sent < limit:
        moment = now or timezone.now()
        claimed = _claim_next(moment, only)
        if claimed is None:
            break
        try:
            message = follow_up_message(claimed, email=claimed.email)
            if deliver is None:
                message.send()
            else:
                deliver(message)
        except Exception:
            logger.exception("Could not send the follow-up of return %s", claimed.pk)
            _unclaim(claimed)
            run.failed += 1
            break
        _mark_sent(claimed, moment)
        run.sent += 1
    return run


@transaction.atomic
def addresses_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete e-mail addresses that have done their job or waited long enough: after the
    follow-up was sent (or claimed a day ago by a run that then crashed), or a year after
    the return, whichever is first. Returns how many were deleted."""
    now = now or timezone.now()
    expired = DiscussionReturn.objects.filter(email__isnull=False).filter(
        Q(follow_up_sent_at__isnull=False)
        | Q(follow_up_claimed_at__lte=now - datetime.timedelta(days=1))
        | Q(submitted_at__lte=now - datetime.timedelta(days=settings.RETURN_ADDRESS_KEEP_DAYS))
        | Q(status=Status.REJECTED)
    )
    return expired.update(email=None, email_deleted_at=now)
