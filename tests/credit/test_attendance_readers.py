"""Reading real-shaped Zoom and Teams reports and rosters (no database): header blocks, byte-order
marks, UTF-16, Windows line endings, guests, rejoins; and the files that are refused."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from credit.readers_attendance import read_participant_report
from credit.readers_roster import read_roster
from credit.readers_tables import ReportError, decode_text
from tests.credit import attendance_files as files

Z = ZoneInfo("America/Detroit")
DAY = date(2026, 1, 8)


def at(h, m, s=0):
    return datetime(2026, 1, 8, h, m, s, tzinfo=Z)


def read(data, platform=""):
    return read_participant_report(data, session_day=DAY, zone=Z, platform=platform)


ZOOM_ROWS = [
    ("Lee Learner", "Learner@UMich.edu", at(12, 0, 5), at(12, 20)),
    ("Lee Learner", "learner@umich.edu", at(12, 18), at(12, 50)),  # rejoined
    ("Visitor, Guest", "", at(12, 3), at(12, 58)),  # a guest: no email; a comma in the name
]


class TestZoom:
    def test_it_reads_the_export_with_meeting_data_a_bom_and_crlf(self):
        data = files.zoom_csv(ZOOM_ROWS)
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
        report = read(data)
        assert report.source == "zoom"
        assert [(r.name, r.email, r.joined, r.left) for r in report.rows] == [
            ("Lee Learner", "learner@umich.edu", at(12, 0, 5), at(12, 20)),
            ("Lee Learner", "learner@umich.edu", at(12, 18), at(12, 50)),
            ("Visitor, Guest", "", at(12, 3), at(12, 58)),
        ]
        assert report.rows[0].line == 5  # after the meeting block and the blank line

    def test_it_reads_the_export_without_meeting_data_and_without_bom(self):
        report = read(files.zoom_csv(ZOOM_ROWS, meeting_block=False, bom=False, newline="\n"))
        assert report.source == "zoom" and len(report.rows) == 3

    def test_unique_users_give_minutes_without_times(self):
        report = read(files.zoom_unique_users_csv([("Lee Learner", "learner@umich.edu", 52)]))
        (row,) = report.rows
        assert (row.kind, row.seconds, row.joined) == ("duration", 52 * 60, None)

    def test_an_unreadable_time_is_listed_not_guessed(self):
        rows = [*ZOOM_ROWS[:1], ("Odd Row", "odd@umich.edu", "01/08/2026 25:99:00 PM", at(12, 40))]
        report = read(files.zoom_csv(rows))
        odd = report.rows[-1]
        assert (odd.joined, odd.left) == (None, None)
        assert odd.problem == 'unreadable join time "01/08/2026 25:99:00 PM"'

    def test_a_report_of_another_day_is_refused_whole(self):
        later = [(n, e, j + timedelta(days=7), lv + timedelta(days=7)) for n, e, j, lv in ZOOM_ROWS]
        with pytest.raises(ReportError) as refused:
            read(files.zoom_csv(later))
        assert refused.value.code == "dates"
        assert "Jan 15, 2026" in refused.value.message and "Jan 8, 2026" in refused.value.message


TEAMS_ROWS = [
    ("Lee Learner", "learner@umich.edu", at(12, 0), at(12, 20), "Attendee"),
    ("Lee Learner", "learner@umich.edu", at(12, 25), at(12, 59), "Attendee"),
    ("Guest Visitor (Guest)", "", at(12, 5), at(12, 55), "Attendee"),
    ("Host Person", "host@umich.edu", at(11, 55), at(13, 2), "Organizer"),
]


class TestTeams:
    def test_it_reads_utf16_tabs_and_the_in_meeting_activities(self):
        data = files.teams_report(TEAMS_ROWS)
        assert data[:2] == b"\xff\xfe"
        report = read(data)
        assert report.source == "teams"
        assert [(r.name, r.email, r.joined, r.left) for r in report.rows] == [
            (n, e, j, lv) for n, e, j, lv, _role in TEAMS_ROWS
        ]
        assert any("In-Meeting Activities" in note for note in report.notes)

    def test_without_the_activities_section_it_reads_first_last_and_the_time_in_meeting(self):
        report = read(files.teams_report(TEAMS_ROWS, activities=False))
        lee = report.rows[0]
        assert (lee.kind, lee.joined, lee.left, lee.seconds) == (
            "span",
            at(12, 0),
            at(12, 59),
            54 * 60,
        )

    def test_utf16_without_a_byte_order_mark_and_utf8_are_read_too(self):
        for encoding in ("utf-16-le", "utf-8"):
            assert len(read(files.teams_report(TEAMS_ROWS, encoding=encoding)).rows) == 4

    def test_the_platform_chosen_must_agree_with_the_file(self):
        with pytest.raises(ReportError) as refused:
            read(files.teams_report(TEAMS_ROWS), platform="zoom")
        assert (
            refused.value.code == "platform" and "Microsoft Teams report" in refused.value.message
        )

    def test_a_file_without_a_platforms_marks_needs_the_platform_chosen(self):
        data = b"Name,Email,Join Time,Leave Time\r\nA,a@x.org,1/8/26 12:00 PM,1/8/26 12:50 PM\r\n"
        with pytest.raises(ReportError) as refused:
            read(data)
        assert refused.value.code == "platform"
        assert read(data, platform="teams").rows[0].left == at(12, 50)

    def test_a_guests_upn_is_never_turned_into_an_address(self):
        text = (
            "Name\tJoin Time\tLeave Time\tDuration\tEmail\tParticipant ID (UPN)\tRole\r\n"
            "Ann\t1/8/26, 12:00:00 PM\t1/8/26, 12:50:00 PM\t50m\t\tann_gmail.com#EXT#@contoso.onmicrosoft.com\tAttendee\r\n"
            "Bo\t1/8/26, 12:00:00 PM\t1/8/26, 12:50:00 PM\t50m\t\tbo@umich.edu\tAttendee\r\n"
        )
        ann, bo = read(text.encode("utf-16")).rows
        assert (ann.email, bo.email) == ("", "bo@umich.edu")


class TestRosters:
    def test_csv_with_a_title_row(self):
        report = read_roster(
            files.roster_csv([("Lee Learner", "learner@umich.edu"), ("No Email", "")]),
            excel=False,
        )
        assert [(r.name, r.email, r.kind) for r in report.rows] == [
            ("Lee Learner", "learner@umich.edu", "roster"),
            ("No Email", "", "roster"),
        ]

    def test_excel_with_first_and_last_names(self):
        data = files.roster_xlsx(
            [("Learner", "Lee", "learner@umich.edu"), ("Doe", "Jane", "JDoe@Med.UMich.edu")]
        )
        report = read_roster(data, excel=True)
        assert [(r.name, r.email) for r in report.rows] == [
            ("Learner, Lee", "learner@umich.edu"),
            ("Doe, Jane", "jdoe@med.umich.edu"),
        ]
        assert report.rows[0].line == 4

    def test_a_participant_report_is_not_a_roster(self):
        with pytest.raises(ReportError) as refused:
            read_roster(files.zoom_csv(ZOOM_ROWS), excel=False)
        assert "participant report" in refused.value.message

    def test_a_bad_address_is_listed(self):
        (row,) = read_roster(files.roster_csv([("Lee", "lee at umich")]), excel=False).rows
        assert (row.email, row.problem) == ("", '"lee at umich" is not an email address')

    def test_a_broken_workbook_is_refused(self):
        with pytest.raises(ReportError) as refused:
            read_roster(b"PK\x03\x04 not really a zip", excel=True)
        assert refused.value.code == "excel"


class TestBadFiles:
    @pytest.mark.parametrize(
        ("data", "code", "words"),
        [
            (b"", "empty", "empty"),
            (b"  \r\n\r\n", "empty", "empty"),
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary", "application/pdf"),
            (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary", "image/png"),
            (b"\x00\x01\x02\x03\x04\x05binary\x00\xff" * 50, "binary", "not a text"),
            (b"Animal,Legs\r\nCat,4\r\n", "columns", '"Animal,Legs"'),
            (b"Name (Original Name),User Email,Join Time,Leave Time\r\n", "no_rows", "no rows"),
        ],
    )
    def test_it_says_what_is_wrong(self, data, code, words):
        with pytest.raises(ReportError) as refused:
            read(data)
        assert refused.value.code == code and words in refused.value.message

    def test_an_excel_workbook_uploaded_as_a_report_is_named(self):
        data = files.roster_xlsx([("A", "B", "c@d.org")])
        with pytest.raises(ReportError) as refused:
            decode_text(data)
        assert "Excel workbook" in refused.value.message

    def test_windows_1252_text_is_read(self):
        text = decode_text("Name,Email\r\nJosé Núñez,jn@x.org\r\n".encode("cp1252"))
        assert "José Núñez" in text

    def test_too_many_rows_are_refused(self):
        big = io.StringIO()
        big.write("Name (Original Name),User Email,Join Time,Leave Time\r\n")
        for i in range(20_001):
            big.write(f"P{i},p{i}@x.org,01/08/2026 12:00:00 PM,01/08/2026 12:50:00 PM\r\n")
        with pytest.raises(ReportError) as refused:
            read(big.getvalue().encode())
        assert refused.value.code == "too_many_rows"
