"""The privacy check in the admin: findings in context, acknowledgements, protected names.

Mixed into ReviewAdmin (reviews/admin/). Each page calls reviews/privacy/services.py,
which checks permissions itself, to change anything, and reads findings and name counts
from reviews/privacy/review_scan.py and stored_names.py. No JavaScript and no inline
styles (CSP).

Protected names are write-only: the form hashes them in a service and drops the text. The
textarea never shows a value (not even after an error), the browser is asked not to
spell-check or remember it, and Django's error reports leave the field out.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from reviews.admin.workflow import review_admin_path, review_or_404
from reviews.models import Review
from reviews.privacy import review_scan as privacy_scan
from reviews.privacy import services as privacy_services
from reviews.privacy import stored_names
from reviews.publishing import services

NAMES_HELP = (
    "One name or phrase per line: the child's and family members' real names, the school, "
    "the street, case numbers. They are added to the stored list. Only a keyed digest of "
    "each is stored, never the text, so nobody (you included) can read them back: the "
    "portal shows only how many there are. The key comes from the portal's SECRET_KEY; if "
    "that is ever changed, the stored names stop working and must be entered again."
)


class WriteOnlyTextarea(forms.Textarea):
    """A textarea that never renders a value, so submitted names are never sent back."""

    def format_value(self, value):
        return None


class ProtectedNamesForm(forms.Form):
    names = forms.CharField(
        required=False,
        strip=False,
        label="Add protected names",
        help_text=NAMES_HELP,
        widget=WriteOnlyTextarea(
            attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )
    clear = forms.BooleanField(
        required=False,
        label="Clear all stored names first",
        help_text="Deletes every stored name of this review; any names above are then stored "
        "as the new list.",
    )


class ReviewPrivacyAdminMixin:
    """Mixed into ReviewAdmin (reviews/admin/)."""

    def get_urls(self):
        def view(function, name):
            return review_admin_path(self, function, name)

        return [
            view(self.privacy_view, "privacy"),
            view(self.privacy_acknowledge_view, "privacy/acknowledge"),
            view(self.protected_names_view, "privacy/names"),
            *super().get_urls(),
        ]

    def _privacy_review(self, request: HttpRequest, object_id: str) -> Review:
        return review_or_404(self, request, object_id)

    def _privacy_url(self, review: Review) -> str:
        return reverse("admin:reviews_review_privacy", args=[review.pk])

    def _privacy_context(self, request, review: Review, **context) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "review": review,
            "names_count": stored_names.protected_names_count(review=review),
            **context,
        }

    def privacy_view(self, request: HttpRequest, object_id: str) -> TemplateResponse:
        review = self._privacy_review(request, object_id)
        findings = privacy_scan.review_scan(review=review)
        context = self._privacy_context(
            request,
            review,
            title=f"Privacy check of {review}",
            findings=findings,
            unresolved=privacy_scan.unresolved(findings),
            edit_links=[self._edit_link(review, finding) for finding in findings],
            can_acknowledge=request.user.has_perm(services.PERMISSION_PUBLISH),
            can_change=self.has_change_permission(request, review),
        )
        context["rows"] = list(zip(findings, context.pop("edit_links"), strict=True))
        return TemplateResponse(request, "admin/reviews/privacy_check.html", context)

    @staticmethod
    def _edit_link(review: Review, finding: privacy_scan.ReviewFinding) -> str:
        """Where to fix a finding: the review's form, at its row when it is an inline one."""
        change = reverse("admin:reviews_review_change", args=[review.pk])
        accessor = finding.field_key.split(".")[0]
        if not finding.row_indexes:
            return f"{change}#id_{finding.field_key}"
        if accessor == "learning_points" and len(finding.row_indexes) > 1:
            point = review.learning_points.order_by("position", "pk")[finding.row_indexes[0]]
            url = reverse("admin:learning_learningpoint_change", args=[point.pk])
            return f"{url}#prompts-{finding.row_indexes[1]}"
        return f"{change}#{accessor}-{finding.row_indexes[0]}"

    @method_decorator(require_POST)
    def privacy_acknowledge_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        review = self._privacy_review(request, object_id)
        try:
            privacy_services.privacy_acknowledge(
                review=review,
                fingerprint=request.POST.get("fingerprint", ""),
                reason=request.POST.get("reason", ""),
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Acknowledged. It no longer stops publication while that text stays as it is.",
            )
        return HttpResponseRedirect(self._privacy_url(review))

    @method_decorator(sensitive_post_parameters("names"))
    def protected_names_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        review = self._privacy_review(request, object_id)
        if not self.has_change_permission(request, review):
            raise PermissionDenied
        form = ProtectedNamesForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                said = self._save_names(review, request.user, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                for text in said:
                    messages.success(request, text)
                return HttpResponseRedirect(self._privacy_url(review))
        return TemplateResponse(
            request,
            "admin/reviews/privacy_names.html",
            self._privacy_context(request, review, title=f"Protected names of {review}", form=form),
        )

    @staticmethod
    @transaction.atomic  # clearing and adding succeed together or not at all
    def _save_names(review: Review, user, data: dict) -> list[str]:
        """Store the names; what to tell the user (counts only)."""
        names, said = data["names"], []
        if data["clear"]:
            cleared = privacy_services.protected_names_clear(review=review, user=user)
            said.append(f"{cleared} stored name{'s' if cleared != 1 else ''} cleared.")
        if names.strip() or not data["clear"]:
            result = privacy_services.protected_names_add(review=review, names=names, user=user)
            said.append(
                f"{result.added} name{'s' if result.added != 1 else ''} added"
                + (f" ({result.already_stored} already stored)" if result.already_stored else "")
                + f"; {result.total} stored in all."
            )
        return said
