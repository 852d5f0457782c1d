"""Saving the RSS Activity Editor: fields, audience and files in one transaction (all or none)."""

from collections.abc import Iterable, Sequence

from django.core.files import File
from django.db import transaction

from activities.models import ChildActivity, ChildFile

from .children import child_update
from .files import child_file_remove, child_files_add


@transaction.atomic
def child_edit_save(
    child: ChildActivity,
    *,
    expected_version: int,
    fields: dict,
    specialties: Iterable,
    new_files: Sequence[tuple[str, File]] = (),
    remove_file_ids: Iterable[int] = (),
    by=None,
) -> ChildActivity:
    """Raises ChildError (stale version, year rule, times) or UploadError; nothing is saved then."""
    updated = child_update(child, expected_version=expected_version, by=by, **fields)
    updated.specialties.set(list(specialties))
    for stored in ChildFile.objects.filter(
        child=updated, pk__in=list(remove_file_ids), removed_at__isnull=True
    ):
        child_file_remove(stored, by=by)
    child_files_add(child=updated, uploads=new_files, by=by)
    return updated
