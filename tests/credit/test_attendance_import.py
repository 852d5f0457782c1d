"""Importing Zoom and Teams participant reports and rosters on a session (issue 18): preview
writes nothing; import makes claims through the claim service; the same file twice changes
nothing; a corrected file adds only what is new; undo voids (never deletes) the import's claims."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from credit.models import Claim, ClaimChannel
from credit.models_attendance import AttendanceEntry, AttendanceImport, EntryOutcome
from credit.selectors_reports import attendance_csv, pars_activity, series_sessions
from credit.selectors_transcripts import transcript
from credit.services import claim_credit
from credit.services_attendance import (
    attendance_import,
    attendance_import_undo,
    attendance_preview,
)
from credit.uploads_attendance import AttendanceError
from faculty.models import Person
from tests import factories as f
from tests.credit import attendance_files as files

pytestmark = pytest.mark.django_db
Z = ZoneInfo("America/Detroit")


def at(h, m, s=0):
    return datetime(2026, 1, 8, h, m, s, tzinfo=Z)


def zoom_rows():
    """A grand rounds on Zoom: rejoins, a person with two addresses, a guest without email."""
    return [
        ("Lee Learner", "learner@umich.edu", at(11, 58), at(12, 20)),
        ("Lee Learner", "learner@umich.edu", at(12, 18), at(12, 52)),  # rejoined; overlap
        ("Jane Doe", "jdoe@med.umich.edu", at(12, 0), at(12, 25)),  # alias domain
        ("Jane Doe (iPad)", "jdoe@umich.edu", at(12, 20), at(12, 55)),  # canonical address
        ("Eve Early", "early@umich.edu", at(12, 0), at(12, 30)),  # leaves at half time
        ("Tia Texter", "claimed@umich.edu", at(12, 0), at(13, 0)),  # claimed by text already
        ("Guest Visitor", "", at(12, 2), at(12, 59)),  # a guest: no email
        ("Stan Stranger", "stranger@gmail.com", at(12, 0), at(13, 0)),  # nobody on file
        ("Odd Row", "odd@umich.edu", "01/08/2026 25:99:00 PM", at(12, 40)),  # unreadable
    ]


def upload(data, name="participants_81234567890.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


def preview(child, by, data, *, kind="report", name="participants_81234567890.csv", **kw):
    return attendance_preview(child=child, by=by, upload=upload(data, name), kind=kind, **kw)


def do_import(child, by, data, **kw):
    return attendance_import(child=child, by=by, token=preview(child, by, data, **kw).token)


def tables():
    return (
        Claim.objects.count(),
        AttendanceImport.objects.count(),
        AttendanceEntry.objects.count(),
        Person.objects.count(),
        list(Claim.objects.order_by("pk").values_list("voided_at", "awarded_at")),
    )


@pytest.fixture(autouse=True)
def _afternoon(after_grand_rounds):
    yield


def test_a_preview_says_what_would_happen_and_writes_nothing(grand_rounds, coordinator, attendees):
    before = tables()
    shown = preview(grand_rounds, coordinator, files.zoom_csv(zoom_rows()))
    assert tables() == before
    by_outcome = {}
    for entry in shown.entries:
        by_outcome.setdefault(entry.outcome, []).append(entry)
    assert shown.source == "zoom" and shown.minimum_minutes == 45
    assert {e.emails[0] for e in by_outcome["claimed"]} == {
        "learner@umich.edu",
        "jdoe@med.umich.edu",
    }
    assert [e.minutes for e in by_outcome["claimed"]] == [
        52,
        55,
    ]  # 12:00-12:52 (clipped); union 12:00-12:55
    assert [e.emails for e in by_outcome["below_minimum"]] == [["early@umich.edu"]]
    assert [e.emails for e in by_outcome["already_claimed"]] == [["claimed@umich.edu"]]
    assert sorted(e.name for e in by_outcome["unmatched"]) == ["Guest Visitor", "Stan Stranger"]
    assert [e.name for e in by_outcome["unreadable"]] == ["Odd Row"]
    c = shown.counts
    assert (
        c.rows,
        c.people,
        c.matched,
        c.unmatched,
        c.below_minimum,
        c.already_claimed,
        c.to_claim,
        c.unreadable_rows,
    ) == (9, 7, 4, 2, 1, 1, 2, 1)


def test_an_import_makes_claims_through_the_claim_service(grand_rounds, coordinator, attendees):
    record = do_import(grand_rounds, coordinator, files.zoom_csv(zoom_rows()))
    assert (
        record.matched,
        record.unmatched,
        record.below_minimum,
        record.already_claimed,
        record.claims_created,
    ) == (4, 2, 1, 1, 2)
    assert (record.imported_by, record.source, record.rows) == (coordinator, "zoom", 9)
    assert len(record.sha256) == 64 and record.file.read().startswith(b"\xef\xbb\xbf")
    claims = Claim.objects.filter(channel=ClaimChannel.ZOOM).order_by("learner__email")
    assert [(c.learner.email, c.claimed_at, c.awarded_at, c.credit_hours) for c in claims] == [
        ("jdoe@umich.edu", at(12, 55), None, Decimal("1.00")),  # the canonical account
        ("learner@umich.edu", at(12, 52), None, Decimal("1.00")),  # pending approval
    ]
    entry = record.entries.get(person=attendees["learner"])
    assert entry.claim.channel == "zoom" and entry.lines == [5, 6]


def test_claims_of_an_approved_session_are_credit_at_once(
    series, office, grand_rounds, coordinator, attendees
):
    from tests.credit.helpers import approved_child

    with time_machine.travel(f.local(2026, 1, 1), tick=False):
        approved = approved_child(series, office, start=f.local(2026, 1, 8, 12, 0))
    do_import(approved, coordinator, files.zoom_csv(zoom_rows()))
    claim = Claim.objects.get(child=approved, learner=attendees["learner"])
    assert claim.awarded_at == at(12, 52)


def test_the_same_file_twice_changes_nothing(grand_rounds, coordinator, attendees):
    data = files.zoom_csv(zoom_rows())
    first = preview(grand_rounds, coordinator, data)
    again = preview(grand_rounds, coordinator, data)  # two previews of one file, two tabs
    attendance_import(child=grand_rounds, by=coordinator, token=first.token)
    before = tables()
    with pytest.raises(AttendanceError) as refused:
        preview(grand_rounds, coordinator, data, name="renamed.csv")
    assert (
        refused.value.code == "already_imported" and "would change nothing" in refused.value.message
    )
    with pytest.raises(AttendanceError) as refused:
        attendance_import(child=grand_rounds, by=coordinator, token=again.token)
    assert refused.value.code == "already_imported"
    assert tables() == before


def test_a_corrected_file_adds_only_what_is_new(grand_rounds, coordinator, attendees):
    do_import(grand_rounds, coordinator, files.zoom_csv(zoom_rows()))
    newcomer = f.person(email="late@umich.edu", last_name="Comer")
    corrected = [*zoom_rows(), ("Lou Comer", "late@umich.edu", at(12, 5), at(12, 58))]
    before = Claim.objects.count()
    record = do_import(grand_rounds, coordinator, files.zoom_csv(corrected))
    assert Claim.objects.count() == before + 1
    assert Claim.objects.filter(learner=newcomer, channel="zoom").exists()
    assert (record.claims_created, record.already_claimed) == (1, 3)


def test_undo_voids_the_imports_claims_and_keeps_them(grand_rounds, coordinator, attendees):
    record = do_import(grand_rounds, coordinator, files.zoom_csv(zoom_rows()))
    learner = attendees["learner"]
    assert transcript(learner)[0].sessions == 1
    voided = attendance_import_undo(import_id=record.pk, by=coordinator)
    assert voided == 2
    record.refresh_from_db()
    assert (record.undone_at, record.undone_by) == (at(14, 0), coordinator)
    claim = Claim.objects.get(child=grand_rounds, learner=learner)  # kept
    assert (claim.voided_at, claim.voided_by, claim.void_reason) == (
        at(14, 0),
        coordinator,
        f"Attendance import {record.pk} undone",
    )
    # The text claim made before the import is untouched.
    assert Claim.objects.get(learner=attendees["claimed"]).voided_at is None
    # Voided claims count nowhere.
    assert transcript(learner) == []
    assert b"learner@umich.edu" not in attendance_csv(grand_rounds)[2]
    assert next(iter(series_sessions(grand_rounds.parent))).n_claims == 1
    assert pars_activity(grand_rounds.parent).pending == 1
    with pytest.raises(AttendanceError) as refused:
        attendance_import_undo(import_id=record.pk, by=coordinator)
    assert refused.value.code == "already_undone"


def test_after_an_undo_the_learner_claims_again_and_the_file_may_be_imported_again(
    grand_rounds, coordinator, attendees
):
    data = files.zoom_csv(zoom_rows())
    record = do_import(grand_rounds, coordinator, data)
    attendance_import_undo(import_id=record.pk, by=coordinator)
    learner = attendees["learner"]
    web = claim_credit(learner=learner, child_id=grand_rounds.pk, channel=ClaimChannel.WEB)
    assert Claim.objects.filter(child=grand_rounds, learner=learner).count() == 2
    again = do_import(grand_rounds, coordinator, data)
    assert (again.claims_created, again.already_claimed) == (1, 2)  # Jane again; Lee by web
    assert again.entries.get(person=learner).outcome == EntryOutcome.ALREADY
    assert web.voided_at is None


def test_no_import_nor_undo_once_the_year_is_reported(grand_rounds, coordinator, attendees):
    record = do_import(grand_rounds, coordinator, files.zoom_csv(zoom_rows()))
    with time_machine.travel(datetime(2027, 4, 1, 9, 0, tzinfo=Z), tick=False):
        before = tables()
        with pytest.raises(AttendanceError) as refused:
            attendance_import_undo(import_id=record.pk, by=coordinator)
        assert refused.value.code == "year_reported" and "Mar 31, 2027" in refused.value.message
        with pytest.raises(AttendanceError):
            preview(grand_rounds, coordinator, files.zoom_csv(zoom_rows()[:2]))
        assert tables() == before


def test_a_teams_report_in_utf16_makes_teams_claims(grand_rounds, coordinator, attendees):
    rows = [
        ("Lee Learner", "learner@umich.edu", at(12, 0), at(12, 20), "Attendee"),
        ("Lee Learner", "learner@umich.edu", at(12, 22), at(12, 59), "Attendee"),
        ("Jane Doe", "jdoe@med.umich.edu", at(12, 1), at(12, 58), "Attendee"),
        ("Guest Visitor (Guest)", "", at(12, 5), at(12, 55), "Attendee"),
    ]
    record = do_import(
        grand_rounds, coordinator, files.teams_report(rows), name="meetingAttendanceReport.csv"
    )
    assert (record.source, record.claims_created, record.unmatched) == ("teams", 2, 1)
    assert set(Claim.objects.filter(channel="teams").values_list("learner__email", flat=True)) == {
        "learner@umich.edu",
        "jdoe@umich.edu",
    }
    lee = record.entries.get(person=attendees["learner"])
    assert lee.minutes == 57


@pytest.mark.parametrize("excel", [False, True])
def test_a_roster_in_csv_or_excel_makes_roster_claims(grand_rounds, coordinator, attendees, excel):
    if excel:
        data, name = (
            files.roster_xlsx(
                [
                    ("Learner", "Lee", "learner@umich.edu"),
                    ("Doe", "Jane", "JDoe@med.umich.edu"),
                    ("Walker", "Wes", ""),
                ]
            ),
            "sign-in.xlsx",
        )
    else:
        data, name = (
            files.roster_csv(
                [
                    ("Lee Learner", "learner@umich.edu"),
                    ("Jane Doe", "JDoe@med.umich.edu"),
                    ("Wes Walker", ""),
                ]
            ),
            "sign-in.csv",
        )
    record = do_import(grand_rounds, coordinator, data, kind="roster", name=name)
    assert (record.source, record.claims_created, record.unmatched, record.minimum_minutes) == (
        "roster",
        2,
        1,
        None,
    )
    claim = Claim.objects.get(learner=attendees["jdoe"], child=grand_rounds)
    assert (claim.channel, claim.claimed_at) == ("roster", at(13, 0))


def test_a_deactivated_account_is_refused_and_listed(grand_rounds, coordinator, attendees):
    Person.objects.filter(pk=attendees["learner"].pk).update(is_active=False)
    record = do_import(grand_rounds, coordinator, files.zoom_csv(zoom_rows()))
    entry = record.entries.get(person=attendees["learner"])
    assert (entry.outcome, entry.message, entry.claim) == (
        "refused",
        "This account is deactivated.",
        None,
    )


def test_times_outside_the_session_are_refused_with_the_reason(
    grand_rounds, coordinator, attendees
):
    rows = [("Lee Learner", "learner@umich.edu", at(9, 0), at(10, 0))]  # exported in another zone?
    with pytest.raises(AttendanceError) as refused:
        preview(grand_rounds, coordinator, files.zoom_csv(rows))
    assert refused.value.code == "times_outside" and "America/Detroit" in refused.value.message


def test_a_preview_is_for_its_session_and_its_coordinator(
    grand_rounds, series, coordinator, attendees
):
    token = preview(grand_rounds, coordinator, files.zoom_csv(zoom_rows())).token
    other = f.child(series, start=f.local(2026, 1, 15, 12, 0), name="Another topic")
    someone = f.person()
    for child, by in ((other, coordinator), (grand_rounds, someone)):
        with pytest.raises(AttendanceError) as refused:
            attendance_import(child=child, by=by, token=token)
        assert refused.value.code == "stale_preview"
    with pytest.raises(AttendanceError):
        attendance_import(child=grand_rounds, by=coordinator, token="forged:token")
    assert AttendanceImport.objects.count() == 0


class TestBadFiles:
    @pytest.mark.parametrize(
        ("name", "data", "code", "words"),
        [
            ("attendance.csv", b"Animal,Legs\r\nCat,4\r\n", "columns", "not a participant report"),
            ("attendance.csv", b"%PDF-1.7\n" + bytes(range(256)), "binary", "application/pdf"),
            ("attendance.csv", b"", "empty", "empty (0 bytes)"),
            ("attendance.pdf", b"%PDF-1.7", "extension", "Accepted: csv, txt, tsv"),
            ("attendance.xls", b"\xd0\xcf\x11\xe0", "extension", "save it as .xlsx or CSV"),
        ],
    )
    def test_it_is_refused_naming_what_is_wrong_and_nothing_changes(
        self, grand_rounds, coordinator, attendees, name, data, code, words
    ):
        before = tables()
        with pytest.raises(AttendanceError) as refused:
            preview(grand_rounds, coordinator, data, name=name)
        assert refused.value.code == code and words in refused.value.message
        assert tables() == before

    def test_a_50_mb_file_is_refused_by_its_size_before_reading_it(
        self, grand_rounds, coordinator, attendees
    ):
        big = upload(b"Name,Email\r\n")
        big.size = 50 * 1024 * 1024
        with pytest.raises(AttendanceError) as refused:
            attendance_preview(child=grand_rounds, by=coordinator, upload=big, kind="report")
        assert (
            refused.value.code == "too_large"
            and "50 MB; the limit is 10 MB" in refused.value.message
        )

    def test_a_renamed_file_is_not_an_excel_roster(self, grand_rounds, coordinator, attendees):
        with pytest.raises(AttendanceError) as refused:
            preview(
                grand_rounds,
                coordinator,
                b"Name,Email\r\nA,a@b.org\r\n",
                kind="roster",
                name="roster.xlsx",
            )
        assert refused.value.code == "content_mismatch"
