"""The action plan CSV's columns and the formula guard, shared by import and export.

Spec: /work/shared/specs/action-plan.md; for staff: docs/action-plans.md.
"""

from portal.spreadsheets import FORMULA_STARTS, csv_cell

BOM = "\ufeff"
COLUMNS = ("review", "recommendation", "action", "owner", "due", "status", "progress", "evidence")
# Written by the export after COLUMNS; an import accepts them and ignores their values.
READ_ONLY_COLUMNS = ("brag", "accepted_by", "accepted_on")
OPTIONAL_COLUMNS = frozenset({"progress", "evidence"})


def neutralise(value: str) -> str:
    """The cell as written on export: the one rule for every CSV the portal writes
    (portal/spreadsheets.py), a leading ' that makes a spreadsheet show it as text."""
    return csv_cell(value)


def unneutralise(value: str) -> str:
    """The cell's text as imported: undoes neutralise(), and keeps any formula as text."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
