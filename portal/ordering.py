"""Saving inline rows that carry a position, without tripping the unique-position constraint.

Editors reorder rows by typing new positions. Django saves inline rows one at a time, so
swapping two positions would collide half-way through; parking the existing rows out of the
way first lets any reordering that is valid as a whole be saved.
"""

from django import forms
from django.db import models, transaction
from django.db.models import F

PARKED = 1_000_000


class OrderedChild(models.Model):
    """A row shown in a fixed order within its parent (chronology, findings...)."""

    position = models.PositiveIntegerField(
        default=0, help_text="Rows are shown in this order, lowest first."
    )

    class Meta:
        abstract = True
        ordering = ["position"]


class OrderedChildForm(forms.ModelForm):
    position = forms.IntegerField(
        required=False,
        min_value=1,
        help_text="Leave empty to add the row at the end.",
        widget=forms.NumberInput(attrs={"class": "vSmallField"}),
    )

    def _get_validation_exclusions(self) -> set[str]:
        # Positions are checked across the whole formset (rows may swap places), not row by
        # row against the database as it was before the save.
        return super()._get_validation_exclusions() | {"position"}

    def clean_position(self) -> int:
        # 0 marks "not numbered yet"; the formset numbers these after the others.
        return self.cleaned_data.get("position") or 0


class OrderedInlineFormSet(forms.BaseInlineFormSet):
    """Rejects two rows with one position, and numbers rows left without one."""

    def clean(self) -> None:
        super().clean()
        seen: dict[int, int] = {}
        for index, form in enumerate(self.forms, start=1):
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            position = form.cleaned_data.get("position")
            if not position:
                continue
            if position in seen:
                raise forms.ValidationError(
                    f"Rows {seen[position]} and {index} both have position {position}. "
                    "Give each row its own position."
                )
            seen[position] = index
        next_position = max(seen, default=0) + 1
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("DELETE") and not data.get("position") and form.has_changed():
                form.instance.position = next_position
                data["position"] = next_position
                next_position += 1


def save_ordered_formset(formset: forms.BaseInlineFormSet) -> None:
    parent = formset.instance
    rows = formset.model.objects.filter(**{formset.fk.name: parent})
    with transaction.atomic():
        instances = formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        rows.update(position=F("position") + PARKED)
        for instance in instances:
            instance.save()
        rows.filter(position__gte=PARKED).update(position=F("position") - PARKED)
        formset.save_m2m()
