"""A staff report's filter form as plain data for templates/portal/_report_filters.html.

Django renders a form's <select> through a template per option; with a few hundred reviews
to choose from that alone took 190 ms of the assurance report's page. Here the options are
read once from the field's choices and rendered by one loop. The form still does all the
validating; a filter whose value was refused shows "all" (which is what the report used).
"""

from dataclasses import dataclass

from django import forms


class NamedChoiceField(forms.ModelChoiceField):
    """A choice of one row by its slug, whose options are read as (slug, name) pairs: no
    model instance per option (a few hundred reviews made a few hundred instances)."""

    def __init__(self, queryset, *, label_field: str = "name", **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(queryset, **kwargs)
        self.label_field = label_field

    def options(self) -> tuple[tuple[str, str], ...]:
        pairs = self.queryset.values_list(self.to_field_name, self.label_field)
        return (("", str(self.empty_label or "")),) + tuple(
            (str(value), str(label)) for value, label in pairs
        )


@dataclass(frozen=True)
class FilterField:
    id: str
    name: str
    label: str
    kind: str  # "select" or "date"
    value: str
    options: tuple[tuple[str, str], ...] = ()
    has_error: bool = False


def report_filter_fields(form: forms.Form) -> list[FilterField]:
    valid = getattr(form, "cleaned_data", {})
    fields = []
    for bound in form:
        field = bound.field
        chosen = valid.get(bound.name)
        if isinstance(field, forms.ModelChoiceField):
            value = getattr(chosen, field.to_field_name or "pk", "") if chosen else ""
        elif chosen:
            value = chosen.isoformat() if hasattr(chosen, "isoformat") else str(chosen)
        else:
            value = ""
        if isinstance(field, forms.DateField):
            kind, options = "date", ()
        elif isinstance(field, NamedChoiceField):
            kind, options = "select", field.options()
        else:
            kind = "select"
            options = tuple((str(option), str(label)) for option, label in field.choices)
        fields.append(
            FilterField(
                id=bound.id_for_label,
                name=bound.html_name,
                label=str(bound.label),
                kind=kind,
                value=str(value),
                options=options,
                has_error=bool(bound.errors),
            )
        )
    return fields
