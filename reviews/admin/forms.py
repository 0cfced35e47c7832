"""The forms of the workflow's admin pages: edits refused when someone else saved first,
publishing, reasons, preview links."""

from django import forms
from django.core.exceptions import ValidationError

from reviews.models import Review
from reviews.publishing import services


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class StaleEditForm(forms.ModelForm):
    """A hidden version number: saving over someone else's newer save is refused.

    `review_for_lock()` names the review to lock. The check runs inside the admin's
    transaction and holds the row lock (SELECT ... FOR UPDATE) until the save commits, so
    a second editor waits, then is refused; the form comes back with their input in it.
    """

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note = forms.CharField(
        required=False,
        max_length=500,
        label="What did you change?",
        help_text="Optional. Shown in the review's history, for example “Corrected the "
        "chronology dates”.",
    )

    def review_for_lock(self) -> Review | None:
        raise NotImplementedError

    def clean(self):
        cleaned_data = super().clean()
        review = self.review_for_lock()
        if review is None or review.pk is None:
            return cleaned_data
        expected = cleaned_data.get("edit_version")
        if expected is None:
            raise ValidationError(
                "This form is missing its version number. Open the review again and redo "
                "your changes."
            )
        try:
            services.review_lock_for_edit(review_id=review.pk, expected_version=expected)
        except services.StaleEditError as error:
            raise ValidationError(error.messages) from error
        return cleaned_data


class ReviewAdminForm(StaleEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["edit_version"] = self.instance.version if self.instance.pk else 0

    def review_for_lock(self) -> Review | None:
        return self.instance if self.instance.pk else None


class ReviewChildAdminForm(StaleEditForm):
    """For rows edited on their own page (learning points): the parent review's version."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["edit_version"] = self.instance.review.version

    def review_for_lock(self) -> Review | None:
        # A new row changes nothing anyone else saved; an existing one checks its review.
        return self.instance.review if self.instance.pk else None


class PublishForm(forms.Form):
    go_live_at = forms.DateTimeField(
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        label="Go live at",
        help_text="Leave empty to publish now.",
    )
    note = forms.CharField(required=False, max_length=1000)
    # Shown only before the earliest publication date; the service refuses without it.
    confirm_early = forms.BooleanField(required=False)


class PreviewLinkForm(forms.Form):
    days = forms.IntegerField(
        min_value=1, max_value=services.PREVIEW_LINK_MAX_DAYS, initial=7, required=False
    )
    note = forms.CharField(required=False, max_length=200)
