"""Presentations of faculty (SPEC §4): optional, checked by content and extension, stored under a
random name outside the web root and served only through a view that checks permission."""

from django.conf import settings
from django.db import transaction

from faculty.models import Assignment
from rss_dashboard.audit import attribute
from rss_dashboard.errors import DomainError
from rss_dashboard.uploads import PRESENTATION_KINDS, check_upload


class PresentationError(DomainError):
    pass


def _forget_file(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def presentation_attach(*, assignment: Assignment, upload, by=None) -> Assignment:
    """Store (or replace) the presentation; raises UploadError when the file is refused."""
    checked = check_upload(
        upload, kinds=PRESENTATION_KINDS, max_bytes=settings.PRESENTATION_MAX_BYTES
    )
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.removed_at is not None:
        raise PresentationError("removed", "This person is no longer faculty on the session.")
    old = locked.presentation.name if locked.presentation else ""
    locked.presentation.save(checked.name, upload, save=False)
    locked.presentation_name = checked.name
    locked.presentation_content_type = checked.content_type
    try:
        attribute(locked, by).save(
            update_fields=["presentation", "presentation_name", "presentation_content_type"]
        )
    except Exception:
        locked.presentation.storage.delete(locked.presentation.name or "")
        raise
    _forget_file(locked.presentation.storage, old or "")
    return locked


@transaction.atomic
def presentation_remove(*, assignment: Assignment, by=None) -> Assignment:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not locked.presentation:
        raise PresentationError("none", "There is no presentation to delete.")
    old, storage = locked.presentation.name or "", locked.presentation.storage
    locked.presentation = ""
    locked.presentation_name = ""
    locked.presentation_content_type = ""
    attribute(locked, by).save(
        update_fields=["presentation", "presentation_name", "presentation_content_type"]
    )
    _forget_file(storage, old)
    return locked
