"""Attendance rules as plain functions (no database): minutes from intervals, the minimum,
durations and times as the platforms write them, until when attendance may change, the kiosk's
hours, and how a file's rows become one entry per person."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from credit.models_attendance import EntryOutcome
from credit.readers_tables import ReportRow
from credit.rules_attendance import (
    attendance_may_change,
    attended_minutes,
    clamp_check_in_time,
    kiosk_accepts,
    kiosk_expires_at,
    merge_intervals,
    minimum_minutes,
    parse_duration,
    parse_report_time,
)
from credit.rules_attendance_plan import (
    ALREADY,
    AMBIGUOUS,
    BELOW,
    CLAIMED,
    REFUSED,
    UNMATCHED,
    UNREADABLE,
    SessionFacts,
    count,
    display_name_parts,
    plan_entries,
)

Z = ZoneInfo("America/Detroit")
START = datetime(2026, 1, 8, 12, 0, tzinfo=Z)
END = START + timedelta(hours=1)


def at(h, m, s=0):
    return datetime(2026, 1, 8, h, m, s, tzinfo=Z)


class TestMinutes:
    def test_it_sums_rejoins(self):
        assert (
            attended_minutes(
                [(at(12, 0), at(12, 20)), (at(12, 30), at(12, 55))], start=START, end=END
            )
            == 45
        )

    def test_it_counts_overlaps_once(self):
        # Two devices at once, or a rejoin logged before the old connection timed out.
        spans = [(at(12, 0), at(12, 40)), (at(12, 30), at(12, 50)), (at(12, 35), at(12, 36))]
        assert attended_minutes(spans, start=START, end=END) == 50

    def test_only_the_sessions_own_time_counts(self):
        assert attended_minutes([(at(11, 30), at(12, 30))], start=START, end=END) == 30
        assert attended_minutes([(at(12, 50), at(13, 40))], start=START, end=END) == 10
        assert attended_minutes([(at(10, 0), at(11, 0))], start=START, end=END) == 0

    def test_seconds_are_dropped_after_adding_up(self):
        spans = [(at(12, 0, 0), at(12, 0, 40)), (at(12, 1, 0), at(12, 1, 40))]
        assert attended_minutes(spans, start=START, end=END) == 1

    def test_durations_without_times_add_but_never_past_the_session(self):
        assert attended_minutes([], start=START, end=END, extra_seconds=50 * 60) == 50
        assert (
            attended_minutes([(at(12, 0), at(12, 30))], start=START, end=END, extra_seconds=3600)
            == 60
        )

    def test_merge_drops_reversed_and_empty_intervals(self):
        assert merge_intervals([(at(12, 10), at(12, 0)), (at(12, 5), at(12, 5))]) == []
        assert merge_intervals([(at(12, 0), at(12, 10)), (at(12, 10), at(12, 20))]) == [
            (at(12, 0), at(12, 20))
        ]

    @pytest.mark.parametrize(
        ("length", "percent", "minimum"), [(60, 75, 45), (50, 75, 38), (90, 100, 90), (60, 1, 1)]
    )
    def test_the_minimum_is_a_share_rounded_up(self, length, percent, minimum):
        assert minimum_minutes(session_minutes=length, percent=percent) == minimum


class TestDurations:
    @pytest.mark.parametrize(
        ("text", "seconds"),
        [
            ("1h 2m 3s", 3723),
            ("47m 3s", 2823),
            ("5s", 5),
            ("1h", 3600),
            ("1 hr 12 min", 4320),
            ("00:47:03", 2823),
            ("47:03", 2823),
            ("62", 3720),
            ("45.5", 2730),
        ],
    )
    def test_it_reads_what_teams_and_zoom_write(self, text, seconds):
        assert parse_duration(text) == seconds

    @pytest.mark.parametrize("text", ["", "soon", "1/8/26, 12:00:00 PM", "h m s"])
    def test_anything_else_is_unreadable_never_zero(self, text):
        assert parse_duration(text) is None


class TestTimes:
    day = date(2026, 1, 8)

    @pytest.mark.parametrize(
        "text",
        [
            "01/08/2026 12:05:30 PM",  # Zoom
            "1/8/26, 12:05:30 PM",  # Teams, US English
            "08/01/2026 12:05:30",  # day first, 24-hour clock
            "8.1.2026 12:05:30",
            "2026-01-08 12:05:30",
            "2026-01-08T17:05:30Z",  # with its own offset
            "Jan 8, 2026 12:05:30 PM",
            "8 January 2026 12:05:30",
            "12:05:30 PM",  # a time alone is on the session's day
        ],
    )
    def test_it_reads_the_platforms_formats_in_the_sessions_zone(self, text):
        assert parse_report_time(text, session_day=self.day, zone=Z) == at(12, 5, 30)

    def test_month_and_day_are_told_apart_by_the_sessions_date(self):
        # 3/4: March 4 or April 3. Only the reading on the session's day is taken.
        assert (
            parse_report_time("3/4/2026 10:00 AM", session_day=date(2026, 4, 3), zone=Z).month == 4
        )
        assert (
            parse_report_time("3/4/2026 10:00 AM", session_day=date(2026, 3, 4), zone=Z).month == 3
        )

    @pytest.mark.parametrize(
        "text",
        ["", "25:99", "1/8/26, 13:05:00 PM", "02/30/2026 12:00", "5/5/2026 12:00", "yesterday"],
    )
    def test_an_unreadable_or_other_days_time_is_none_never_a_guess(self, text):
        assert parse_report_time(text, session_day=self.day, zone=Z) is None


class TestDeadlines:
    def test_attendance_may_change_until_the_end_of_march_of_the_next_year(self):
        ok = datetime(2027, 3, 31, 23, 59, tzinfo=Z)
        assert attendance_may_change(year=2026, now=ok, month_day=(3, 31), zone=Z)
        assert not attendance_may_change(
            year=2026, now=ok + timedelta(minutes=1), month_day=(3, 31), zone=Z
        )

    def test_a_kiosk_works_until_two_hours_after_the_end_and_never_after_claiming_closes(self):
        assert kiosk_expires_at(
            session_end=END, window_closes=END + timedelta(days=7)
        ) == END + timedelta(hours=2)
        assert kiosk_expires_at(
            session_end=END, window_closes=END + timedelta(minutes=10)
        ) == END + timedelta(minutes=10)

    def test_a_queued_check_in_is_accepted_if_made_while_open_and_sent_within_12_hours(self):
        opened, until = START - timedelta(hours=1), END + timedelta(hours=2)
        assert kiosk_accepts(
            checked_in_at=at(12, 5),
            now=until + timedelta(hours=11),
            opened_at=opened,
            open_until=until,
        )
        assert not kiosk_accepts(
            checked_in_at=at(12, 5),
            now=until + timedelta(hours=13),
            opened_at=opened,
            open_until=until,
        )
        assert not kiosk_accepts(
            checked_in_at=until + timedelta(seconds=1),
            now=until + timedelta(seconds=2),
            opened_at=opened,
            open_until=until,
        )

    def test_the_tablets_clock_is_trusted_only_between_opening_and_now(self):
        opened, now = START, END
        assert clamp_check_in_time(reported=at(12, 30), now=now, opened_at=opened) == at(12, 30)
        assert clamp_check_in_time(reported=at(9, 0), now=now, opened_at=opened) == opened
        assert clamp_check_in_time(reported=at(23, 0), now=now, opened_at=opened) == now
        assert clamp_check_in_time(reported=None, now=now, opened_at=opened) == now


SESSION = SessionFacts(
    start=START,
    end=END,
    window_opens=START - timedelta(minutes=30),
    window_closes=END + timedelta(days=7),
    minimum_minutes=45,
    now=END + timedelta(hours=1),
)


def row(line, name, email, joined=None, left=None, kind="interval", seconds=None, problem=""):
    return ReportRow(
        line, name, email, kind, joined=joined, left=left, seconds=seconds, problem=problem
    )


class TestPlan:
    def plan(self, rows, **facts):
        defaults = {
            "matches": {},
            "inactive": set(),
            "claimed": set(),
            "suggestions": {},
            "session": SESSION,
        }
        return plan_entries(rows, **{**defaults, **facts})

    def test_the_outcome_words_are_the_models(self):
        assert {CLAIMED, ALREADY, BELOW, UNMATCHED, AMBIGUOUS, UNREADABLE, REFUSED} == set(
            EntryOutcome.values
        )

    def test_two_addresses_of_one_person_make_one_entry_with_one_union_of_minutes(self):
        rows = [
            row(1, "Jane Doe", "jdoe@med.umich.edu", at(12, 0), at(12, 25)),
            row(2, "Jane Doe", "jdoe@umich.edu", at(12, 20), at(12, 55)),
        ]
        (entry,) = self.plan(rows, matches={"jdoe@med.umich.edu": (7,), "jdoe@umich.edu": (7,)})
        assert (entry.person_id, entry.minutes, entry.outcome) == (7, 55, CLAIMED)
        assert entry.emails == ["jdoe@med.umich.edu", "jdoe@umich.edu"]
        assert entry.attended_at == at(12, 55)

    def test_each_address_alone_would_be_below_the_minimum(self):
        rows = [row(1, "Jane Doe", "jdoe@med.umich.edu", at(12, 0), at(12, 25))]
        (entry,) = self.plan(rows, matches={"jdoe@med.umich.edu": (7,)})
        assert (entry.minutes, entry.outcome) == (25, BELOW)
        assert entry.message == "25 of the 45 minutes needed."

    def test_a_guest_without_email_is_never_matched_by_name(self):
        rows = [row(1, "Guest Visitor (Guest)", "", at(12, 0), at(13, 0))]
        (entry,) = self.plan(rows, suggestions={"visitor|guest": (3,)})
        assert (entry.person_id, entry.outcome, entry.candidates) == (None, UNMATCHED, [3])

    def test_an_address_leading_to_two_accounts_is_for_the_coordinator(self):
        (entry,) = self.plan(
            [row(1, "J", "j@umich.edu", at(12, 0), at(13, 0))], matches={"j@umich.edu": (4, 9)}
        )
        assert (entry.outcome, entry.candidates) == (AMBIGUOUS, [4, 9])

    def test_already_claimed_inactive_and_outside_the_window(self):
        rows = [
            row(1, "A", "a@x.org", at(12, 0), at(13, 0)),
            row(2, "B", "b@x.org", at(12, 0), at(13, 0)),
        ]
        entries = self.plan(
            rows, matches={"a@x.org": (1,), "b@x.org": (2,)}, claimed={1}, inactive={2}
        )
        assert [e.outcome for e in entries] == [ALREADY, REFUSED]
        early = SessionFacts(**{**SESSION.__dict__, "now": START - timedelta(hours=2)})
        (entry,) = self.plan(
            [row(1, "A", "a@x.org", kind="roster")], matches={"a@x.org": (1,)}, session=early
        )
        assert entry.outcome == REFUSED

    def test_unreadable_rows_are_listed_and_not_counted(self):
        rows = [
            row(1, "A", "a@x.org", at(12, 0), at(12, 50)),
            row(2, "A", "a@x.org", problem='unreadable join time "25:99"'),
            row(3, "C", "c@x.org", problem='unreadable join time "soon"'),
        ]
        a, c = self.plan(rows, matches={"a@x.org": (1,), "c@x.org": (3,)})
        assert (a.outcome, a.minutes, a.problems) == (
            CLAIMED,
            50,
            ['line 2: unreadable join time "25:99"'],
        )
        assert c.outcome == UNREADABLE
        counts = count([a, c], rows)
        assert (counts.rows, counts.people, counts.unreadable_rows, counts.to_claim) == (3, 2, 2, 1)

    def test_a_roster_has_no_minutes_and_every_row_attended(self):
        (entry,) = self.plan([row(1, "A", "a@x.org", kind="roster")], matches={"a@x.org": (1,)})
        assert (entry.minutes, entry.outcome, entry.attended_at) == (None, CLAIMED, END)

    def test_teams_first_and_last_with_in_meeting_time_count_the_time_within_the_session(self):
        span = row(1, "A", "a@x.org", at(11, 50), at(13, 10), kind="span", seconds=70 * 60)
        (entry,) = self.plan([span], matches={"a@x.org": (1,)})
        assert entry.minutes == 60


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Jane Doe", ("doe", "jane")),
        ("Doe, Jane", ("doe", "jane")),
        ("Jane Q. Doe (Guest)", ("doe", "jane")),
        ("Cher", ("cher", "")),
        ("", ("", "")),
    ],
)
def test_names_are_read_last_name_first_for_suggestions(name, parts):
    assert display_name_parts(name) == parts
