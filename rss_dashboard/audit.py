"""Who made a change, for the history django-simple-history keeps of a row (issue 20).

Every service that takes `by` calls `attribute(row, by)` before saving the row, so its history
entry names who did it: a person (the signed-in coordinator or office member), or, for a job, a
command or the shell, a name such as "job:recompute_statuses" kept as the entry's change reason.
"""

from typing import Any

REASON_LENGTH = 100  # django-simple-history's history_change_reason holds 100 characters


def attribute(row: Any, by: Any, reason: str = "") -> Any:
    """Mark `row` (before its save) with who changes it and, optionally, why."""
    if isinstance(by, str):
        row._history_user = None
        reason = f"{by}: {reason}" if reason else by
    else:
        row._history_user = by if getattr(by, "pk", None) is not None else None
    if reason:
        row._change_reason = reason[:REASON_LENGTH]
    return row
