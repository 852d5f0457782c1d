"""The read helpers the dashboard and the flyer use (one definition of the rules)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from activities.models import ParentRoleKind
from activities.selectors_disclosures import (
    child_decisions,
    flyer_disclosure_facts,
    planner_disclosure_rows,
)
from activities.services.children import child_approve, child_reject
from activities.services.coi_reviews import coi_review_record
from activities.services.status import recompute_children
from disclosures.rules import MitigationStep, Nature
from disclosures.rules import ReviewDecision as D
from disclosures.services import disclosure_lines_for, latest_disclosure, latest_disclosures
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_lines_for_many_people_in_two_queries(django_assert_num_queries):
    with time_machine.travel(f.local(2026, 1, 5, 23, 30), tick=False):  # 04:30 UTC the 6th
        nothing = f.person()
        f.disclosure(
            nothing,
            at=timezone.now() - timedelta(days=400),
            relationships=[("Old", Nature.CONSULTANT)],
        )
        f.disclosure(nothing, at=timezone.now())
        listing = f.person()
        f.disclosure(
            listing,
            at=timezone.now(),
            relationships=[("Zeta Devices", Nature.ROYALTIES), ("Acme", Nature.SPEAKERS_BUREAU)],
        )
        none = f.person()
        with django_assert_num_queries(2):
            lines = disclosure_lines_for([nothing.pk, listing.pk, none.pk])
    assert lines[nothing.pk].submitted_line == "Disclosure submitted: Jan 5, 2026"  # local date
    assert lines[nothing.pk].disclosure_line == "Disclosure: Nothing to disclose - Jan 5, 2026"
    assert lines[listing.pk].disclosure_line == (
        "Disclosure: Acme (Speakers' bureau); Zeta Devices (Royalties)"
    )
    assert lines[listing.pk].relationships == (
        ("Acme", "Speakers' bureau"),
        ("Zeta Devices", "Royalties"),
    )
    assert lines[none.pk].submitted_line == "Disclosure submitted: N/A"
    assert lines[none.pk].disclosure_line == "Disclosure: NO DISCLOSURE ON FILE"
    assert lines[none.pk].is_active_for(timezone.now()) is False
    assert disclosure_lines_for([]) == {}


def test_flyer_facts_list_faculty_then_planners_with_mitigation(office, django_assert_num_queries):
    planner = f.person(last_name="Planner", first_name="Pam", credentials="RN")
    clean_planner = f.person(last_name="Clean", first_name="Carl")
    series = f.parent(planners=[planner, clean_planner])
    session = f.child(series)
    mitigated = f.person(last_name="Adams", first_name="Ann", credentials="MD")
    waiting = f.person(last_name="Brown", first_name="Bob")
    f.disclosure(mitigated, relationships=[("Acme", Nature.CONSULTANT)])
    f.disclosure(waiting, relationships=[("Bolt", Nature.ADVISORY_BOARD)])
    f.disclosure(planner, relationships=[("Cobalt", Nature.STOCK)])
    f.disclosure(clean_planner)
    a = f.assign(session, mitigated)
    f.assign(session, waiting)
    coi_review_record(
        assignment=a,
        reviewer=office,
        decision=D.MITIGATED,
        relevant=True,
        mitigation_steps=[MitigationStep.PEER_REVIEW],
    )
    session.refresh_from_db()
    # assignments, planners, latest disclosures, relationships, reviews
    with django_assert_num_queries(5):
        facts = flyer_disclosure_facts(session)
    by_name = {p.name: p for p in facts}
    assert [p.name for p in facts] == [
        "Ann Adams, MD",
        "Bob Brown",
        "Carl Clean",
        "Pam Planner, RN",
    ]
    assert by_name["Ann Adams, MD"].roles == ("Faculty",)
    assert by_name["Ann Adams, MD"].companies == (("Acme", ("Consultant",)),)
    assert by_name["Ann Adams, MD"].state == "relationships" and by_name["Ann Adams, MD"].mitigated
    assert not by_name["Bob Brown"].mitigated  # not reviewed yet
    assert by_name["Carl Clean"].roles == ("Planner",) and by_name["Carl Clean"].state == "nothing"
    assert by_name["Pam Planner, RN"].companies == (("Cobalt", ("Stock or stock options",)),)
    assert not by_name["Pam Planner, RN"].mitigated  # planners: once the session is approved
    assert all(p.state != "missing" for p in facts)


def test_flyer_facts_join_roles_and_forget_reviews_of_an_older_disclosure(office):
    person = f.person(last_name="Both", first_name="Bea")
    series = f.parent(planners=[person])
    session = f.child(series)
    f.disclosure(
        person, at=timezone.now() - timedelta(days=5), relationships=[("Acme", Nature.CONSULTANT)]
    )
    a = f.assign(session, person)
    coi_review_record(
        assignment=a,
        reviewer=office,
        decision=D.APPROVED,
        relevant=True,
        mitigation_steps=[MitigationStep.PEER_REVIEW],
    )
    assert flyer_disclosure_facts(session)[0].mitigated
    f.disclosure(person, at=timezone.now(), relationships=[("Acme", Nature.CONSULTANT)])
    recompute_children([session.pk])  # as disclosure_submit does: DISCLOSURE UPDATED
    (fact,) = flyer_disclosure_facts(session)
    assert fact.roles == ("Faculty", "Planner") and fact.state == "relationships"
    assert not fact.mitigated  # the decision was on the previous disclosure


def test_latest_disclosures_take_the_newest_per_person_in_one_query(django_assert_num_queries):
    at = timezone.now()
    twice, once, never = f.person(), f.person(), f.person()
    f.disclosure(twice, at=at - timedelta(days=30), relationships=[("Old", Nature.CONSULTANT)])
    newest = f.disclosure(twice, at=at)
    only = f.disclosure(once, at=at - timedelta(days=2), relationships=[("Acme", Nature.ROYALTIES)])
    with django_assert_num_queries(1):
        latest = latest_disclosures([twice.pk, once.pk, never.pk])
    assert set(latest) == {twice.pk, once.pk}
    assert latest[twice.pk].id == newest.pk and latest[twice.pk].nothing_to_disclose
    assert not latest[twice.pk].has_relationships
    assert latest[once.pk].id == only.pk and latest[once.pk].has_relationships
    assert latest_disclosure(twice).pk == newest.pk  # the single read agrees
    assert latest_disclosure(never) is None
    assert latest_disclosures([]) == {}


def test_planner_rows_name_who_lacks_an_active_disclosure_per_series():
    lacking, covered, expiring = (
        f.person(last_name="Lacking"),
        f.person(last_name="Covered"),
        f.person(last_name="Expiring"),
    )
    now = timezone.now()
    f.disclosure(covered, at=now - timedelta(days=10))
    f.disclosure(expiring, at=now - timedelta(days=350))
    series = f.parent(name="Cardiology Grand Rounds", planners=[lacking, covered, expiring])
    f.child(series, start=now + timedelta(days=7))
    f.child(series, start=now + timedelta(days=21))
    f.parent(name="No sessions ahead", planners=[lacking])  # nothing upcoming: not listed
    rows = planner_disclosure_rows()
    assert [(r.person, r.lacking, r.upcoming) for r in rows] == [
        ("Expiring, Pat", 1, 2),
        ("Lacking, Pat", 2, 2),
    ]
    assert rows[0].first_lacking > now + timedelta(days=20)
    assert {r.person for r in planner_disclosure_rows(lacking_only=False)} == {
        "Lacking, Pat",
        "Covered, Pat",
        "Expiring, Pat",
    }
    other = f.department("Surgery")
    assert planner_disclosure_rows(department_id=other.pk) == []
    assert series.roles.filter(role=ParentRoleKind.PLANNER).count() == 3


def test_child_decisions_merge_session_and_coi_decisions(series, speaker, office):
    session = f.child(series)
    f.disclosure(speaker, relationships=[("Acme", Nature.CONSULTANT)])
    a = f.assign(session, speaker)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        coi_review_record(
            assignment=a,
            reviewer=office,
            decision=D.MITIGATED,
            relevant=True,
            mitigation_steps=[MitigationStep.OTHER],
            note="Slides reviewed by the chair",
        )
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        child_approve(session, reviewer=office)
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        child_reject(session, reviewer=office, reason="Speaker withdrew")
    entries = child_decisions(session.pk)
    assert [e.what for e in entries] == [
        "Session: Rejected",
        "Session: Approved",
        "COI of Smith, Jane: Approved",
        "COI of Smith, Jane: Mitigated (awaiting approval)",
    ]
    assert entries[0].detail == "Speaker withdrew" and entries[0].by == office.name
    assert (
        "steps: Other" in entries[3].detail and "Slides reviewed by the chair" in entries[3].detail
    )
