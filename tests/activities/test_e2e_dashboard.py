"""The coordinator's week in a real browser (headless Chromium) against a live server.

Also takes the README screenshots (1366x768) as it goes: into docs/screenshots with
`make screenshots` (RSS_SCREENSHOTS=1), otherwise into a temporary folder so that a test run
leaves the work tree as it was.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ChildActivity, Comment, Specialty
from activities.rules import ChildStatus
from activities.services.children import child_approve
from tests import factories as f
from tests.browser_checks import ServedHtml, check_page
from tests.personas import make_coordinator, make_owner, make_reviewer
from tests.tools import require_tool, screenshots_dir

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = screenshots_dir()
TIMEOUT = 10_000


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def week(db):
    """A coordinator's series with a session named "TBD", one without faculty, one in review and
    one approved, and a speaker with an active disclosure; another series they must not see."""
    require_tool("chromium")
    coordinator = make_coordinator()
    owner = make_owner()
    office = make_reviewer()
    series = f.parent(name="Medicine Grand Rounds", coordinators=[coordinator], owners=[owner])
    today = timezone.localdate()

    def noon(days: int):
        day = today + timedelta(days=days)
        return f.local(day.year, day.month, day.day, 12)

    approved = f.child(series, name="Heart failure with preserved ejection fraction", start=noon(6))
    lee = f.person(email="alee@umich.edu", last_name="Lee", first_name="Ana", credentials="MD")
    f.disclosure(lee)
    f.assign(approved, lee)
    child_approve(approved, reviewer=office)
    tbd = f.child(series, name="TBD", start=noon(9))
    Comment.objects.create(
        child=tbd, author=office, from_office=True, body="Please change the name to the topic."
    )
    sepsis = f.child(series, name="Sepsis bundles in the first hour", start=noon(12))
    reviewing = f.child(series, name="Immunotherapy toxicities", start=noon(16))
    patel = f.person(email="rpatel@umich.edu", last_name="Patel", first_name="Raj")
    f.disclosure(patel, relationships=[("Helix Oncology", f.CONSULTANT)])
    f.assign(reviewing, patel)
    kim = f.person(email="lkim@umich.edu", last_name="Kim", first_name="Lee", credentials="MD")
    f.disclosure(kim)
    f.assign(reviewing, kim)  # a typical row: two faculty
    speaker = f.person(email="jsmith@umich.edu", last_name="Smith", first_name="Jane")
    f.disclosure(speaker)
    other = f.parent(name="Surgery Tumor Board", coordinators=[f.person(last_name="Other")])
    f.child(other, name="Whipple outcomes", start=noon(10))
    audience = [Specialty.objects.create(name=n) for n in ("Cardiology", "Hospital Medicine")]
    Specialty.objects.create(name="Oncology")
    for c in (approved, tbd, sepsis, reviewing):
        c.specialties.set(audience)
        c.professions = ["physician", "nurse"]
        c.save(update_fields=["professions"])
    return {"coordinator": coordinator, "tbd": tbd, "sepsis": sepsis}


def shoot(page, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(350)  # let the window's fade-in finish
    page.evaluate("document.querySelectorAll('.toast').forEach((t) => t.remove())")
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def sign_in_with_cookie(page, live_server, person) -> None:
    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_a_coordinator_signs_in_searches_assigns_faculty_renames_and_deactivates(
    page, live_server, week
):
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)
    tbd, sepsis = week["tbd"], week["sepsis"]
    served = ServedHtml(page)
    page.goto(f"{live_server.url}/accounts/login/")
    check_page(page, page_name="sign-in", served=served)
    page.get_by_label("Email").fill("cora@umich.edu")
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    check_page(page, page_name="dashboard", served=served)

    # Search: only this coordinator's sessions, filtered by text; then back to the default range.
    rows = page.locator("tr.child-row")
    assert rows.count() == 4
    assert page.get_by_text("Whipple outcomes").count() == 0
    page.get_by_label("Text").fill("sepsis")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=sepsis"))
    assert rows.count() == 1
    check_page(page, page_name="dashboard, searched", served=served)
    page.get_by_role("link", name="Clear").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert rows.count() == 4
    shoot(page, "dashboard.png", full_page=True)  # the search and every row

    # Compact rows (issue 14): at least 4 typical rows fit a 1366x768 screen, and the series'
    # own actions appear once, above the table, not on every row.
    heights = page.evaluate(
        "() => [...document.querySelectorAll('tr.child-row')]"
        ".map((r) => r.getBoundingClientRect().height)"
    )
    assert max(heights) <= 768 / 4, heights
    widths = page.evaluate(
        "() => [document.querySelector('#dashboard-table').scrollWidth,"
        " document.querySelector('.table-responsive').clientWidth]"
    )
    assert widths[0] <= widths[1], f"the table scrolls sideways: {widths}"
    series_id = tbd.parent_id
    assert page.locator(f"#series-calendar-{series_id}").count() == 1
    assert page.locator(f"#series-recurrence-{series_id}").count() == 1
    assert page.locator("tr.child-row", has_text="Recurrence").count() == 0
    assert page.locator("tr.child-row a", has_text="Late claims").count() == 0

    # Manage Faculty: search as you type, Request Disclosure? pre-set, add, the row updates.
    row = page.locator(f"#child-row-{sepsis.pk}")
    assert "INCOMPLETE" in row.locator(".col-status").inner_text()
    page.locator(f"#faculty-{sepsis.pk}").click()
    window = page.locator("#window")
    window.wait_for(state="visible")
    page.locator("#faculty-search").press_sequentially("Smi", delay=30)
    page.get_by_role("button", name="Smith, Jane").click()
    add = page.locator("#add-faculty")
    add.wait_for()
    assert not page.get_by_label("Request Disclosure?").is_checked()  # active disclosure
    shoot(page, "manage-faculty.png")
    check_page(page, page_name="Manage Faculty", served=served)
    add.click()
    page.locator("#faculty-added").wait_for()
    expect(row.locator(".col-coi")).to_contain_text("PENDING")
    assert "PENDING" in row.locator(".col-status").inner_text()
    assert "Smith, Jane" in row.locator(".col-faculty").inner_text()
    page.keyboard.press("Escape")
    window.wait_for(state="detached")
    expect(page.locator(f"#faculty-{sepsis.pk}")).to_be_focused()  # focus back to the opener

    # Edit the name: the "Name needs update" flag clears in place.
    tbd_row = page.locator(f"#child-row-{tbd.pk}")
    assert "Name needs update" in tbd_row.inner_text()
    page.locator(f"#name-{tbd.pk}").click()
    window.wait_for(state="visible")
    shoot(page, "editor.png")
    check_page(page, page_name="RSS Activity Editor", served=served)
    page.get_by_label("Name", exact=True).fill("Antibiotic stewardship after surgery")
    page.get_by_role("button", name="Save & Close").click()
    window.wait_for(state="detached")
    expect(tbd_row).not_to_contain_text("Name needs update")
    assert "Antibiotic stewardship after surgery" in tbd_row.inner_text()

    # Deactivate with confirmation: the window says what happens to learners' credit.
    page.locator(f"#deactivate-{sepsis.pk}").click()
    window.wait_for(state="visible")
    expect(page.locator("#deactivate-claims")).to_contain_text("No learner has claimed")
    check_page(page, page_name="deactivation window", served=served)
    page.locator("#deactivate-confirm").click()
    window.wait_for(state="detached")
    expect(row).to_contain_text("DEACTIVATED")
    sepsis.refresh_from_db()
    tbd.refresh_from_db()
    assert not sepsis.is_active and sepsis.status == ChildStatus.PENDING
    assert tbd.name == "Antibiotic stewardship after surgery" and not tbd.name_needs_update
    check_page(page, page_name="dashboard after the changes", served=served)


def test_a_coordinator_drags_a_session_to_another_day_and_undoes_it(page, live_server, week):
    page.set_default_timeout(TIMEOUT)
    sepsis = week["sepsis"]
    sign_in_with_cookie(page, live_server, week["coordinator"])
    served = ServedHtml(page)
    page.goto(f"{live_server.url}/dashboard/")
    page.locator(f"#move-{sepsis.pk}").click()
    item = page.locator(f"#cal-item-{sepsis.pk}")
    item.wait_for()
    check_page(page, page_name="calendar", served=served)
    start = sepsis.local_start
    step = 1 if start.day < 25 else -1  # stay in the month shown
    target = (start + timedelta(days=step)).date()
    item.drag_to(page.locator(f'td[data-drop-date="{target.isoformat()}"]'))
    page.locator("#calendar-message").wait_for()
    moved = ChildActivity.objects.get(pk=sepsis.pk)
    assert moved.local_start.date() == target
    assert moved.local_start.time() == start.time()
    assert page.locator(f'td[data-drop-date="{target.isoformat()}"] #cal-item-{sepsis.pk}').count()
    page.get_by_role("button", name="Undo").click()
    page.locator("#calendar-message", has_text="Undone").wait_for()
    assert ChildActivity.objects.get(pk=sepsis.pk).local_start.date() == start.date()
    check_page(page, page_name="calendar after undo", served=served)


def test_adding_a_session_keeps_what_was_typed_when_the_series_changes(page, live_server, week):
    """Issue 14: picking the series reset the date and cleared the name."""
    page.set_default_timeout(TIMEOUT)
    coordinator = week["coordinator"]
    f.parent(name="Medicine Case Conference", coordinators=[coordinator])
    sign_in_with_cookie(page, live_server, coordinator)
    served = ServedHtml(page)
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#add-session").click()
    window = page.locator("#window")
    window.wait_for(state="visible")
    day = (timezone.localdate() + timedelta(days=12)).isoformat()
    window.locator("#add_name").fill("Antibiotic de-escalation")
    window.locator("#add_date").fill(day)
    other = coordinator.parent_roles.get(parent__name="Medicine Case Conference").parent_id
    window.locator("#add_series").select_option(value=str(other))
    expect(window.locator("#add_series")).to_have_value(
        str(coordinator.parent_roles.get(parent__name="Medicine Case Conference").parent_id)
    )
    page.wait_for_load_state("networkidle")
    expect(window.locator("#add_name")).to_have_value("Antibiotic de-escalation")
    expect(window.locator("#add_date")).to_have_value(day)
    check_page(page, page_name="add a session, series chosen", served=served)
