"""Files on a child: supporting documentation (internal) and uploaded files."""

from collections.abc import Iterable

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from activities.models import ChildActivity, ChildFile, ChildFileKind
from rss_dashboard.uploads import CHILD_FILE_KINDS, CheckedUpload, check_upload

DEFAULT_MAX_BYTES = 25 * 1024 * 1024


def child_file_max_bytes() -> int:
    return int(getattr(settings, "CHILD_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_child_file(upload) -> CheckedUpload:
    """Raises UploadError when the file is refused (type, content, size)."""
    return check_upload(upload, kinds=CHILD_FILE_KINDS, max_bytes=child_file_max_bytes())


def child_files_add(
    *, child: ChildActivity, uploads: Iterable[tuple[str, File]], by=None
) -> list[ChildFile]:
    """Store (kind, upload) pairs under random names, all or none.

    Every file is checked before anything is written; if the database work fails afterwards, the
    files already stored are deleted again so no orphan stays on disk.
    """
    checked = [(ChildFileKind(kind), upload, check_child_file(upload)) for kind, upload in uploads]
    stored: list[ChildFile] = []
    try:
        with transaction.atomic():
            for kind, upload, info in checked:
                row = ChildFile(
                    child=child,
                    kind=kind,
                    original_name=info.name,
                    content_type=info.content_type,
                    size=info.size,
                    uploaded_by=by,
                )
                row.file.save(info.name, upload, save=False)
                stored.append(row)
                row.save()
    except Exception:
        for row in stored:
            if row.file.name:
                row.file.storage.delete(row.file.name)
        raise
    return stored


@transaction.atomic
def child_file_remove(child_file: ChildFile, *, by=None) -> ChildFile:
    """Soft removal: the record and the stored file stay for audit; nobody downloads it again."""
    locked = ChildFile.objects.select_for_update().get(pk=child_file.pk)
    if locked.removed_at is None:
        locked.removed_at = timezone.now()
        locked.removed_by = by if getattr(by, "pk", None) is not None else None
        locked.save(update_fields=["removed_at", "removed_by"])
    return locked
