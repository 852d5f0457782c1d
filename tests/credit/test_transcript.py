"""My transcript: per year with totals, the state of each claim, CSV and printable page."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from activities.services.children import child_reject
from credit.models import Claim, ClaimChannel
from credit.selectors_transcripts import transcript
from credit.services import claim_credit
from tests import factories as f
from tests.credit.helpers import approved_child, pending_child

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(learner, series, office):
    """2026: two awarded (1.00 + 1.50), one pending (1.00), one on a rejected session (1.00).
    2025: one awarded (0.75)."""
    series.credit_hours = Decimal("2.00")
    series.save()
    with time_machine.travel(f.local(2026, 1, 5), tick=False):
        a = approved_child(series, office, start=f.local(2026, 3, 12, 12), name="Heart failure")
        b = approved_child(
            series, office, start=f.local(2026, 4, 9, 12), minutes=90, name="Stroke windows"
        )
        p = pending_child(series, start=f.local(2026, 5, 7, 12), name="Gout flares")
        r = pending_child(series, start=f.local(2026, 6, 4, 12), name="Thyroid nodules")
        old_series = f.parent(name="Surgery Grand Rounds", year=2025)
    with time_machine.travel(f.local(2025, 1, 5), tick=False):
        old = approved_child(
            old_series, office, start=f.local(2025, 11, 6, 7), minutes=45, name="Frailty"
        )
    for child in (a, b, p, r, old):
        claim_credit(
            learner=learner,
            child_id=child.pk,
            channel=ClaimChannel.SMS,
            now=child.start + timedelta(minutes=5),
        )
    child_reject(r, reviewer=office, reason="Not compliant")
    return {"a": a, "b": b, "p": p, "r": r, "old": old}


def test_it_groups_per_year_with_totals_and_states(learner, claims):
    years = transcript(learner)
    assert [y.year for y in years] == [2026, 2025]
    this, last = years
    assert [(r.child.name, r.state) for r in this.rows] == [
        ("Thyroid nodules", "no_credit"),
        ("Gout flares", "pending"),
        ("Stroke windows", "awarded"),
        ("Heart failure", "awarded"),
    ]
    assert (this.awarded, this.pending, this.sessions) == (Decimal("2.50"), Decimal("1.00"), 4)
    assert (last.awarded, last.pending) == (Decimal("0.75"), Decimal("0.00"))


def test_it_shows_the_page(client, learner, claims):
    client.force_login(learner)
    page = client.get("/transcript/").content.decode()
    assert "<strong>2.50</strong> credit hours awarded · 1.00 pending approval · 4 sessions" in page
    assert "Credit pending approval" in page
    assert "No credit offered (session not approved)" in page
    assert 'data-state="awarded"' in page
    page_2025 = client.get("/transcript/?year=2025").content.decode()
    assert "Frailty" in page_2025
    assert "Heart failure" not in page_2025


def test_the_page_lists_the_newest_years_sessions_and_the_totals_of_earlier_years(
    client, learner, claims
):
    """Issue 21: five years of claims (700 for a busy learner) cost the page one year's rows; an
    earlier year is a line of totals that opens as its own page."""
    client.force_login(learner)
    page = client.get("/transcript/").content.decode()
    assert "Heart failure" in page and "Frailty" not in page
    assert 'data-year="2025"' in page
    earlier = page.split('data-year="2025"')[1].split("</tr>")[0]
    assert ">0.75<" in earlier and ">1<" in earlier and 'href="?year=2025"' in earlier
    assert "/transcript/certificates/year/2025.pdf" in earlier
    assert 'data-year="2026"' not in page  # the newest year is not repeated as a summary


def test_the_earlier_years_totals_follow_the_claims_rules(learner, claims):
    from credit.selectors_transcripts import transcript_years

    summaries = {y.year: y for y in transcript_years(learner)}
    for year in transcript(learner):
        assert (
            summaries[year.year].awarded,
            summaries[year.year].pending,
            summaries[year.year].waiting_for_evaluation,
            summaries[year.year].sessions,
        ) == (year.awarded, year.pending, year.waiting_for_evaluation, year.sessions)
    assert list(summaries) == [2026, 2025]


def test_pending_credit_becomes_credit_on_the_transcript_after_approval(
    client, learner, claims, office
):
    from activities.services.children import child_approve

    child_approve(claims["p"], reviewer=office)
    assert [r.state for r in transcript(learner, 2026)[0].rows if r.child == claims["p"]] == [
        "awarded"
    ]


def test_it_downloads_a_csv(client, learner, claims):
    client.force_login(learner)
    response = client.get("/transcript/transcript.csv?year=2026")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="transcript-{learner.pk}-2026.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Year", "Date", "Child ID", "Session"]
    assert rows[1][3] == "Thyroid nodules"
    assert rows[1][7] == "No credit offered (session not approved)"
    assert ["2026", "", "", "Total awarded 2026", "", "", "2.50", "", "", ""] in rows
    assert ["2026", "", "", "Pending approval 2026", "", "", "1.00", "", "", ""] in rows
    assert len(rows) == 1 + 4 + 2


def test_it_prints(client, learner, claims):
    client.force_login(learner)
    page = client.get("/transcript/print/").content.decode()
    assert "window.print()" in page
    assert "@media print" in page
    assert "Total awarded 2026" in page
    assert learner.email in page


def test_it_shows_only_my_claims(client, learner, claims):
    other = f.person(email="other@example.org")
    client.force_login(other)
    page = client.get("/transcript/").content.decode()
    assert "Heart failure" not in page
    assert "No claims yet" in page


def test_it_needs_sign_in(client):
    for path in ("/transcript/", "/transcript/transcript.csv", "/transcript/print/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_it_reads_the_transcript_in_a_fixed_number_of_queries(
    client, learner, claims, django_assert_max_num_queries
):
    client.force_login(learner)
    with django_assert_max_num_queries(6):  # session, user, claims, late requests
        client.get("/transcript/")
    assert Claim.objects.filter(learner=learner).count() == 5


def test_it_keeps_awarded_credit_on_sessions_deactivated_afterwards(learner, claims):
    """Issue 14: deactivating a session used to take its credit off the transcript silently."""
    from activities.services.children import child_set_active

    child_set_active(claims["a"], active=False)
    rows = {r.child.name: r for r in transcript(learner, 2026)[0].rows}
    assert rows["Heart failure"].state == "awarded" and rows["Heart failure"].note
    assert transcript(learner, 2026)[0].awarded == Decimal("2.50")
