"""The subscribe form and the "change your choices" form. Every field is bounded: the address
by Django's validator and 254 characters (the most SMTP carries), the choices by the themes
and agencies that exist, the honeypot by its length."""

from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from learning.subscriptions.models import Subscription
from learning.subscriptions.services import Choices
from reviews.models import Agency, Theme

EVERYTHING = "everything"
CHOSEN = "chosen"
MAX_EMAIL_LENGTH = 254


class ChoicesForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("What would you like to hear about?"),
        choices=[
            (EVERYTHING, _("Every new and updated review")),
            (CHOSEN, _("Only reviews with the themes or agencies I choose below")),
        ],
        widget=forms.RadioSelect,
        initial=EVERYTHING,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies"),
        queryset=Agency.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    frequency = forms.ChoiceField(
        label=_("How often?"),
        choices=Subscription.Frequency.choices,
        widget=forms.RadioSelect,
        initial=Subscription.Frequency.WEEKLY,
    )

    def clean(self):
        data = super().clean()
        if data.get("scope") == CHOSEN and not (data.get("themes") or data.get("agencies")):
            self.add_error(
                "themes",
                _("Choose at least one theme or agency, or choose every new and updated review."),
            )
        return data

    def choices(self) -> Choices:
        data = self.cleaned_data
        everything = data["scope"] == EVERYTHING
        return Choices(
            everything=everything,
            themes=() if everything else tuple(data["themes"]),
            agencies=() if everything else tuple(data["agencies"]),
            frequency=data["frequency"],
        )

    @classmethod
    def initial_for(cls, subscription: Subscription) -> dict:
        return {
            "scope": EVERYTHING if subscription.everything else CHOSEN,
            "themes": list(subscription.themes.all()),
            "agencies": list(subscription.agencies.all()),
            "frequency": subscription.frequency,
        }


class SubscribeForm(ChoicesForm):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=MAX_EMAIL_LENGTH,
        validators=[EmailValidator(message=_("Enter an e-mail address, like name@example.org."))],
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address, like name@example.org."),
            "max_length": _("An e-mail address can be at most 254 characters long."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    # A field people never see or fill in; software that fills in every field does.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))

    field_order = ["email", "scope", "themes", "agencies", "frequency", "website"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if any(ord(character) < 32 or ord(character) == 127 for character in email):
            raise forms.ValidationError(_("Enter an e-mail address, like name@example.org."))
        # One subscription per mailbox, however the address was typed.
        return email.lower()

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
