"""The statutory calendar (docs/statutory-deadlines.md): working days of each UK nation and a
board's closure days (`working_days.py`), the deadlines drawn from a review's statutory dates
(`deadlines.py`), and the board's closure days as state changes (`services.py`)."""
