"""Checks on uploaded files: by size, by extension AND by content (SPEC §4).

A file is accepted only when its extension is allowed and its first bytes (and, for zip containers,
its table of contents) say it really is that kind of file. A renamed executable, an empty file or a
file over the size limit is refused with a message a coordinator understands. The person's file
name is kept only for display and download; it never reaches the file system (storage names are
random, see `child_file_path` and `presentation_path`).
"""

import os
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

import filetype

from rss_dashboard.errors import DomainError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc/.ppt/.xls (Compound File Binary)
ZIP = b"PK\x03\x04"
SNIFF_BYTES = 8192


class UploadError(DomainError):
    pass


@dataclass(frozen=True)
class Kind:
    """How one extension is recognised by content, and the type it is served with."""

    family: str
    content_type: str


PRESENTATION_KINDS: Mapping[str, Kind] = {
    "pdf": Kind("pdf", "application/pdf"),
    "ppt": Kind("ole2", "application/vnd.ms-powerpoint"),
    "pptx": Kind(
        "ooxml:ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    "key": Kind("keynote", "application/vnd.apple.keynote"),
    "doc": Kind("ole2", "application/msword"),
    "docx": Kind(
        "ooxml:word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
}

CHILD_FILE_KINDS: Mapping[str, Kind] = {
    **PRESENTATION_KINDS,
    "xls": Kind("ole2", "application/vnd.ms-excel"),
    "xlsx": Kind("ooxml:xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "png": Kind("image/png", "image/png"),
    "jpg": Kind("image/jpeg", "image/jpeg"),
    "jpeg": Kind("image/jpeg", "image/jpeg"),
    "txt": Kind("text", "text/plain; charset=utf-8"),
    "csv": Kind("text", "text/csv; charset=utf-8"),
}


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    extension: str
    content_type: str
    size: int


def clean_filename(raw: str, extension: str) -> str:
    """The base name only, without path parts or control characters, at most 200 characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name or name in {".", ".."}:
        name = f"file.{extension}"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 199 - len(ext)]}.{ext}" if dot else name[:200]
    return name


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n} bytes"  # pragma: no cover


def _zip_names(upload) -> list[str]:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []
    finally:
        upload.seek(0)


def _matches(family: str, head: bytes, upload) -> bool:
    if family == "pdf":
        return head.startswith(b"%PDF-") and _guess(head) == "application/pdf"
    if family == "ole2":
        return head.startswith(OLE2)
    if family.startswith("ooxml:"):
        prefix = family.partition(":")[2]
        names = _zip_names(upload) if head.startswith(ZIP) else []
        return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)
    if family == "keynote":
        # Keynote '13 and later: Index/*.iwa; Keynote '09: index.apxl(.gz). Both are zip files.
        names = _zip_names(upload) if head.startswith(ZIP) else []
        return any(n.startswith("Index/") or n.startswith("index.apxl") for n in names)
    if family.startswith("image/"):
        return _guess(head) == family
    if family == "text":
        if b"\x00" in head or _guess(head) is not None:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:  # a cut multi-byte character at the end is fine
            return exc.start >= len(head) - 3
        return True
    return False


def _guess(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_upload(upload, *, kinds: Mapping[str, Kind], max_bytes: int) -> CheckedUpload:
    """Accept an uploaded file or raise UploadError saying why not."""
    raw_name = getattr(upload, "name", "") or ""
    extension = os.path.splitext(raw_name.replace("\\", "/").rsplit("/", 1)[-1])[1].lower()[1:]
    allowed = ", ".join(sorted(kinds))
    if extension not in kinds:
        raise UploadError(
            "extension",
            f"{clean_filename(raw_name, 'bin')} is not an accepted kind of file. Accepted: {allowed}.",
        )
    size = upload.size or 0
    if size <= 0:
        raise UploadError("empty", f"{clean_filename(raw_name, extension)} is empty (0 bytes).")
    if size > max_bytes:
        raise UploadError(
            "too_large",
            f"{clean_filename(raw_name, extension)} is {human_size(size)}; the limit is "
            f"{human_size(max_bytes)}.",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = kinds[extension]
    if not _matches(kind.family, head, upload):
        found = _guess(head)
        found_text = f" (its content looks like {found})" if found else ""
        raise UploadError(
            "content_mismatch",
            f"{clean_filename(raw_name, extension)} is not a real .{extension} file{found_text}. "
            "Save it again from the program that made it, or export it as PDF.",
        )
    return CheckedUpload(
        name=clean_filename(raw_name, extension),
        extension=extension,
        content_type=kind.content_type,
        size=size,
    )
