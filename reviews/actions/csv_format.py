"""The action plan CSV's columns and the formula guard, shared by import and export.

Spec: /work/shared/specs/action-plan.md; for staff: docs/action-plans.md.
"""

BOM = "\ufeff"
COLUMNS = ("review", "recommendation", "action", "owner", "due", "status", "progress", "evidence")
# Written by the export after COLUMNS; an import accepts them and ignores their values.
READ_ONLY_COLUMNS = ("brag", "accepted_by", "accepted_on")
OPTIONAL_COLUMNS = frozenset({"progress", "evidence"})

# A spreadsheet reads a cell that starts with one of these as a formula (or, for tab and
# carriage return, may shift it into one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """The cell as written on export: a leading ' makes a spreadsheet show it as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unneutralise(value: str) -> str:
    """The cell's text as imported: undoes neutralise(), and keeps any formula as text."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
