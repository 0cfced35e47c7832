"""The reach and impact report's filters: a GET form; bad values get a message, never a 500.

A value that is not a review, theme or agency, or a date that cannot be, is reported in the
error summary and that filter is left out.
"""

from django import forms
from django.utils.http import urlencode

from learning.impact.selectors import ImpactFilters
from learning.returns.models import DiscussionReturn
from portal.report_filters import NamedChoiceField
from reviews.models import Agency, Review, Theme

UNKNOWN = "There is no {what} “%(value).60s”. The report below shows every {what}."
BAD_DATE = "Enter a real date as YYYY-MM-DD, such as 2026-04-01. The report below ignores it."


def _unknown(what: str) -> dict:
    return {"invalid_choice": UNKNOWN.format(what=what)}


class ImpactFilterForm(forms.Form):
    review = NamedChoiceField(
        # Only reviews with returns: the list stays short however many reviews exist.
        queryset=Review.objects.working_copies()
        .filter(id__in=DiscussionReturn.objects.values("review_id"))
        .only("id", "slug", "title")
        .order_by("title", "slug"),
        required=False,
        label_field="title",
        empty_label="All reviews",
        error_messages=_unknown("review"),
    )
    theme = NamedChoiceField(
        queryset=Theme.objects.only("id", "slug", "name").order_by("name"),
        required=False,
        empty_label="All themes",
        error_messages=_unknown("theme"),
    )
    agency = NamedChoiceField(
        queryset=Agency.objects.only("id", "slug", "name").order_by("name"),
        required=False,
        empty_label="All agencies",
        error_messages=_unknown("agency"),
    )
    since = forms.DateField(
        required=False,
        label="Discussed from",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": BAD_DATE},
    )
    until = forms.DateField(
        required=False,
        label="Discussed up to",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": BAD_DATE},
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error(
                "until", "“Discussed up to” is before “Discussed from”. The report ignores it."
            )
            data.pop("until", None)
        return data

    def filters(self) -> ImpactFilters:
        """The valid filters (call after is_valid(); invalid ones are left out)."""
        data = getattr(self, "cleaned_data", {})
        return ImpactFilters(
            review=data.get("review"),
            theme=data.get("theme"),
            agency=data.get("agency"),
            since=data.get("since"),
            until=data.get("until"),
        )

    def query_string(self) -> str:
        filters = self.filters()
        params = {
            "review": filters.review.slug if filters.review else "",
            "theme": filters.theme.slug if filters.theme else "",
            "agency": filters.agency.slug if filters.agency else "",
            "since": filters.since.isoformat() if filters.since else "",
            "until": filters.until.isoformat() if filters.until else "",
        }
        return urlencode({key: value for key, value in params.items() if value})
