"""Monitoring (SPEC §8, §2): the reminders the manual asks coordinators to check by hand.

The session of most tests is Tuesday January 20, 2026. Monday the 19th is Martin Luther King Jr.
Day, so counting back over the holiday and the weekend, T-3 business days is Wednesday the 14th and
T-5 is Monday the 12th (five weekdays back would be Tuesday the 13th).
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from activities import monitoring
from activities.business_days import BusinessCalendar
from activities.models import ClosureDay, Ticket, TicketKind
from activities.services.children import child_approve, child_move, child_reject
from activities.services.coi_reviews import coi_review_record
from activities.services.parents import parent_renew
from credit.models import Claim, ClaimChannel
from credit.services_attendance_count import send_attendance_counts
from disclosures.rules import ReviewDecision
from rss_dashboard.models import OutboxEmail
from tests import factories as f
from tests.personas import make_series

pytestmark = pytest.mark.django_db

SESSION = f.local(2026, 1, 20, 12)
MI = BusinessCalendar(country="US", subdivision="MI")


def morning(y, m, d, hour=7):
    return f.local(y, m, d, hour)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a job at a local moment; returns the emails it sent (delivered inline after commit)."""

    def run(job, when):
        before = len(mail.outbox)
        with (
            time_machine.travel(when, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            job()
        return mail.outbox[before:]

    return run


@pytest.fixture
def series(coordinator, owner):
    with time_machine.travel(morning(2026, 1, 2), tick=False):
        return make_series(coordinator, owner, year=2026)


def session(series, *, start=SESSION, name="Sepsis bundles in the first hour", when=None):
    with time_machine.travel(when or morning(2026, 1, 2), tick=False):
        return f.child(series, start=start, name=name)


def ready(child, when=None):
    """Give the session a speaker with an active disclosure: PENDING, 3 by 5 met."""
    with time_machine.travel(when or morning(2026, 1, 2), tick=False):
        speaker = f.person(last_name="Ready")
        f.disclosure(speaker, at=morning(2025, 12, 1))
        f.assign(child, speaker)
    child.refresh_from_db()
    return child


def kinds(emails) -> list[tuple[str, list[str]]]:
    return sorted((m.extra_headers["X-RSS-Event"].split(":")[0], sorted(m.to)) for m in emails)


# --- The rule: which reminder is due --------------------------------------------------------------


@pytest.mark.parametrize(
    "today, stage",
    [
        (date(2026, 1, 9), None),  # Friday: T-6
        (date(2026, 1, 10), None),  # the weekend
        (date(2026, 1, 11), None),
        (date(2026, 1, 12), 5),  # Monday: T-5 (the holiday and the weekend are skipped)
        (date(2026, 1, 13), 5),
        (date(2026, 1, 14), 3),  # Wednesday: T-3
        (date(2026, 1, 19), 3),  # the holiday itself, a day before: still stage 3
        (date(2026, 1, 20), None),  # the session day: too late for reminders
    ],
)
def test_it_counts_business_days_across_a_weekend_and_a_holiday(today, stage):
    assert monitoring.reminder_stage(session_date=SESSION.date(), today=today, calendar=MI) == stage


def test_closure_days_push_the_reminders_earlier():
    closed = BusinessCalendar(country="US", subdivision="MI", closure_days=[date(2026, 1, 13)])
    assert (
        monitoring.reminder_stage(
            session_date=SESSION.date(), today=date(2026, 1, 9), calendar=closed
        )
        == 5
    )


# --- 3 by 5 warnings, status reminders, tickets ---------------------------------------------------


def test_it_warns_on_t_minus_5_business_days_listing_exactly_what_is_missing(series, run):
    child = session(series, name="TBD")
    with time_machine.travel(morning(2026, 1, 2), tick=False):
        f.assign(child, f.person(last_name="Speaker", first_name="Pat"))  # no disclosure
    for friday_to_sunday in (9, 10, 11):
        assert run(monitoring.monitor_sessions, morning(2026, 1, friday_to_sunday)) == []

    sent = run(monitoring.monitor_sessions, morning(2026, 1, 12))

    assert kinds(sent) == [
        ("3by5", ["cora@umich.edu", "owen@umich.edu"]),  # coordinators and owners
        ("status", ["cora@umich.edu"]),  # coordinators only
    ]
    warning = next(m for m in sent if m.extra_headers["X-RSS-Event"].startswith("3by5"))
    assert warning.subject == "3 by 5 due Mon Jan 12: TBD, Jan 20 (Medicine Grand Rounds)"
    assert "- Name must say the topic\n- Disclosure missing or expired: Speaker, Pat\n" in (
        warning.body
    )
    assert "Assign at least one faculty member" not in warning.body
    assert f"https://rss.example.org/dashboard/?child_id={child.pk}" in warning.body
    assert "Why you get this: you are a coordinator or owner of Medicine Grand Rounds" in (
        warning.body
    )
    html = warning.alternatives[0].content
    assert f'href="https://rss.example.org/dashboard/?child_id={child.pk}"' in html


def test_running_the_job_twice_a_day_sends_nothing_twice(series, run):
    session(series)  # no faculty: not met, not approved
    first = run(monitoring.monitor_sessions, morning(2026, 1, 12, 7))
    assert len(first) == 2
    assert run(monitoring.monitor_sessions, morning(2026, 1, 12, 8)) == []
    assert run(monitoring.monitor_sessions, morning(2026, 1, 13)) == []  # still stage 5
    assert OutboxEmail.objects.count() == 2


def test_it_opens_one_ticket_at_t_minus_3_and_tells_the_office(series, run, settings):
    settings.OFFICE_EMAIL = "office@example.org"
    child = ready(session(series))  # PENDING: complete, not approved
    assert run(monitoring.monitor_sessions, morning(2026, 1, 13)) != []
    assert not Ticket.objects.exists()

    sent = run(monitoring.monitor_sessions, morning(2026, 1, 14))

    assert kinds(sent) == [("status", ["cora@umich.edu"]), ("ticket", ["office@example.org"])]
    ticket = Ticket.objects.get()
    assert (ticket.kind, ticket.child_id, ticket.parent_id) == (
        TicketKind.NOT_APPROVED_3_DAYS,
        child.pk,
        series.pk,
    )
    office = next(m for m in sent if m.to == ["office@example.org"])
    assert f"/admin/activities/ticket/{ticket.pk}/change/" in office.body
    assert f"/admin/activities/childactivity/{child.pk}/change/" in office.body
    assert "Coordinators: cora@umich.edu" in office.body
    reminder = next(m for m in sent if m.to == ["cora@umich.edu"])
    assert "3 business days away" in reminder.body
    assert "a ticket was opened with OCME&LL automatically" in reminder.body
    assert "Status: PENDING." in reminder.body

    assert run(monitoring.monitor_sessions, morning(2026, 1, 14, 9)) == []
    assert run(monitoring.monitor_sessions, morning(2026, 1, 16)) == []
    assert Ticket.objects.count() == 1


def test_a_child_approved_before_t_minus_3_opens_no_ticket(series, run):
    child = ready(session(series))
    assert kinds(run(monitoring.monitor_sessions, morning(2026, 1, 12))) == [
        ("status", ["cora@umich.edu"])  # 3 by 5 met: no warning; not approved: reminded
    ]
    with time_machine.travel(morning(2026, 1, 13, 10), tick=False):
        child_approve(child, reviewer=f.reviewer())

    assert run(monitoring.monitor_sessions, morning(2026, 1, 14)) == []
    assert not Ticket.objects.exists()


def test_a_session_added_late_gets_the_three_day_reminder_only(series, run):
    session(series, when=morning(2026, 1, 15))  # created at T-2
    sent = run(monitoring.monitor_sessions, morning(2026, 1, 15, 9))
    assert kinds(sent) == [
        ("3by5", ["cora@umich.edu", "owen@umich.edu"]),
        ("status", ["cora@umich.edu"]),
        ("ticket", ["cme-office@example.org"]),
    ]
    warning = next(m for m in sent if m.subject.startswith("3 by 5"))
    assert warning.subject.startswith("3 by 5 missed:")
    assert "were due Monday, January 12" in warning.body
    reminders = OutboxEmail.objects.filter(kind="status_reminder")
    assert [k.rsplit(":", 1)[1] for k in reminders.values_list("event_key", flat=True)] == ["3"]


def test_moving_a_session_re_arms_its_reminders(series, run):
    child = session(series)
    assert len(run(monitoring.monitor_sessions, morning(2026, 1, 12))) == 2
    with time_machine.travel(morning(2026, 1, 12, 10), tick=False):
        child_move(child, new_start=SESSION + timedelta(days=14))  # Tuesday Feb 3
    assert run(monitoring.monitor_sessions, morning(2026, 1, 14)) == []  # no longer close
    assert len(run(monitoring.monitor_sessions, morning(2026, 1, 27))) == 2  # T-5 of Feb 3


def test_inactive_sessions_are_left_alone(series, run):
    child = session(series)
    child.is_active = False
    child.save()
    assert run(monitoring.monitor_sessions, morning(2026, 1, 14)) == []
    assert not Ticket.objects.exists()


def test_a_closure_day_entered_by_the_office_moves_the_warning_earlier(series, run):
    from activities.selectors_calendar import forget_closure_days

    session(series)
    ClosureDay.objects.create(date=date(2026, 1, 13), reason="Office retreat")
    forget_closure_days()
    assert len(run(monitoring.monitor_sessions, morning(2026, 1, 9))) == 2


# --- Renewal reminders (SPEC §2) ------------------------------------------------------------------


def test_renewal_reminders_start_september_1_repeat_every_14_days_until_renewed(
    series, coordinator, run
):
    with time_machine.travel(morning(2026, 1, 2), tick=False):
        draft = f.parent(year=2026, coordinators=[coordinator])
        draft.state = "draft"  # drafts get no reminder
        draft.save()
        f.parent(year=2025, coordinators=[coordinator])  # last year's: none either
    job = monitoring.send_renewal_reminders
    assert run(job, morning(2026, 8, 31)) == []

    first = run(job, morning(2026, 9, 1))
    assert kinds(first) == [("renewal", ["cora@umich.edu", "owen@umich.edu"])]
    assert first[0].subject == "Renew Medicine Grand Rounds for 2027"
    assert "next: September 15" in first[0].body
    assert run(job, morning(2026, 9, 1, 15)) == []
    assert run(job, morning(2026, 9, 14)) == []

    second = run(job, morning(2026, 9, 15))
    assert [m.subject for m in second] == ["Renew Medicine Grand Rounds for 2027 (reminder 2)"]

    with time_machine.travel(morning(2026, 9, 20), tick=False):
        parent_renew(series, by=coordinator)
    assert run(job, morning(2026, 9, 29)) == []
    assert run(job, morning(2026, 10, 13)) == []


def test_renewal_reminders_follow_the_configured_start(series, run, settings):
    settings.RENEWAL_REMINDER_START = (10, 1)
    assert run(monitoring.send_renewal_reminders, morning(2026, 9, 1)) == []
    assert len(run(monitoring.send_renewal_reminders, morning(2026, 10, 1))) == 1


# --- After the session: the attendance count (SPEC §8) --------------------------------------------


def test_coordinators_get_the_attendance_count_once_after_the_session(series, run):
    child = session(series)
    for awarded in (True, False):
        Claim.objects.create(
            learner=f.person(),
            child=child,
            channel=ClaimChannel.SMS,
            credit_hours=1,
            awarded_at=SESSION if awarded else None,
        )
    assert run(send_attendance_counts, morning(2026, 1, 20, 12)) == []  # not over yet

    sent = run(send_attendance_counts, morning(2026, 1, 21))

    assert kinds(sent) == [("attendance", ["cora@umich.edu"])]
    assert sent[0].subject == (
        "Attendance: 2 learners claimed credit for Sepsis bundles in the first hour (Jan 20)"
    )
    assert "1 of them waits for the session's approval" in sent[0].body
    assert "Learners can still claim until Tuesday, January 27" in sent[0].body
    assert run(send_attendance_counts, morning(2026, 1, 22)) == []


# --- The weekly digest ----------------------------------------------------------------------------


def test_the_weekly_digest_lists_each_coordinators_sessions_that_need_action(
    series, coordinator, run
):
    other = f.person(email="other@example.org")
    with time_machine.travel(morning(2026, 1, 2), tick=False):
        shared = f.parent(name="Surgery Tumor Board", year=2026, coordinators=[coordinator, other])
        quiet = f.parent(name="Quiet Series", year=2026, coordinators=[f.person()])
    incomplete = session(series, start=f.local(2026, 1, 14, 12), name="Heart failure update")
    pending = ready(session(shared, start=f.local(2026, 1, 22, 7), name="Pancreatic cysts"))
    approved = ready(session(shared, start=f.local(2026, 1, 23, 7), name="Liver resection"))
    # Approved more than a week before the digest: no action, and not among its decisions.
    with time_machine.travel(morning(2026, 1, 4), tick=False):
        child_approve(approved, reviewer=f.reviewer())
    session(series, start=f.local(2026, 3, 3, 12), name="Far away: beyond four weeks")
    ready(session(quiet, start=f.local(2026, 1, 15, 12), name="Quiet topic"))
    with time_machine.travel(morning(2026, 1, 4), tick=False):
        child_approve(quiet.children.get(), reviewer=f.reviewer())

    sent = run(monitoring.send_weekly_digest, morning(2026, 1, 12, 6))

    assert kinds(sent) == [("digest", ["cora@umich.edu"]), ("digest", ["other@example.org"])]
    mine = next(m for m in sent if m.to == ["cora@umich.edu"])
    assert mine.subject == "This week: 2 upcoming sessions need action"
    assert mine.body.index("Heart failure update") < mine.body.index("Pancreatic cysts")
    assert "Liver resection" not in mine.body and "Far away" not in mine.body
    assert "Status: INCOMPLETE." in mine.body and "Missing: Assign at least one faculty" in (
        mine.body
    )
    assert f"/dashboard/?child_id={incomplete.pk}" in mine.body
    theirs = next(m for m in sent if m.to == ["other@example.org"])
    assert theirs.subject == "This week: 1 upcoming session needs action"
    assert f"/dashboard/?child_id={pending.pk}" in theirs.body
    assert run(monitoring.send_weekly_digest, morning(2026, 1, 12, 7)) == []
    assert run(monitoring.send_weekly_digest, morning(2026, 1, 14)) == []  # same week


def test_every_email_says_why_and_links_to_where_to_act(series, coordinator, run):
    from activities.services.faculty import assignment_add

    child = session(series, name="TBD")
    session(series, start=f.local(2026, 1, 8, 12))  # over by the attendance run
    with time_machine.travel(morning(2026, 1, 5), tick=False):
        assignment_add(child=child, person=f.person(), request_presentation=True)
        on_file = f.person()
        f.disclosure(on_file, at=morning(2025, 12, 1))
        assignment_add(child=child, person=on_file, request_disclosure=True)
    run(monitoring.send_weekly_digest, morning(2026, 1, 5))
    run(send_attendance_counts, morning(2026, 1, 9))
    run(monitoring.monitor_sessions, morning(2026, 1, 14))
    run(monitoring.send_renewal_reminders, morning(2026, 9, 1))
    with time_machine.travel(morning(2026, 9, 2), tick=False):
        parent_renew(series, by=coordinator)
    # The office's decisions, told to the coordinators at once (issue 14).
    office = f.reviewer()
    with time_machine.travel(morning(2026, 1, 6), tick=False):
        approved = ready(session(series, start=f.local(2026, 2, 5, 12), name="Stroke care"))
        child_approve(approved, reviewer=office)
        rejected = session(series, start=f.local(2026, 2, 12, 12), name="Lipid targets")
        child_reject(rejected, reviewer=office, reason="Wrong department.")
        maker = f.person(last_name="Maker")
        f.disclosure(maker, at=morning(2025, 12, 1), relationships=[("Acme", f.OWNER)])
        coi_review_record(
            assignment=f.assign(approved, maker),
            reviewer=office,
            decision=ReviewDecision.REJECTED,
            note="Owner of the company.",
        )

    emails = list(OutboxEmail.objects.all())
    assert {e.kind for e in emails} == {
        "disclosure_request",
        "disclosure_no_action",
        "presentation_request",
        "weekly_digest",
        "attendance_count",
        "three_by_five_warning",
        "status_reminder",
        "office_ticket",
        "renewal_reminder",
        "renewal_submitted",
        "session_approved",
        "session_rejected",
        "coi_rejected",
    }
    for email in emails:
        assert "Why you get this: " in email.text_body, email.kind
        assert "You get this because " in email.html_body, email.kind
        assert "https://rss.example.org/" in email.text_body, email.kind
        assert 'href="https://rss.example.org/' in email.html_body, email.kind
        assert "&amp;" not in email.text_body and "&amp;" not in email.subject, email.kind
