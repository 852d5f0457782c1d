"""The session's attendance pages (issue 18): upload -> preview -> import -> confirm -> undo
through the browser's requests; who may do what; messages for bad files; bounded queries."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from credit.models import Claim
from credit.models_attendance import (
    AttendanceEntry,
    AttendanceImport,
    AttendanceSettings,
    KioskCheckIn,
)
from credit.services_kiosk import kiosk_open
from faculty.models import Person
from tests import factories as f
from tests.credit import attendance_files as files

pytestmark = pytest.mark.django_db
Z = ZoneInfo("America/Detroit")


def at(h, m):
    return datetime(2026, 1, 8, h, m, tzinfo=Z)


ROWS = [
    ("Lee Learner", "learner@umich.edu", at(12, 0), at(12, 50)),
    ("Guest Visitor", "", at(12, 0), at(12, 59)),
    ("Jane Doe", "jdoe@med.umich.edu", at(12, 0), at(12, 59)),
]


@pytest.fixture(autouse=True)
def _afternoon(after_grand_rounds):
    yield


def upload(client, child, data, *, kind="report", name="participants.csv", platform=""):
    return client.post(
        reverse("attendance_preview", args=[child.pk]),
        {"kind": kind, "platform": platform, "file": SimpleUploadedFile(name, data)},
    )


def token_of(response) -> str:
    html = response.content.decode()
    start = html.index('name="token" value="') + len('name="token" value="')
    return html[start : html.index('"', start)]


def test_a_coordinator_previews_imports_confirms_and_undoes(
    client, grand_rounds, coordinator, attendees
):
    client.force_login(coordinator)
    page = client.get(reverse("child_attendance", args=[grand_rounds.pk]))
    assert page.status_code == 200 and b"Import a participant report" in page.content
    shown = upload(client, grand_rounds, files.zoom_csv(ROWS))
    assert shown.status_code == 200
    html = shown.content.decode()
    assert 'data-count="to_claim">2<' in html and 'data-count="unmatched">1<' in html
    assert "Nothing has been written yet" in html and not AttendanceImport.objects.exists()

    done = client.post(
        reverse("attendance_import", args=[grand_rounds.pk]),
        {"token": token_of(shown)},
        follow=True,
    )
    record = AttendanceImport.objects.get()
    assert done.redirect_chain[-1][0] == reverse("attendance_import_detail", args=[record.pk])
    assert "2 claim(s) created" in done.content.decode()

    guest = AttendanceEntry.objects.get(outcome="unmatched")
    confirm = reverse("attendance_entry_confirm", args=[guest.pk])
    answer = client.post(
        confirm,
        {"new_last_name": "Visitor", "new_first_name": "Guest", "new_email": "guest@umich.edu"},
        follow=True,
    )
    assert "Visitor, Guest: claim created." in answer.content.decode()
    assert Claim.objects.filter(learner__email="guest@umich.edu", channel="zoom").exists()

    undone = client.post(reverse("attendance_import_undo", args=[record.pk]), follow=True)
    assert "3 claim(s) voided" in undone.content.decode()
    assert Claim.objects.filter(channel="zoom", voided_at__isnull=True).count() == 0
    assert Person.objects.filter(email="guest@umich.edu").exists()  # people added stay


def test_confirming_with_an_existing_address_as_a_new_person_creates_nobody(
    client, grand_rounds, coordinator, attendees
):
    client.force_login(coordinator)
    client.post(
        reverse("attendance_import", args=[grand_rounds.pk]),
        {"token": token_of(upload(client, grand_rounds, files.zoom_csv(ROWS)))},
    )
    guest = AttendanceEntry.objects.get(outcome="unmatched")
    people = Person.objects.count()
    answer = client.post(
        reverse("attendance_entry_confirm", args=[guest.pk]),
        {"new_last_name": "Learner", "new_email": "learner@med.umich.edu"},
        follow=True,
    )
    assert "already has an account as learner@umich.edu" in answer.content.decode()
    assert Person.objects.count() == people
    guest.refresh_from_db()
    assert guest.outcome == "unmatched"
    picked = client.post(
        reverse("attendance_entry_confirm", args=[guest.pk]),
        {"email": "learner@med.umich.edu"},
        follow=True,
    )
    assert "Learner, Lee: already claimed." in picked.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("report.csv", b"Animal,Legs\r\nCat,4\r\n", "This is not a participant report"),
        ("report.csv", b"\x89PNG\r\n\x1a\n" + bytes(256), "image/png"),
        ("report.csv", b"", "is empty (0 bytes)"),
        ("report.csv", b"Name,Email\r\n" + b"x" * 3000, "2.9 KB; the limit is 2 KB"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_and_nothing_changes(
    client, settings, grand_rounds, coordinator, name, data, words
):
    settings.ATTENDANCE_MAX_BYTES = 2048
    client.force_login(coordinator)
    before = (Claim.objects.count(), AttendanceImport.objects.count(), Person.objects.count())
    answer = upload(client, grand_rounds, data, name=name)
    assert answer.status_code == 302
    shown = client.get(answer["Location"]).content.decode()
    assert "Nothing was imported" in shown and words in shown
    assert (
        Claim.objects.count(),
        AttendanceImport.objects.count(),
        Person.objects.count(),
    ) == before


def test_owners_read_but_do_not_import_and_outsiders_see_nothing(
    client, grand_rounds, owner, outsider
):
    client.force_login(owner)
    page = client.get(reverse("child_attendance", args=[grand_rounds.pk]))
    assert page.status_code == 200 and b"Import a participant report" not in page.content
    assert upload(client, grand_rounds, files.zoom_csv(ROWS)).status_code == 403
    assert client.post(reverse("kiosk_open", args=[grand_rounds.pk])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("child_attendance", args=[grand_rounds.pk])).status_code == 404
    assert upload(client, grand_rounds, files.zoom_csv(ROWS)).status_code == 404


def test_the_series_minimum_is_set_by_a_coordinator(client, grand_rounds, coordinator, owner):
    url = reverse("attendance_minimum", args=[grand_rounds.parent_id])
    client.force_login(owner)
    assert client.post(url, {"minimum_percent": "50"}).status_code == 403
    client.force_login(coordinator)
    answer = client.post(url, {"minimum_percent": "50", "child": str(grand_rounds.pk)})
    assert answer["Location"] == reverse("child_attendance", args=[grand_rounds.pk])
    setting = AttendanceSettings.objects.get(parent=grand_rounds.parent)
    assert (setting.minimum_percent, setting.updated_by) == (50, coordinator)
    assert setting.history.count() == 1
    assert client.post(url, {"minimum_percent": "101"}).status_code == 302
    assert AttendanceSettings.objects.get().minimum_percent == 50


def test_opening_a_kiosk_on_this_device_signs_the_coordinator_out(
    client, grand_rounds, coordinator
):
    with __import__("time_machine").travel(f.local(2026, 1, 8, 11, 0), tick=False):
        client.force_login(coordinator)
        shown = client.post(reverse("kiosk_open", args=[grand_rounds.pk]))
        assert shown.status_code == 200 and b"https://rss.example.org/kiosk/" in shown.content
        here = client.post(reverse("kiosk_open", args=[grand_rounds.pk]), {"here": "1"})
        assert here.status_code == 302 and here["Location"].startswith("/kiosk/")
        assert "_auth_user_id" not in client.session
        assert client.get(here["Location"]).status_code == 200


def test_the_pages_queries_do_not_grow_with_rows(client, grand_rounds, coordinator, attendees):
    client.force_login(coordinator)
    page = reverse("child_attendance", args=[grand_rounds.pk])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add_rows(n, tag):
        record = AttendanceImport.objects.create(
            child=grand_rounds,
            source="zoom",
            original_name=f"{tag}.csv",
            sha256=tag * 64,
            size=1,
            imported_by=coordinator,
        )
        for i in range(n):
            person = f.person(email=f"{tag}{i}@umich.edu")
            AttendanceEntry.objects.create(
                import_run=record,
                name=f"P{i}",
                outcome="unmatched",
                candidates=[person.pk, attendees["jdoe"].pk],
            )
        with __import__("time_machine").travel(f.local(2026, 1, 8, 11, 0), tick=False):
            kiosk, _ = kiosk_open(child=grand_rounds, by=coordinator)
        for i in range(n):
            KioskCheckIn.objects.create(
                kiosk=kiosk,
                key=f"{tag}-key-{i:04}",
                typed=f"w{i}@x.org",
                outcome="unmatched",
                checked_in_at=at(12, i % 60),
            )
        return record

    small = add_rows(2, "a")
    few, few_detail = count(page), count(reverse("attendance_import_detail", args=[small.pk]))
    big = add_rows(25, "b")
    assert count(page) == few
    assert count(reverse("attendance_import_detail", args=[big.pk])) == few_detail
