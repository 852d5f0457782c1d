"""How long free text may be (issue 13.7): one place for the numbers the forms, the services and
the database constraints share. Generous for what people write, small enough that a pasted file
cannot make a 9 MB editor, flyer or email."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

OBJECTIVES = 4000
MESSAGE = 10_000  # an email a coordinator or owner writes
NOTE = 2000  # reasons, decision notes, review notes
COMMENT = 2000
TICKET = 5000
RECURRENCE = 2000  # an RRULE; exception dates are their own list
STATEMENT = 3000  # a flyer's accreditation or designation statement


def at_most(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """The database's own guard, for writes that skip the forms (shell, admin, bugs)."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)
