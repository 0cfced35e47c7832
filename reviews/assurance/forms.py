"""The assurance report's filters: a GET form whose bad values get a message, never a 500.

A value that is not a board, agency, review or BRAG state is reported in the error summary
and that filter is left out, so the page still shows a report (of everything, for that
filter) and says so.
"""

from django import forms
from django.utils.http import urlencode

from portal.charts import BRAG_SERIES
from portal.report_filters import NamedChoiceField
from reviews.assurance.selectors import AssuranceFilters
from reviews.models import Action, Agency, Board, Review

# %(value).60s: a long hostile value is cut short in the message, not echoed whole.
UNKNOWN = "There is no {what} “%(value).60s”. The report below shows every {what}."


def _unknown(what: str) -> dict:
    return {"invalid_choice": UNKNOWN.format(what=what)}


class AssuranceFilterForm(forms.Form):
    board = NamedChoiceField(
        queryset=Board.objects.order_by("name"),
        required=False,
        empty_label="All boards",
        error_messages=_unknown("board"),
    )
    agency = NamedChoiceField(
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="All agencies",
        label="Owning agency",
        error_messages=_unknown("agency"),
    )
    review = NamedChoiceField(
        # Only reviews with an action plan: the list stays short however many reviews exist.
        # A semi-join reading three columns: a DISTINCT over the join read every column of
        # every review row (the stored pages too), 160 ms at 200 reviews.
        queryset=Review.objects.working_copies()
        .filter(id__in=Action.objects.values("review_id"))
        .only("id", "slug", "title")
        .order_by("title", "slug"),
        required=False,
        label_field="title",
        empty_label="All reviews",
        error_messages=_unknown("review"),
    )
    brag = forms.ChoiceField(
        choices=[("", "All BRAG states"), *((one.key, one.label) for one in BRAG_SERIES)],
        required=False,
        label="BRAG",
        error_messages={
            "invalid_choice": "“%(value).60s” is not a BRAG state (blue, red, amber or green). "
            "The report below shows every state."
        },
    )

    def filters(self) -> AssuranceFilters:
        """The valid filters (call after is_valid(); invalid ones are left out)."""
        data = getattr(self, "cleaned_data", {})
        return AssuranceFilters(
            board=data.get("board"),
            agency=data.get("agency"),
            review=data.get("review"),
            brag=data.get("brag") or None,
        )

    def query_string(self) -> str:
        """The valid filters as a query string, for the CSV and PDF links."""
        filters = self.filters()
        params = {
            "board": filters.board.slug if filters.board else "",
            "agency": filters.agency.slug if filters.agency else "",
            "review": filters.review.slug if filters.review else "",
            "brag": filters.brag or "",
        }
        return urlencode({key: value for key, value in params.items() if value})
