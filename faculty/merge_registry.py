"""The other apps' part in a merge of two people, registered from their AppConfig.ready() so that
faculty imports none of them (faculty/services_merge.py runs the steps; the undo calls `after_merge`)."""

from collections.abc import Callable
from typing import Any

MergeStep = Callable[[Any], None]  # takes a faculty.services_merge.MergeContext
_STEPS: list[MergeStep] = []
_AFTER: list[Callable[[list[int]], None]] = []


def register_merge_step(step: MergeStep) -> None:
    """An app's one-per-person rows (e.g. one claim per session): called inside the merge's
    transaction before the generic move of everything else that points at the duplicate."""
    if step not in _STEPS:
        _STEPS.append(step)


def register_after_merge(after: Callable[[list[int]], None]) -> None:
    """Recompute what derives from the people (e.g. session statuses) after a merge or an undo."""
    if after not in _AFTER:
        _AFTER.append(after)


def after_merge(person_ids: list[int]) -> None:
    for after in _AFTER:
        after(person_ids)
