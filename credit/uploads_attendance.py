"""Checks on uploaded attendance files (participant reports, rosters): by extension, size and
content, as every upload is (activities/uploads.py); and where a previewed file waits for its
import (storage, under a random name; never served)."""

import os
import secrets
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from rss_dashboard.errors import DomainError
from rss_dashboard.uploads import (
    CHILD_FILE_KINDS,
    UploadError,
    check_upload,
    clean_filename,
    human_size,
)

REPORT_EXTENSIONS = ("csv", "txt", "tsv")
ROSTER_EXTENSIONS = ("csv", "txt", "xlsx")
PENDING_DIR = "attendance/pending"
PENDING_KEEP_SECONDS = 24 * 3600


class AttendanceError(DomainError):
    """codes: the file's (extension, empty, too_large, content_mismatch, binary, columns, ...),
    year_reported, inactive_session, already_imported, times_outside, stale_preview,
    already_undone, undone, not_to_confirm, no_person, and PersonError's."""


def read_upload(upload, *, kind: str) -> tuple[bytes, str, str]:
    """The bytes, the cleaned name and the extension of an uploaded attendance file, checked by
    size and by content as every upload is (activities/uploads.py). Raises AttendanceError."""
    raw_name = getattr(upload, "name", "") or ""
    extension = os.path.splitext(raw_name.replace("\\", "/").rsplit("/", 1)[-1])[1].lower()[1:]
    allowed = REPORT_EXTENSIONS if kind == "report" else ROSTER_EXTENSIONS
    name = clean_filename(raw_name, extension or "csv")
    if extension == "xls":
        raise AttendanceError(
            "extension", f"{name} is an old Excel file (.xls): save it as .xlsx or CSV."
        )
    if extension not in allowed:
        raise AttendanceError(
            "extension",
            f"{name} is not an accepted kind of file. Accepted: {', '.join(allowed)}.",
        )
    size = upload.size or 0
    limit = settings.ATTENDANCE_MAX_BYTES
    if size <= 0:
        raise AttendanceError("empty", f"{name} is empty (0 bytes).")
    if size > limit:
        raise AttendanceError(
            "too_large", f"{name} is {human_size(size)}; the limit is {human_size(limit)}."
        )
    if extension == "xlsx":
        try:
            check_upload(upload, kinds={"xlsx": CHILD_FILE_KINDS["xlsx"]}, max_bytes=limit)
        except UploadError as exc:
            raise AttendanceError(exc.code, exc.message) from None
    upload.seek(0)
    data = upload.read(limit + 1)
    return data, name, extension


def keep_pending(data: bytes, now: datetime) -> str:
    _sweep_pending(now)
    name = f"{PENDING_DIR}/{int(now.timestamp())}-{secrets.token_hex(16)}"
    return default_storage.save(name, ContentFile(data))


def _sweep_pending(now: datetime) -> None:
    """Previews never imported leave their file behind; drop those older than a day."""
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    oldest = now.timestamp() - PENDING_KEEP_SECONDS
    for file_name in files:
        stamp = file_name.split("-", 1)[0]
        if stamp.isdigit() and int(stamp) < oldest:
            default_storage.delete(f"{PENDING_DIR}/{file_name}")
