"""Upload checks: extension AND content, size, empty files, names that try to escape."""

import pytest

from rss_dashboard.uploads import (
    CHILD_FILE_KINDS,
    PRESENTATION_KINDS,
    UploadError,
    check_upload,
    clean_filename,
)
from tests.activities import uploads_data as data

MB = 1024 * 1024


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("talk.pdf", data.PDF, "application/pdf"),
        ("talk.PPTX", data.PPTX, PRESENTATION_KINDS["pptx"].content_type),
        ("talk.docx", data.DOCX, PRESENTATION_KINDS["docx"].content_type),
        ("talk.key", data.KEY, "application/vnd.apple.keynote"),
        ("old.ppt", data.OLE2, "application/vnd.ms-powerpoint"),
        ("old.doc", data.OLE2, "application/msword"),
    ],
)
def test_it_accepts_presentations_by_content_and_extension(name, content, content_type):
    checked = check_upload(data.upload(name, content), kinds=PRESENTATION_KINDS, max_bytes=MB)
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.name == name


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("invoice.pdf", data.EXE, "content_mismatch"),  # a renamed executable
        ("talk.pptx", data.DOCX, "content_mismatch"),  # a Word file renamed
        ("talk.key", data.PLAIN_ZIP, "content_mismatch"),  # any zip is not a Keynote file
        ("talk.docx", data.OLE2, "content_mismatch"),
        ("talk.pdf", b"", "empty"),
        ("setup.exe", data.EXE, "extension"),
        ("talk", data.PDF, "extension"),
        ("notes.txt", b"hello", "extension"),  # not a presentation
    ],
)
def test_it_refuses_what_is_not_a_presentation(name, content, code):
    with pytest.raises(UploadError) as refused:
        check_upload(data.upload(name, content), kinds=PRESENTATION_KINDS, max_bytes=MB)
    assert refused.value.code == code


def test_it_refuses_a_file_over_the_limit():
    with pytest.raises(UploadError) as refused:
        check_upload(data.upload("talk.pdf", data.PDF), kinds=PRESENTATION_KINDS, max_bytes=40)
    assert refused.value.code == "too_large"
    assert "the limit is 40 bytes" in refused.value.message


def test_it_checks_child_files_too():
    ok = check_upload(
        data.upload("agenda.txt", "Déjà vu\n".encode()), kinds=CHILD_FILE_KINDS, max_bytes=MB
    )
    assert ok.content_type.startswith("text/plain")
    assert check_upload(data.upload("pic.png", data.PNG), kinds=CHILD_FILE_KINDS, max_bytes=MB)
    with pytest.raises(UploadError):
        check_upload(data.upload("agenda.txt", data.EXE), kinds=CHILD_FILE_KINDS, max_bytes=MB)
    with pytest.raises(UploadError):
        check_upload(data.upload("pic.png", data.PDF), kinds=CHILD_FILE_KINDS, max_bytes=MB)


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("/abs/path/talk.pdf", "talk.pdf"),
        ("tal\x00k\n.pdf", "talk.pdf"),
        ("..", "file.pdf"),
        ("", "file.pdf"),
    ],
)
def test_it_keeps_only_a_plain_file_name(raw, cleaned):
    assert clean_filename(raw, "pdf") == cleaned
