"""/use/: the way back from a printed sheet, for anyone with the code, no account needed.

Never cached (never_cache, and /use/ is in PUBLIC_CACHE_EXCLUDED_PATHS); CSRF on. Each
POST counts against the visitor's address (RETURNS_PER_ADDRESS per RETURN_WINDOW) before
anything else is done, and a body over MAX_BODY_BYTES is refused unread.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from learning.returns import services
from learning.returns.codes import code_display, code_normalise
from learning.returns.follow_ups import FollowUpLinkError, follow_up_return_for_token
from learning.returns.forms import FollowUpForm, ReturnForm
from learning.returns.models import UseCode
from portal.languages import page_language
from portal.ratelimit import rate_limit_client
from reviews.records import WorkflowError

KIND_LABELS = {
    UseCode.Kind.DISCUSSION_SHEET: gettext_lazy("Discussion sheet"),
    UseCode.Kind.BRIEFING: gettext_lazy("7-minute briefing"),
    UseCode.Kind.ACTION_PLAN_FORM: gettext_lazy("Action plan form"),
    UseCode.Kind.SESSION_PACK: gettext_lazy("Session pack"),
    UseCode.Kind.THEME_SHEET: gettext_lazy("Theme sheet"),
}

# The form's fields at their longest, as UTF-8, are under 12 kB; a prompt list of a full pack
# adds a few hundred bytes.
MAX_BODY_BYTES = 32 * 1024


def _too_large(request: HttpRequest) -> HttpResponse | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY_BYTES + 1
    if length <= MAX_BODY_BYTES:
        return None
    return TemplateResponse(request, "learning/returns/too_large.html", status=413)


def _count_post(request: HttpRequest) -> None:
    rate_limit_client(
        request,
        scope="discussion-return",
        limit=settings.RETURNS_PER_ADDRESS,
        window=settings.RETURN_WINDOW,
        reason=_(
            "Many returns have been sent from your address in a short time, so this one "
            "has to wait. Nothing was stored."
        ),
    )


def _not_found(request: HttpRequest, typed: str = "") -> HttpResponse:
    context = {"typed": typed[:20], "error": True}
    return TemplateResponse(request, "learning/returns/use_not_found.html", context, status=404)


@method_decorator(never_cache, name="dispatch")
class UseStartView(View):
    """/use/: a box for the code; /use/?code=k7q4 m9xt goes to that code's form."""

    def get(self, request: HttpRequest) -> HttpResponse:
        typed = request.GET.get("code")
        if typed is None:
            return TemplateResponse(request, "learning/returns/use_start.html", {})
        code = code_normalise(typed)
        if code is None:
            context = {"typed": typed[:20], "error": True}
            return TemplateResponse(request, "learning/returns/use_start.html", context)
        return redirect("returns:use", code=code)


@method_decorator(never_cache, name="dispatch")
class UseView(View):
    """The sheet's return form."""

    def use_code(self, code: str) -> UseCode | None:
        return UseCode.objects.filter(code=code).first()

    def render(self, request, use_code: UseCode, form: ReturnForm, status: int = 200):
        context = {
            "use_code": use_code,
            "use_code_display": code_display(use_code.code),
            "kind_label": KIND_LABELS[use_code.kind],
            "snapshot": use_code.snapshot,
            "form": form,
            "follow_up_days": settings.RETURN_FOLLOW_UP_DAYS,
        }
        return TemplateResponse(request, "learning/returns/use_form.html", context, status=status)

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        canonical = code_normalise(code)
        if canonical is None:
            return _not_found(request, code)
        if canonical != code:
            return redirect("returns:use", code=canonical)
        use_code = self.use_code(code)
        if use_code is None:
            return _not_found(request, code)
        return self.render(request, use_code, ReturnForm(use_code=use_code))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        if (refused := _too_large(request)) is not None:
            return refused
        _count_post(request)
        use_code = self.use_code(code) if code_normalise(code) == code else None
        if use_code is None:
            return _not_found(request, code)
        form = ReturnForm(request.POST, use_code=use_code)
        if not form.is_valid():
            return self.render(request, use_code, form, status=400)
        if form.is_spam:
            # Looks like success to the sender; nothing is stored.
            return redirect("returns:thanks", code=code)
        try:
            services.return_submit(
                use_code=use_code, data=form.return_data(), language=page_language()
            )
        except WorkflowError as error:
            form.add_error(None, error.messages)
            return self.render(request, use_code, form, status=400)
        return redirect("returns:thanks", code=code)


@never_cache
def use_thanks(request: HttpRequest, code: str) -> HttpResponse:
    use_code = UseCode.objects.filter(code=code).first() if code_normalise(code) == code else None
    if use_code is None:
        return _not_found(request, code)
    context = {
        "use_code": use_code,
        "kind_label": KIND_LABELS[use_code.kind],
        "snapshot": use_code.snapshot,
    }
    return TemplateResponse(request, "learning/returns/use_thanks.html", context)


PROBLEM_STATUS = {
    FollowUpLinkError.TAMPERED: 404,
    FollowUpLinkError.EXPIRED: 410,
    FollowUpLinkError.USED: 410,
}


@method_decorator(never_cache, name="dispatch")
class FollowUpView(View):
    """The follow-up's single-use link: "Did it change what you do? What got in the way?"."""

    def problem(self, request, reason: str) -> HttpResponse:
        return TemplateResponse(
            request,
            "learning/returns/follow_up_problem.html",
            {"reason": reason},
            status=PROBLEM_STATUS[reason],
        )

    def render(self, request, discussion_return, form, status: int = 200) -> HttpResponse:
        context = {
            "discussion_return": discussion_return,
            "snapshot": discussion_return.use_code.snapshot,
            "form": form,
        }
        return TemplateResponse(
            request, "learning/returns/follow_up_form.html", context, status=status
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            discussion_return = follow_up_return_for_token(token)
        except FollowUpLinkError as error:
            return self.problem(request, error.reason)
        return self.render(request, discussion_return, FollowUpForm())

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        if (refused := _too_large(request)) is not None:
            return refused
        _count_post(request)
        try:
            discussion_return = follow_up_return_for_token(token)
        except FollowUpLinkError as error:
            return self.problem(request, error.reason)
        form = FollowUpForm(request.POST)
        if not form.is_valid():
            return self.render(request, discussion_return, form, status=400)
        try:
            services.follow_up_answer(
                discussion_return=discussion_return,
                practice_changed=form.cleaned_data["practice_changed"],
                barriers=form.cleaned_data["barriers"],
            )
        except WorkflowError:
            # Answered by another request a moment ago.
            return self.problem(request, FollowUpLinkError.USED)
        return TemplateResponse(request, "learning/returns/follow_up_thanks.html", {})
