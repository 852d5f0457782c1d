"""The office's week in a real browser (headless Chromium) against a live server: the COI review
queue, the review of one person's relationships, the session approval, and the coordinator's
dashboard showing the result at once (a cached page never hides a decision)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.models import ChildActivity
from activities.rules import ChildStatus
from disclosures.models import CoiReview
from tests import factories as f
from tests.browser_checks import ServedHtml, check_page
from tests.personas import make_coordinator, make_reviewer
from tests.tools import require_tool

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TIMEOUT = 10_000


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def office_week(db):
    require_tool("chromium")
    coordinator = make_coordinator()
    office = make_reviewer()
    series = f.parent(name="Oncology Tumor Board", coordinators=[coordinator])
    day = timezone.localdate() + timedelta(days=14)
    session = f.child(
        series, name="Immunotherapy toxicities", start=f.local(day.year, day.month, day.day, 7)
    )
    patel = f.person(email="rpatel@umich.edu", last_name="Patel", first_name="Raj")
    f.disclosure(patel, relationships=[("Helix Oncology", f.CONSULTANT)])
    f.assign(session, patel)
    return {"coordinator": coordinator, "office": office, "session": session, "patel": patel}


def sign_in(page, live_server, person) -> None:
    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def status_of(page, live_server, session) -> str:
    page.goto(f"{live_server.url}/dashboard/")
    return page.locator(f"#child-row-{session.pk} .col-status").inner_text()


def test_the_office_reviews_a_relationship_and_approves_the_session(page, live_server, office_week):
    page.set_default_timeout(TIMEOUT)
    session, patel = office_week["session"], office_week["patel"]
    served = ServedHtml(page)

    # The coordinator sees the session waiting for the office (and the page is now cached).
    sign_in(page, live_server, office_week["coordinator"])
    assert "IN REVIEW" in status_of(page, live_server, session)
    assert "IN REVIEW" in status_of(page, live_server, session)
    check_page(page, page_name="dashboard", served=served)

    # The reviewer finds Patel in the queue, soonest session first, and opens the review.
    sign_in(page, live_server, office_week["office"])
    page.goto(live_server.url + reverse("admin:activities_reviewqueueitem_changelist"))
    row = page.locator("#result_list tbody tr", has_text="Patel, Raj")
    assert "NEEDS REVIEW" in row.inner_text() and "Helix Oncology" in row.inner_text()
    check_page(page, page_name="COI review queue", served=served)
    row.get_by_role("link", name="Review").click()
    page.wait_for_url(re.compile(r"/reviewqueueitem/\d+/change/"))
    assert "Helix Oncology" in page.content()
    check_page(page, page_name="COI review page", served=served)

    # Relevant, mitigated by peer review: recorded, and the assignment waits for approval.
    page.get_by_label("Relevant").check()
    page.get_by_label("Peer review of content").check()
    page.get_by_label("Mitigated (awaiting approval)").check()
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(re.compile(r"/reviewqueueitem/$"))
    check_page(page, page_name="COI review queue after a decision", served=served)
    review = CoiReview.objects.get(assignment__person=patel)
    assert review.relevant and review.mitigation_steps == ["peer_review"]

    # The session approval screen approves the session and its PENDING faculty.
    page.goto(
        live_server.url + reverse("admin:activities_approvalqueueitem_change", args=[session.pk])
    )
    check_page(page, page_name="session approval page", served=served)
    page.get_by_role("button", name=re.compile(r"^Approve the session")).click()
    page.wait_for_load_state()
    assert ChildActivity.objects.get(pk=session.pk).status == ChildStatus.APPROVED

    # Back on the coordinator's dashboard: APPROVED on the next load, not the cached IN REVIEW.
    sign_in(page, live_server, office_week["coordinator"])
    cell = status_of(page, live_server, session)
    assert "APPROVED" in cell and "IN REVIEW" not in cell
    approval = page.locator(f"#child-row-{session.pk}").inner_text()
    assert "Approved by Reviewer, Rita" in approval
    check_page(page, page_name="dashboard after approval", served=served)
