"""The RSS Dashboard page: search, the ten columns, access."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from activities.models import Comment, ParentRole, ParentRoleKind
from activities.rules import ChildStatus
from activities.services.children import child_approve, child_set_active
from activities.services.coi_reviews import coi_review_record
from disclosures.rules import CoiStatus, ReviewDecision
from tests import factories as f
from tests.personas import login

pytestmark = pytest.mark.django_db
URL = "/dashboard/"


def rows(response) -> list[int]:
    """Child IDs of the rows shown, in order."""
    import re

    return [int(x) for x in re.findall(rb'id="child-row-(\d+)"', response.content)]


def test_it_lands_a_coordinator_on_the_dashboard_after_signing_in(client, coordinator, series):
    response = client.post(
        reverse("login"),
        {"username": " Cora@UMICH.edu ", "password": f.PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert b"RSS Dashboard" in response.content


def test_it_sends_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_refuses_other_methods(client, coordinator):
    login(client, coordinator)
    assert client.post(URL).status_code == 405


def test_it_shows_a_coordinator_only_their_series(client, coordinator, child, other_child):
    response = login(client, coordinator).get(URL)
    assert rows(response) == [child.pk]
    assert b"Whipple" not in response.content


def test_it_shows_an_administrator_everything(client, admin, child, other_child):
    response = login(client, admin).get(URL)
    assert set(rows(response)) == {child.pk, other_child.pk}


def test_it_searches_today_to_60_days_ahead_by_default(client, coordinator, series):
    now = timezone.now()
    soon = f.child(series, start=now + timedelta(days=59))
    later = f.child(series, start=now + timedelta(days=62))
    past = f.child(series, start=now - timedelta(days=2))
    response = login(client, coordinator).get(URL)
    assert rows(response) == [soon.pk]
    widened = client.get(
        URL,
        {
            "date_from": (now - timedelta(days=5)).date().isoformat(),
            "date_to": (now + timedelta(days=90)).date().isoformat(),
        },
    )
    assert rows(widened) == [past.pk, soon.pk, later.pk]  # sorted by date


def test_it_finds_a_child_id_whatever_the_dates(client, coordinator, series, other_child):
    far = f.child(series, start=timezone.now() + timedelta(days=200))
    login(client, coordinator)
    assert rows(client.get(URL, {"child_id": far.pk})) == [far.pk]
    # A Child ID of another series finds nothing and says so.
    response = client.get(URL, {"child_id": other_child.pk})
    assert rows(response) == []
    assert f"No session with Child ID {other_child.pk}".encode() in response.content


def test_it_filters_by_status_flag_faculty_text_and_series(
    client, coordinator, series, child, owner
):
    second = f.parent(name="Medicine Case Conference", coordinators=[coordinator])
    tbd = f.child(second, name="TBD", start=timezone.now() + timedelta(days=3))
    speaker = f.person(last_name="Smithson", first_name="Ann")
    f.disclosure(speaker)
    f.assign(child, speaker)
    login(client, coordinator)
    assert rows(client.get(URL, {"flag": "name"})) == [tbd.pk]
    assert rows(client.get(URL, {"status": "pending"})) == [child.pk]
    assert rows(client.get(URL, {"status": ["pending", "incomplete"]})) == [tbd.pk, child.pk]
    assert rows(client.get(URL, {"faculty": "smiths, a"})) == [child.pk]
    assert rows(client.get(URL, {"faculty": "Jones"})) == []
    assert rows(client.get(URL, {"q": "sepsis"})) == [child.pk]
    assert rows(client.get(URL, {"q": "case conference"})) == [tbd.pk]
    assert rows(client.get(URL, {"series": second.pk})) == [tbd.pk]
    assert rows(client.get(URL, {"department": series.department_id})) == [tbd.pk, child.pk]


def test_it_filters_the_3_by_5_flags(client, coordinator, series):
    with time_machine.travel(timezone.now() - timedelta(days=20), tick=False):
        missed = f.child(series, start=timezone.now() + timedelta(days=24))  # due ~day 17
    due = f.child(series, start=timezone.now() + timedelta(days=30))
    login(client, coordinator)
    assert rows(client.get(URL, {"flag": "3x5_missed"})) == [missed.pk]
    assert rows(client.get(URL, {"flag": "3x5_due"})) == [due.pk]


def test_it_hides_deactivated_children_unless_asked(client, coordinator, child):
    child_set_active(child, active=False)
    login(client, coordinator)
    assert rows(client.get(URL)) == []
    response = client.get(URL, {"inactive": "on"})
    assert rows(response) == [child.pk]
    assert b"DEACTIVATED" in response.content
    assert f'id="reactivate-{child.pk}"'.encode() in response.content


def test_it_explains_an_empty_result(client, coordinator, series):
    response = login(client, coordinator).get(
        URL, {"date_from": "2031-01-05", "date_to": "2031-03-05"}
    )
    assert b"No sessions from Sun, Jan 5, 2031 to Wed, Mar 5, 2031. Widen the date range." in (
        response.content
    )
    narrowed = client.get(URL, {"q": "nothing like this"})
    assert b"match these filters. Clear some filters or widen the date range." in narrowed.content


def test_it_explains_an_invalid_search_and_shows_the_default_range(client, coordinator, child):
    response = login(client, coordinator).get(
        URL, {"date_from": "2026-03-10", "date_to": "2026-03-01"}
    )
    assert b"The end of the range is before its start." in response.content
    assert rows(response) == [child.pk]


def test_it_paginates_in_date_order(client, coordinator, series):
    now = timezone.now()
    made = [f.child(series, start=now + timedelta(days=1, hours=i)) for i in range(30)]
    login(client, coordinator)
    first = client.get(URL, {"per_page": 25})
    second = client.get(URL, {"per_page": 25, "page": 2})
    assert rows(first) == [c.pk for c in made[:25]]
    assert rows(second) == [c.pk for c in made[25:]]
    assert b"Sessions 26&ndash;30 of 30" in second.content or b"Sessions 26" in second.content


def test_it_shows_the_columns_of_a_row(client, coordinator, owner, office, series):
    planner = f.person(last_name="Planner", first_name="Pia")
    from activities.models import ParentRole, ParentRoleKind

    ParentRole.objects.create(parent=series, person=planner, role=ParentRoleKind.PLANNER)
    c = f.child(series, name="Medicine Grand Rounds 1/5", start=timezone.now() + timedelta(days=9))
    with_relationship = f.person(last_name="Ames", first_name="Al")
    f.disclosure(with_relationship, relationships=[("Acme Pharma", f.CONSULTANT)])
    without = f.person(last_name="Brown", first_name="Bea")
    f.assign(c, with_relationship)
    f.assign(c, without)
    Comment.objects.create(child=c, author=office, from_office=True, body="Please rename it.")
    body = login(client, coordinator).get(URL).content.decode()
    # Child Status: text and icon, and the readiness flags with their reasons.
    assert "INCOMPLETE" in body and 'class="icon"' in body
    assert "Name needs update" in body
    assert "The name contains the series name." in body
    assert "The name contains a date (1/5)." in body
    assert "3 by 5 due" in body
    assert "Planners with COI" in body and "no active disclosure for Planner, Pia" in body
    assert f'id="request-{c.pk}-{planner.pk}"' in body  # the coordinator may request it
    # Details.
    assert f"Parent ID {series.pk}" in body and f"Child ID <strong>{c.pk}</strong>" in body
    # Faculty and disclosure lines.
    assert "Faculty (2)" in body
    assert "Disclosure: Acme Pharma (Consultant)" in body
    assert "Disclosure submitted: N/A" in body and "Disclosure: NO DISCLOSURE ON FILE" in body
    # Presentations & COI: status text and a hover text saying who must act.
    assert "Ames, Al: <strong>NEEDS REVIEW</strong>" in body
    assert "await review by OCME&amp;LL. No action for the coordinator." in body
    assert "No disclosure on file for Brown, Bea. Faculty must complete" in body
    # Owners/Coordinators, Comments, Approval.
    assert "Owner, Owen" in body and "Coordinator, Cora" in body
    assert "Comments (1)" in body and "Please rename it." in body
    assert "Waits for the coordinator" in body
    assert "Disclosure missing or expired: Brown, Bea." in body


def test_it_says_who_approved_and_when(client, coordinator, office, series, child):
    speaker = f.person(last_name="Smith")
    f.disclosure(speaker)
    a = f.assign(child, speaker)
    assert a.coi_status == CoiStatus.PENDING
    child_approve(child, reviewer=office)
    body = login(client, coordinator).get(URL).content.decode()
    assert "APPROVED" in body
    assert "Approved by Reviewer, Rita on" in body


def test_it_says_what_a_rejection_asks_the_coordinator_to_do(client, coordinator, office, child):
    owner_of_company = f.person(last_name="Maker", first_name="Max")
    f.disclosure(owner_of_company, relationships=[("Acme Devices", f.OWNER)])
    a = f.assign(child, owner_of_company)
    coi_review_record(
        assignment=a, reviewer=office, decision=ReviewDecision.REJECTED, note="Owner."
    )
    child.refresh_from_db()
    assert child.status == ChildStatus.REJECTED
    body = login(client, coordinator).get(URL).content.decode()
    assert "Next: remove Maker, Max and assign someone else." in body
    assert "must remove Maker, Max and assign someone else" in body  # the hover text


def test_it_renders_no_edit_controls_for_an_owner(client, owner, coordinator, child):
    owner_page = login(client, owner).get(URL).content.decode()
    assert f"child-row-{child.pk}" in owner_page
    for control in ("Manage Faculty</button>", f'id="edit-{child.pk}"', "Deactivate</button>"):
        assert control not in owner_page
    assert "Email all</button>" in owner_page  # owners may email (SPEC §1)
    coordinator_page = login(client, coordinator).get(URL).content.decode()
    assert "Manage Faculty</button>" in coordinator_page
    assert f'id="deactivate-{child.pk}"' in coordinator_page


def test_it_returns_one_row_for_in_place_updates(client, coordinator, owner, outsider, child):
    url = reverse("child_row", args=[child.pk])
    response = login(client, coordinator).get(url)
    assert "{#" not in response.content.decode()
    assert f'<tr id="child-row-{child.pk}"' in response.content.decode()
    assert login(client, owner).get(url).status_code == 200
    assert login(client, outsider).get(url).status_code == 404
    assert client.post(url).status_code == 405


def test_it_links_each_row_to_the_flyer_qr_reports_late_claims_and_attendance(
    client, coordinator, owner, admin, office, series, child
):
    links = {
        "flyer": reverse("flyer_preview", args=[child.pk]),
        "qr": reverse("qr_page", args=[child.pk]),
        "attendance": reverse("child_attendance_csv", args=[child.pk]),
        "take attendance": reverse("child_attendance", args=[child.pk]),
        "reports": reverse("parent_reports", args=[series.pk]),
        "late claims": reverse("late_claims", args=[series.pk]),
    }
    for user in (coordinator, owner, admin):
        body = login(client, user).get(URL).content.decode()
        for what, href in links.items():
            assert f'href="{href}"' in body, (user, what)
            assert client.get(href).status_code == 200, (user, what)  # and each one opens
    # Reviewers approve sessions; reports and late claims are not theirs (credit/access.py).
    body = login(client, office).get(URL).content.decode()
    assert f'href="{links["flyer"]}"' in body and f'href="{links["qr"]}"' in body
    for what in ("attendance", "take attendance", "reports", "late claims"):
        assert f'href="{links[what]}"' not in body, what
        assert client.get(links[what]).status_code == 404


def test_a_reviewer_who_owns_a_series_gets_its_report_links_and_only_its(
    client, office, series, child, other_child
):
    ParentRole.objects.create(parent=series, person=office, role=ParentRoleKind.OWNER)
    body = login(client, office).get(URL).content.decode()
    for mine, theirs in (
        (
            reverse("parent_reports", args=[series.pk]),
            reverse("parent_reports", args=[other_child.parent_id]),
        ),
        (
            reverse("child_attendance_csv", args=[child.pk]),
            reverse("child_attendance_csv", args=[other_child.pk]),
        ),
        (
            reverse("late_claims", args=[series.pk]),
            reverse("late_claims", args=[other_child.parent_id]),
        ),
    ):
        assert f'href="{mine}"' in body and client.get(mine).status_code == 200
        assert f'href="{theirs}"' not in body and client.get(theirs).status_code == 404
    # The row refreshed in place after a change says the same.
    row = client.get(reverse("child_row", args=[child.pk])).content.decode()
    other = client.get(reverse("child_row", args=[other_child.pk])).content.decode()
    assert reverse("child_attendance_csv", args=[child.pk]) in row
    assert reverse("child_attendance_csv", args=[other_child.pk]) not in other
