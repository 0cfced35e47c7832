"""The admin for board staff: Django loads this package, which registers each area's admin."""

from reviews.admin import actions as actions  # noqa: F401, E402  registers the action plans
from reviews.admin import audit as audit  # noqa: F401, E402  registers the audit log's admin
from reviews.admin import calendar as calendar  # noqa: F401  registers closure days
from reviews.admin import glossary as glossary  # noqa: F401  registers the glossary's admin
from reviews.admin import reviews as reviews  # noqa: F401  registers the review admin
