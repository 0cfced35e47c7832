"""The return form of /use/<code>/ and the follow-up form. Every field is bounded; the
services check the same things again (learning/returns/services.py)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.returns import services
from learning.returns.models import (
    MAX_AGENCY_OTHER_LENGTH,
    MAX_BARRIERS_LENGTH,
    MAX_DIFFERENT_LENGTH,
    MAX_PARTICIPANTS,
    MAX_TEAM_NAME_LENGTH,
    UseCode,
)
from reviews.models import Agency

OTHER_AGENCY = "other"
ROLE_LABELS = {
    "health-visitor": _("Health visitor"),
    "social-worker": _("Social worker"),
    "gp": _("GP"),
    "teacher": _("Teacher"),
    "police": _("Police"),
    "nurse": _("Nurse"),
    "midwife": _("Midwife"),
    "early-years": _("Early years"),
    "housing": _("Housing"),
    "other": _("Other"),
}
PRACTICE_LABELS = {"yes": _("Yes"), "partly": _("Partly"), "no": _("No")}
# A phone's keyboard for numbers, not a spinner; the form checks the range.
NUMBER_ATTRS = {"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off"}


class ReturnForm(forms.Form):
    discussed_on = forms.DateField(
        label=_("Date of the discussion"),
        help_text=_("For example 14/03/2026, or choose it from the calendar."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"],
    )
    team_name = forms.CharField(
        label=_("Team name"),
        max_length=MAX_TEAM_NAME_LENGTH,
        help_text=_("The name of your team, not of anyone in it."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    agency = forms.ChoiceField(label=_("Agency"))
    agency_other = forms.CharField(
        label=_("If your agency is not listed, its name"),
        max_length=MAX_AGENCY_OTHER_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    participants = forms.IntegerField(
        label=_("How many people took part"),
        min_value=1,
        max_value=MAX_PARTICIPANTS,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
    )
    roles = forms.MultipleChoiceField(
        label=_("Their roles"),
        help_text=_("Choose all that apply."),
        choices=list(ROLE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    prompts_discussed = forms.MultipleChoiceField(
        label=_("Which questions did you discuss?"),
        help_text=_("The questions as they were printed on your sheet."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    different = forms.CharField(
        label=_("What will your team do differently?"),
        help_text=_(
            "Please do not write the names of children, families or anyone else, or any "
            "detail that could identify them."
        ),
        max_length=MAX_DIFFERENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    email = forms.EmailField(
        label=_("Your work e-mail (optional)"),
        help_text=_(
            "Only if you would like one follow-up in 90 days asking whether it changed what "
            "you do. We delete the address after that, or after 12 months at the latest."
        ),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Hidden from people by CSS; software that fills every field fills this one.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, use_code: UseCode, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_code = use_code
        self.agencies = {agency.slug: agency for agency in Agency.objects.order_by("name")}
        self.fields["agency"].choices = [
            ("", _("Choose your agency")),
            *((slug, agency.name) for slug, agency in self.agencies.items()),
            (OTHER_AGENCY, _("Other (not listed)")),
        ]
        self.fields["prompts_discussed"].choices = [
            (prompt["number"], prompt["text"])
            for learning_point in use_code.snapshot.get("learning_points", [])
            for prompt in learning_point.get("prompts", [])
        ]

    @property
    def has_prompts(self) -> bool:
        return bool(self.fields["prompts_discussed"].choices)

    def prompt_groups(self) -> list[dict]:
        """The questions as the sheet printed them, under their learning points."""
        bound = self["prompts_discussed"]
        selected = set(bound.value() or []) if self.is_bound else set()
        groups, index = [], 0
        for learning_point in self.use_code.snapshot.get("learning_points", []):
            options = []
            for prompt in learning_point.get("prompts", []):
                options.append(
                    {
                        "value": prompt["number"],
                        "label": prompt["text"],
                        "id": f"{bound.auto_id}_{index}",
                        "checked": prompt["number"] in selected,
                    }
                )
                index += 1
            if options:
                groups.append(
                    {
                        "title": f"{learning_point['number']}. {learning_point['title']}",
                        "review_title": learning_point.get("review_title", ""),
                        "options": options,
                    }
                )
        return groups

    def clean_discussed_on(self):
        value = self.cleaned_data["discussed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the discussion cannot be in the future."))
        if value < services.earliest_discussion_date(self.use_code):
            raise forms.ValidationError(
                _("The date of the discussion is before this sheet was printed. Check the year.")
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("agency") == OTHER_AGENCY and not cleaned.get("agency_other", "").strip():
            self.add_error("agency_other", _("Give your agency's name, as it is not listed."))
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def return_data(self) -> services.ReturnData:
        data = self.cleaned_data
        return services.ReturnData(
            discussed_on=data["discussed_on"],
            team_name=data["team_name"],
            agency=self.agencies.get(data["agency"]),
            agency_other=data["agency_other"] if data["agency"] == OTHER_AGENCY else "",
            participants=data["participants"],
            roles=data["roles"],
            prompts_discussed=data["prompts_discussed"],
            different=data["different"],
            email=data["email"] or None,
        )


class FollowUpForm(forms.Form):
    practice_changed = forms.ChoiceField(
        label=_("Did the discussion change what your team does?"),
        choices=list(PRACTICE_LABELS.items()),
        widget=forms.RadioSelect,
    )
    barriers = forms.CharField(
        label=_("What got in the way? (optional)"),
        help_text=_("Please do not write the names of children, families or anyone else."),
        max_length=MAX_BARRIERS_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
