"""The RSS Activity Editor window and the child's files."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from activities.models import ChildFile, ChildFileKind, Specialty
from tests import factories as f
from tests.activities import uploads_data as data
from tests.personas import HTMX, INSIDE, WINDOW, login

pytestmark = pytest.mark.django_db


def url(child):
    return reverse("child_edit", args=[child.pk])


def form_data(child, **changes):
    start, end = child.local_start, child.local_end
    values = {
        "version": child.version,
        "name": child.name,
        "location": child.location,
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "objectives": child.objectives,
        "texting_minutes_prior": child.texting_minutes_prior,
        "texting_minutes_after": child.texting_minutes_after,
        "professions": ["physician"],
    }
    values.update(changes)
    return values


def test_it_opens_the_editor_for_the_series_coordinators_only(
    client, coordinator, owner, outsider, admin, child
):
    response = login(client, coordinator).get(url(child), **WINDOW)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="modal fade"' in body and "RSS Activity Editor" in body
    assert "Do not edit this information. Otherwise, credit claiming may not work." in body
    assert login(client, owner).get(url(child), **WINDOW).status_code == 403
    assert login(client, outsider).get(url(child), **WINDOW).status_code == 404
    assert login(client, admin).get(url(child), **WINDOW).status_code == 200
    assert client.put(url(child)).status_code == 405


def test_it_saves_a_new_name_and_the_row_flag_clears(client, coordinator, series):
    child = f.child(series, name="TBD")
    assert child.name_needs_update
    cardiology = Specialty.objects.create(name="Cardiology")
    response = login(client, coordinator).post(
        url(child),
        form_data(child, name="Heart failure update", specialties=[cardiology.pk]),
        **INSIDE,
    )
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"])["closeModal"] is True
    body = response.content.decode()
    assert f'<tr id="child-row-{child.pk}"' in body and 'hx-swap-oob="true"' in body
    assert "Heart failure update" in body and "Name needs update" not in body
    child.refresh_from_db()
    assert child.name == "Heart failure update" and not child.name_needs_update
    assert list(child.specialties.all()) == [cardiology]
    assert child.version == 2


def test_it_refuses_an_owner_and_an_outsider_and_changes_nothing(client, owner, outsider, child):
    for person, status in ((owner, 403), (outsider, 404)):
        response = login(client, person).post(url(child), form_data(child, name="Hijacked"))
        assert response.status_code == status
    child.refresh_from_db()
    assert child.name == "Sepsis bundles" and child.version == 1


def test_it_keeps_the_session_in_the_series_year(client, coordinator, child):
    next_year = child.parent.year + 1
    response = login(client, coordinator).post(
        url(child), form_data(child, date=f"{next_year}-01-15", name="Renamed"), **INSIDE
    )
    assert response.status_code == 200
    assert f"is approved for {child.parent.year} only".encode() in response.content
    child.refresh_from_db()
    assert child.name == "Sepsis bundles" and child.version == 1


def test_it_refuses_an_end_before_the_start(client, coordinator, child):
    response = login(client, coordinator).post(
        url(child), form_data(child, start_time="13:00", end_time="12:00"), **INSIDE
    )
    assert b"The end must be after the start." in response.content
    child.refresh_from_db()
    assert child.version == 1


@pytest.mark.parametrize("bad", [str(2**63), str(2**70), "-" + str(2**64), "x1", "99999"])
def test_it_refuses_a_specialty_that_does_not_exist_and_changes_nothing(
    client, coordinator, child, bad
):
    """Ids past 64 bits once reached SQLite (the development database) and answered 500."""
    Specialty.objects.create(name="Cardiology")
    response = login(client, coordinator).post(
        url(child), form_data(child, name="Heart failure update", specialties=[bad]), **INSIDE
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select a valid choice" in body or "is not a valid value" in body
    child.refresh_from_db()
    assert child.version == 1 and child.name != "Heart failure update"


def test_it_lets_only_administrators_change_texting_minutes(client, coordinator, admin, child):
    login(client, coordinator).post(
        url(child), form_data(child, texting_minutes_prior=5, texting_minutes_after=1), **INSIDE
    )
    child.refresh_from_db()
    assert (child.texting_minutes_prior, child.texting_minutes_after) == (30, 10_000)
    assert child.version == 2  # the rest was saved
    login(client, admin).post(
        url(child),
        form_data(child, texting_minutes_prior=60, texting_minutes_after=20_000),
        **INSIDE,
    )
    child.refresh_from_db()
    assert (child.texting_minutes_prior, child.texting_minutes_after) == (60, 20_000)


def test_it_does_not_overwrite_a_change_made_meanwhile(client, coordinator, child):
    stale = form_data(child, name="My version")
    from activities.services.children import child_update

    child_update(child, name="Their version", expected_version=1)
    response = login(client, coordinator).post(url(child), stale, **INSIDE)
    assert b"changed by someone else" in response.content
    assert b"Reload the session" in response.content
    child.refresh_from_db()
    assert child.name == "Their version"


def test_it_stores_files_under_random_names_and_serves_them_as_attachments(
    client, coordinator, owner, outsider, child, settings
):
    payload = form_data(child)
    payload["supporting_files"] = [data.upload("../../needs assessment.pdf", data.PDF)]
    payload["uploaded_files"] = [data.upload("agenda.docx", data.DOCX)]
    login(client, coordinator).post(url(child), payload, **INSIDE)
    supporting = ChildFile.objects.get(child=child, kind=ChildFileKind.SUPPORTING)
    uploaded = ChildFile.objects.get(child=child, kind=ChildFileKind.UPLOADED)
    assert supporting.original_name == "needs assessment.pdf"
    assert "needs" not in supporting.file.name and ".." not in supporting.file.name
    assert (settings.MEDIA_ROOT / supporting.file.name).read_bytes() == data.PDF
    assert uploaded.content_type.endswith("wordprocessingml.document")

    download = reverse("child_file_download", args=[supporting.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "needs assessment.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == data.PDF
    assert login(client, owner).get(download).status_code == 200
    assert login(client, outsider).get(download).status_code == 404

    child.refresh_from_db()
    login(client, coordinator).post(
        url(child), form_data(child, remove_files=[supporting.pk]), **INSIDE
    )
    supporting.refresh_from_db()
    assert supporting.removed_at is not None
    assert client.get(download).status_code == 404


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", data.EXE, b"is not a real .pdf file"),
        ("empty.pdf", b"", b"The submitted file is empty."),
        ("script.sh", b"#!/bin/sh\n", b"is not an accepted kind of file"),
    ],
)
def test_it_refuses_bad_files_and_saves_nothing(client, coordinator, child, name, content, message):
    payload = form_data(child, name="Renamed meanwhile")
    payload["supporting_files"] = [data.upload(name, content)]
    response = login(client, coordinator).post(url(child), payload, **INSIDE)
    assert message in response.content
    child.refresh_from_db()
    assert child.name == "Sepsis bundles"
    assert not ChildFile.objects.exists()


def test_it_refuses_a_file_over_the_limit(client, coordinator, child, settings):
    settings.CHILD_FILE_MAX_BYTES = 50
    payload = form_data(child)
    payload["uploaded_files"] = [data.upload("talk.pdf", data.PDF + b" " * 100)]
    response = login(client, coordinator).post(url(child), payload, **INSIDE)
    assert b"the limit is 50 bytes" in response.content
    assert not ChildFile.objects.exists()


def test_it_works_without_javascript_too(client, coordinator, child):
    login(client, coordinator)
    page = client.get(url(child))
    assert b"<html" in page.content and b"Save &amp; Close" in page.content
    response = client.post(url(child), form_data(child, name="Plain form post"))
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/?child_id={child.pk}"


def test_it_moves_the_time_keeping_the_duration_when_the_date_changes(client, coordinator, child):
    new_day = (child.local_start + timedelta(days=1)).date().isoformat()
    login(client, coordinator).post(url(child), form_data(child, date=new_day), **HTMX)
    child.refresh_from_db()
    assert child.local_start.date().isoformat() == new_day
    assert child.duration_minutes == 60
