"""The admin's forms for actions: the action itself, sending evidence back, evidence files,
and an action plan CSV to import.

ActionAdminForm saves through reviews/actions/services.py when it is cleaned, inside the
admin's transaction: a refusal from the service (a stale edit, a status the rules forbid)
comes back as a form error with the user's input kept, and nothing is written.
"""

from django import forms
from django.core.exceptions import ValidationError

from reviews.actions import services
from reviews.actions.attachments import ACCEPTED_EXTENSIONS, ACCEPTED_TEXT, max_bytes
from reviews.actions.fields import ActionFields
from reviews.actions.rules import EDIT_TRANSITIONS, NEW_ACTION_STATUSES, Status
from reviews.models import Action, Review


def _status_choices(current: str | None) -> list[tuple[str, str]]:
    allowed = NEW_ACTION_STATUSES if current is None else EDIT_TRANSITIONS[current]
    return [(value, label) for value, label in Status.choices if value in allowed]


class ActionAdminForm(forms.ModelForm):
    new_status = forms.ChoiceField(
        label="Status",
        help_text="“Evidence submitted” asks a publisher to accept the evidence; only their "
        "acceptance makes an action complete.",
    )
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    user = None  # set by ActionAdmin.get_form

    class Meta:
        model = Action
        fields = [
            "review",
            "recommendation_number",
            "description",
            "owner",
            "due_on",
            "progress",
            "evidence",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "progress": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
            # A date input takes only ISO dates, whatever the language's format.
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.status if self.instance.pk else None
        self.fields["new_status"].choices = _status_choices(current)
        if self.instance.pk:
            self.fields["new_status"].initial = self.instance.status
            self.fields["edit_version"].initial = self.instance.version
        if "review" in self.fields:
            self.fields["review"].queryset = Review.objects.working_copies().order_by("title")
        self.saved_action: Action | None = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        fields = ActionFields(
            description=cleaned["description"],
            owner=cleaned["owner"],
            due_on=cleaned["due_on"],
            progress=cleaned.get("progress", ""),
            evidence=cleaned.get("evidence", ""),
        )
        try:
            if self.instance.pk:
                self.saved_action = services.action_update(
                    action=self.instance,
                    user=self.user,
                    expected_version=cleaned.get("edit_version"),
                    fields=fields,
                    status=cleaned["new_status"],
                )
            else:
                self.saved_action = services.action_create(
                    review=cleaned["review"],
                    user=self.user,
                    recommendation_number=cleaned["recommendation_number"],
                    fields=fields,
                    status=cleaned["new_status"],
                )
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return cleaned

    def _post_clean(self) -> None:
        # The model's own checks (the unique position) do not apply: the service numbered it.
        pass


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why the evidence is not enough (required)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AcceptForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Evidence file",
        help_text=f"{ACCEPTED_TEXT}; at most {max_bytes() // 1_048_576} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )


class ActionPlanImportForm(forms.Form):
    file = forms.FileField(
        label="Action plan CSV",
        help_text="UTF-8 CSV with the columns review, recommendation, action, owner, due, "
        "status, progress, evidence (docs/action-plans.md).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
