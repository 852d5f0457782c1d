"""Which planners of a series lack an active disclosure for a session (no database)."""

from datetime import UTC, datetime, timedelta

from disclosures.rules import PlannerFacts, planners_without_active_disclosure

START = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)


def test_it_lists_the_planners_without_an_active_disclosure_in_order():
    never = PlannerFacts(1, "Ames, Al", None)
    recent = PlannerFacts(2, "Brown, Bea", START - timedelta(days=30))
    a_year = PlannerFacts(3, "Cole, Cy", START - timedelta(days=365))  # exactly a year: expired
    almost = PlannerFacts(4, "Dunn, Di", START - timedelta(days=364, hours=23))
    found = planners_without_active_disclosure([never, recent, a_year, almost], session_start=START)
    assert found == [never, a_year]


def test_no_planners_means_nobody_is_missing():
    assert planners_without_active_disclosure([], session_start=START) == []
