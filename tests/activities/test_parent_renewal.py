"""Renewing a series for the next year (SPEC §2): a draft copy for the office to approve."""

from datetime import date, time
from decimal import Decimal

import pytest

from activities.models import ParentRoleKind, ParentState, Specialty
from activities.rules_renewal import shift_exception_dates, shift_recurrence, shift_year
from activities.services.parents import ParentError, parent_renew
from rss_dashboard.models import OutboxEmail
from tests import factories as f


@pytest.mark.parametrize(
    "rule, shifted",
    [
        ("FREQ=WEEKLY;BYDAY=TH", "FREQ=WEEKLY;BYDAY=TH"),
        ("FREQ=WEEKLY;BYDAY=TH;UNTIL=20261217", "FREQ=WEEKLY;BYDAY=TH;UNTIL=20271217"),
        (
            "FREQ=MONTHLY;BYDAY=1WE;UNTIL=20261231T235959Z",
            "FREQ=MONTHLY;BYDAY=1WE;UNTIL=20271231T235959Z",
        ),
        (
            "DTSTART;TZID=America/Detroit:20260105T120000\nRRULE:FREQ=WEEKLY;BYDAY=MO\n"
            "EXDATE;TZID=America/Detroit:20260119T120000,20260216T120000",
            "DTSTART;TZID=America/Detroit:20270105T120000\nRRULE:FREQ=WEEKLY;BYDAY=MO\n"
            "EXDATE;TZID=America/Detroit:20270119T120000,20270216T120000",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "FREQ=MONTHLY;BYMONTHDAY=1,15"),
    ],
)
def test_it_moves_the_dates_of_a_rule_by_a_year(rule, shifted):
    assert shift_recurrence(rule) == shifted


def test_it_moves_exception_dates_keeping_their_weekday():
    # Thanksgiving 2026 (Thu Nov 26) -> Thanksgiving 2027 (Thu Nov 25); Jan 1, 2026 (Thu) would
    # land in 2026 after 52 weeks, so it takes 53: Thu Jan 7, 2027. Garbage is dropped.
    assert shift_exception_dates(["2026-11-26", "2026-01-01", "not a date"], 2027) == [
        "2027-01-07",
        "2027-11-25",
    ]


def test_a_leap_day_moves_to_the_28th():
    assert shift_year(date(2028, 2, 29)) == date(2029, 2, 28)


@pytest.mark.django_db
class TestParentRenew:
    def test_it_creates_next_years_draft_with_settings_people_audience_and_recurrence(self):
        coordinator, owner, planner = f.person(), f.person(), f.person()
        cardio = Specialty.objects.create(name="Cardiology")
        series = f.parent(
            name="Cardiology Grand Rounds",
            year=2026,
            coordinators=[coordinator],
            owners=[owner],
            planners=[planner],
        )
        series.recurrence = "FREQ=WEEKLY;BYDAY=TH;UNTIL=20261217"
        series.exception_dates = ["2026-11-26"]
        series.default_start_time = time(12, 0)
        series.professions = ["physician", "nurse"]
        series.credit_hours = Decimal("1.50")
        series.save()
        series.specialties.add(cardio)

        renewal = parent_renew(series, by=coordinator)

        assert (renewal.name, renewal.year, renewal.state) == (
            "Cardiology Grand Rounds",
            2027,
            ParentState.DRAFT,
        )
        assert renewal.renewed_from == series and series.renewal == renewal
        assert renewal.recurrence == "FREQ=WEEKLY;BYDAY=TH;UNTIL=20271217"
        assert renewal.exception_dates == ["2027-11-25"]
        assert (renewal.default_start_time, renewal.credit_hours) == (time(12), Decimal("1.50"))
        assert renewal.department == series.department
        assert renewal.professions == ["physician", "nurse"]
        assert list(renewal.specialties.all()) == [cardio]
        assert set(renewal.roles.values_list("person_id", "role")) == {
            (coordinator.pk, ParentRoleKind.COORDINATOR),
            (owner.pk, ParentRoleKind.OWNER),
            (planner.pk, ParentRoleKind.PLANNER),
        }
        assert not renewal.children.exists()
        assert renewal.history.first().history_user == coordinator
        office = OutboxEmail.objects.get(kind="renewal_submitted")
        assert office.subject == "Renewal to approve: Cardiology Grand Rounds (2027)"
        assert f"/admin/activities/parentactivity/{renewal.pk}/change/" in office.text_body

    def test_it_renews_a_series_once(self):
        series = f.parent(year=2026)
        parent_renew(series)
        with pytest.raises(ParentError) as refused:
            parent_renew(series)
        assert refused.value.code == "already_renewed"

    def test_a_draft_is_not_renewed(self):
        series = f.parent(year=2026)
        series.state = ParentState.DRAFT
        series.save()
        with pytest.raises(ParentError) as refused:
            parent_renew(series)
        assert refused.value.code == "not_approved"
