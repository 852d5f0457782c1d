"""Claim.year (issue 21): the series' year kept on the claim, so the transcript page reads one
year's claims; it is set wherever claims are made and follows a session or series that changes
year. The totals stay those of the claims' rules, and the page's queries do not grow with years."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import ChildActivity
from activities.services.children import child_update
from credit.models import COUNTED, Claim, ClaimChannel
from credit.rules import state_of
from credit.selectors_transcripts import transcript, transcript_page, transcript_years
from credit.services import claim_credit
from credit.transcript_html import rows_html
from tests import factories as f
from tests.credit.helpers import approved_child

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def _claim(learner, child, **fields) -> Claim:
    fields.setdefault("credit_hours", Decimal("1.00"))
    return Claim.objects.create(learner=learner, child=child, channel=ClaimChannel.WEB, **fields)


def test_a_claim_made_by_text_carries_its_series_year(learner, office):
    series = f.parent(year=2026)
    child = approved_child(series, office, start=f.local(2026, 3, 12))
    claim = claim_credit(
        learner=learner, child_id=child.pk, channel=ClaimChannel.SMS, now=child.start + MINUTE
    )
    assert Claim.objects.get(pk=claim.pk).year == 2026


def test_claims_saved_or_bulk_created_without_a_year_get_their_series_year(learner):
    old, new = f.parent(year=2024), f.parent(year=2026)
    a = f.child(old, start=f.local(2024, 5, 2), recompute=False)
    b = f.child(new, start=f.local(2026, 5, 7), recompute=False)
    saved = _claim(learner, ChildActivity.objects.get(pk=a.pk))  # its series not loaded
    other = f.person()
    Claim.objects.bulk_create(
        [
            Claim(learner=other, child_id=a.pk, channel="web", credit_hours=1),
            Claim(learner=other, child=b, channel="web", credit_hours=1),
        ]
    )
    assert Claim.objects.get(pk=saved.pk).year == 2024
    assert sorted(Claim.objects.filter(learner=other).values_list("year", flat=True)) == [
        2024,
        2026,
    ]


def test_a_batch_without_years_costs_one_query_for_them(learner, django_assert_num_queries):
    series = f.parent(year=2025)
    ids = [f.child(series, start=f.local(2025, 4, d), recompute=False).pk for d in (1, 2, 3)]
    with django_assert_num_queries(2):  # the sessions' years, then the INSERT
        Claim.objects.bulk_create(
            [Claim(learner=learner, child_id=i, channel="web", credit_hours=1) for i in ids]
        )
    assert set(Claim.objects.values_list("year", flat=True)) == {2025}


def test_a_session_moved_to_a_series_of_another_year_takes_its_claims_along(learner, office):
    this_year, last_year = f.parent(year=2026), f.parent(year=2025)
    child = approved_child(this_year, office, start=f.local(2026, 1, 8))
    _claim(learner, child)
    start = f.local(2025, 12, 18)
    child_update(child, parent=last_year, start=start, end=start + timedelta(hours=1))
    assert list(Claim.objects.filter(child=child).values_list("year", flat=True)) == [2025]
    assert [y.year for y in transcript_years(learner)] == [2025]
    assert [y.year for y in transcript(learner, 2025)] == [2025]


def test_a_claim_saved_with_another_session_takes_that_sessions_year(learner):
    """The admin's form may change a claim's session (a full save)."""
    a = f.child(f.parent(year=2026), start=f.local(2026, 2, 5), recompute=False)
    b = f.child(f.parent(year=2025), start=f.local(2025, 2, 6), recompute=False)
    claim = _claim(learner, a)
    claim.child_id = b.pk
    claim.save()
    assert Claim.objects.get(pk=claim.pk).year == 2025


def test_a_series_whose_year_is_corrected_takes_its_claims_along(learner):
    series = f.parent(year=2026)
    child = f.child(series, start=f.local(2026, 2, 5), recompute=False)
    _claim(learner, child)
    series.year = 2025
    series.save()
    assert list(Claim.objects.filter(child=child).values_list("year", flat=True)) == [2025]
    series.save(update_fields=["name"])  # a save that cannot change the year writes nothing
    assert list(Claim.objects.filter(child=child).values_list("year", flat=True)) == [2025]


def _old_totals(learner) -> dict:
    """The totals as computed before Claim.year: every counted claim, its year read through its
    session's series, its state by the rule, summed in Python."""
    totals: dict = {}
    for claim in Claim.objects.filter(COUNTED, learner=learner).select_related("child__parent"):
        state = state_of(claim)
        t = totals.setdefault(claim.child.parent.year, dict.fromkeys("apwsd", 0))
        key = {"awarded": "a", "pending": "p", "evaluation": "w"}.get(state)
        if key:
            t[key] += claim.credit_hours
        t["s"] += 1
        due = (
            state in ("pending", "evaluation")
            and claim.evaluation_required
            and claim.evaluated_at is None
        )
        t["d"] += due
    return totals


def _varied_claims(learner) -> None:
    """Every combination of what decides a claim's state, over three years, with voided claims
    (they count nowhere), revocation reasons and a session moved between years."""
    now = f.local(2026, 6, 1)
    series = {y: f.parent(year=y) for y in (2024, 2025, 2026)}
    combos = itertools.product(
        ("approved", "pending", "rejected", "incomplete"),
        (True, False),  # session active
        (True, False),  # evaluation required
        (True, False),  # evaluated
        (True, False),  # awarded
        (True, False),  # revoked
    )
    for n, (status, active, required, evaluated, awarded, revoked) in enumerate(combos):
        year = 2024 + n % 3
        child = f.child(series[year], start=f.local(year, 1 + n % 12, 1 + n % 28), recompute=False)
        ChildActivity.objects.filter(pk=child.pk).update(status=status, is_active=active)
        _claim(
            learner,
            child,
            credit_hours=Decimal("0.25") * (1 + n % 7),
            evaluation_required=required,
            evaluated_at=now if evaluated else None,
            awarded_at=now if awarded else None,
            revoked_at=now if revoked else None,
            revoked_reason="Left early" if revoked and n % 4 == 0 else "",
            voided_at=now if n % 11 == 0 else None,
        )
    moved = Claim.objects.filter(learner=learner, year=2024).first().child
    start = f.local(2025, 9, 4)
    child_update(moved, parent=series[2025], start=start, end=start + timedelta(hours=1))


def test_the_totals_equal_the_rules_applied_claim_by_claim_on_varied_claims(learner):
    _varied_claims(learner)
    expected = _old_totals(learner)
    got = {
        y.year: {
            "a": y.awarded,
            "p": y.pending,
            "w": y.waiting_for_evaluation,
            "s": y.sessions,
            "d": y.evaluations_due,
        }
        for y in transcript_years(learner)
    }
    assert got == expected
    assert sorted(expected) == [2024, 2025, 2026]
    for key in "apwd":  # every kind of total is exercised
        assert any(t[key] for t in expected.values()), key


def test_the_pages_rows_read_as_values_are_those_read_as_models(learner):
    """transcript_page (the page) and transcript (CSV, printable page) list the same rows."""
    _varied_claims(learner)
    for year in (2024, 2025, 2026):
        (by_models,) = transcript(learner, year)
        (as_values,) = transcript_page(learner, year)
        assert len(as_values.rows) == by_models.sessions > 20
        assert rows_html(as_values.rows) == rows_html(by_models.rows)
        assert [r.state for r in as_values.rows] == [r.state for r in by_models.rows]
        assert "Reason: Left early" in rows_html(as_values.rows)
    (newest,) = transcript_page(learner, 2026, newest=5)
    assert rows_html(newest.rows) == rows_html(transcript(learner, 2026)[0].rows[:5])


def _page_queries(client, learner) -> list[str]:
    client.force_login(learner)
    client.get("/transcript/")  # the session's first read is not the page's
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/transcript/").status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_pages_queries_do_not_grow_with_years_or_claims(client, learner, office):
    few, many = f.person(), learner
    for year in range(2022, 2027):
        series = f.parent(year=year)
        for month in range(1, 13 if year != 2022 else 2):
            child = approved_child(series, office, start=f.local(year, month, 10))
            _claim(many, child, awarded_at=child.start)
            if year == 2026 and month == 1:
                _claim(few, child, awarded_at=child.start)
    assert Claim.objects.filter(learner=many).count() == 49
    queries_few, queries_many = _page_queries(client, few), _page_queries(client, many)
    assert len(queries_many) == len(queries_few)
    # The rows read are the newest year's: the claims' query names it.
    rows = [q for q in queries_many if "ORDER BY" in q and '"credit_claim"."year" =' in q]
    assert len(rows) == 1


def test_the_pages_rows_escape_what_people_typed(client, learner):
    series = f.parent(year=2026, name="Rounds & <b>Friends</b>")
    child = f.child(series, start=f.local(2026, 2, 5), name="", recompute=False)
    _claim(learner, child, revoked_at=f.local(2026, 3, 1), revoked_reason='<script>"x"</script>')
    client.force_login(learner)
    page = client.get("/transcript/").content.decode()
    assert "Rounds &amp; &lt;b&gt;Friends&lt;/b&gt; · Child ID" in page
    assert "</span>Rounds &amp; &lt;b&gt;Friends&lt;/b&gt;<br>" in page  # unnamed: the series
    assert "Reason: &lt;script&gt;&quot;x&quot;&lt;/script&gt;" in page
    assert "<script>" not in page.split("<tbody>")[1].split("</tbody>")[0]


def test_the_page_lists_the_learners_late_claim_requests_newest_first(client):
    from credit.models import LateClaimRequest, LateClaimState

    learner, other = f.person(), f.person()
    series = f.parent(name="Surgery Grand Rounds")
    named = f.child(series, name="Sepsis bundles", start=f.local(2026, 3, 5))
    unnamed = f.child(series, name="", start=f.local(2026, 4, 9))
    LateClaimRequest.objects.create(
        learner=learner, child=named, reason="Forgot", requested_at=f.local(2026, 3, 6)
    )
    LateClaimRequest.objects.create(
        learner=learner,
        child=unnamed,
        reason="No signal",
        requested_at=f.local(2026, 4, 10),
        state=LateClaimState.REFUSED,
        decision_note="Not in the room",
    )
    LateClaimRequest.objects.create(learner=other, child=named, reason="Someone else's")
    client.force_login(learner)
    page = client.get("/transcript/").content.decode()
    refused = page.index(
        "Surgery Grand Rounds (Apr 9, 2026): <strong>Refused</strong> — Not in the room"
    )
    waiting = page.index("Sepsis bundles (Mar 5, 2026): <strong>Waiting for the coordinators")
    assert refused < waiting
    assert page.count("<strong>Waiting for the coordinators</strong>") == 1
