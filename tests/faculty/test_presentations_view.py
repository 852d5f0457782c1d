"""Presentations: upload, download and delete on the row; the faculty member's upload page."""

import json

import pytest
from django.urls import reverse

from tests import factories as f
from tests.activities import uploads_data as data
from tests.personas import HTMX, INSIDE, WINDOW, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(child):
    return f.assign(child, f.person(last_name="Speaker", first_name="Sam"))


def upload(client, assignment, name, content, **headers):
    return client.post(
        reverse("presentation_form", args=[assignment.pk]),
        {"file": data.upload(name, content)},
        **(headers or INSIDE),
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("grand rounds.pptx", data.PPTX),
        ("talk.pdf", data.PDF),
        ("talk.key", data.KEY),
        ("talk.docx", data.DOCX),
        ("old talk.ppt", data.OLE2),
        ("handout.doc", data.OLE2),
    ],
)
def test_it_stores_a_presentation_under_a_random_name(
    client, coordinator, assignment, settings, name, content
):
    response = upload(login(client, coordinator), assignment, name, content)
    assert json.loads(response["HX-Trigger"])["closeModal"] is True
    assert b'hx-swap-oob="true"' in response.content and b"Download" in response.content
    assignment.refresh_from_db()
    assert assignment.presentation_name == name
    stored = assignment.presentation.name
    assert stored.startswith("presentations/") and name.split(".")[0] not in stored
    assert (settings.MEDIA_ROOT / stored).read_bytes() == content


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("talk.pdf", data.EXE, b"is not a real .pdf file"),  # renamed executable
        ("talk.pptx", data.PLAIN_ZIP, b"is not a real .pptx file"),
        ("talk.exe", data.EXE, b"is not an accepted kind of file"),
        ("talk.pdf", b"", b"The submitted file is empty."),
    ],
)
def test_it_refuses_what_is_not_a_presentation(
    client, coordinator, assignment, name, content, message
):
    response = upload(login(client, coordinator), assignment, name, content)
    assert message in response.content
    assignment.refresh_from_db()
    assert not assignment.presentation


def test_it_refuses_a_presentation_over_the_limit(client, coordinator, assignment, settings):
    settings.PRESENTATION_MAX_BYTES = 64
    response = upload(login(client, coordinator), assignment, "talk.pdf", data.PDF + b"x" * 64)
    assert b"the limit is 64 bytes" in response.content
    assignment.refresh_from_db()
    assert not assignment.presentation


def test_it_keeps_a_path_out_of_the_stored_name(client, coordinator, assignment, settings):
    upload(login(client, coordinator), assignment, "../../../etc/cron.d/talk.pdf", data.PDF)
    assignment.refresh_from_db()
    assert assignment.presentation_name == "talk.pdf"
    assert ".." not in assignment.presentation.name
    assert (settings.MEDIA_ROOT / assignment.presentation.name).exists()


def test_it_serves_presentations_only_to_people_who_see_the_child(
    client, coordinator, owner, outsider, assignment
):
    upload(login(client, coordinator), assignment, "Grand rounds.pdf", data.PDF)
    url = reverse("presentation_download", args=[assignment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Grand rounds.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == data.PDF
    assert login(client, owner).get(url).status_code == 200
    assert login(client, outsider).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_it_deletes_a_presentation(
    client, coordinator, owner, assignment, settings, django_capture_on_commit_callbacks
):
    upload(login(client, coordinator), assignment, "talk.pdf", data.PDF)
    assignment.refresh_from_db()
    stored = settings.MEDIA_ROOT / assignment.presentation.name
    url = reverse("presentation_delete", args=[assignment.pk])
    assert login(client, owner).post(url, **HTMX).status_code == 403
    assert stored.exists()
    login(client, coordinator)
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, **HTMX)
    assert response.content.decode().startswith("<tr")
    assignment.refresh_from_db()
    assert not assignment.presentation
    assert not stored.exists()  # removed from storage once the change is committed


def test_owners_cannot_upload(client, owner, outsider, assignment):
    assert (
        login(client, owner)
        .get(reverse("presentation_form", args=[assignment.pk]), **WINDOW)
        .status_code
        == 403
    )
    assert upload(client, assignment, "talk.pdf", data.PDF).status_code == 403
    assert upload(login(client, outsider), assignment, "talk.pdf", data.PDF).status_code == 404


def test_faculty_upload_from_the_link_in_their_email(client, assignment, child):
    url = reverse("presentation_upload", args=[assignment.presentation_token])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Upload your presentation" in page.content and child.name.encode() in page.content
    assert page["Referrer-Policy"] == "no-referrer"
    refused = client.post(url, {"file": data.upload("talk.pdf", data.EXE)})
    assert b"is not a real .pdf file" in refused.content
    done = client.post(url, {"file": data.upload("My talk.pptx", data.PPTX)})
    assert b"We received My talk.pptx" in done.content
    assignment.refresh_from_db()
    assert assignment.presentation_name == "My talk.pptx"


def test_an_unknown_or_withdrawn_link_finds_nothing(client, coordinator, assignment):
    assert client.get(reverse("presentation_upload", args=["x" * 43])).status_code == 404
    from activities.services.faculty import assignment_remove

    assignment_remove(assignment, by=coordinator)
    url = reverse("presentation_upload", args=[assignment.presentation_token])
    assert client.get(url).status_code == 404
    assert client.post(url, {"file": data.upload("talk.pdf", data.PDF)}).status_code == 404
