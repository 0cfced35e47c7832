"""Days a board's office is closed: they are not working days for its reviews' deadlines."""

from django.db import models

from reviews.models.boards import Board


class ClosureDay(models.Model):
    """A local closure day (a council's extra day at Christmas, say), entered by board staff.

    Bank holidays come from the `holidays` package for the review's nation
    (reviews/calendar/working_days.py); only the board's own closures are stored.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    reason = models.CharField(
        max_length=200, help_text="Why the office is closed, for example “Council closure day”."
    )

    class Meta:
        ordering = ["board", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "date"],
                name="closure_day_unique_per_board",
                violation_error_message="This board already has a closure day on that date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.board}: {self.date:%A} {self.date.day} {self.date:%B %Y}"
