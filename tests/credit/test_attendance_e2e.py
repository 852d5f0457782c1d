"""Attendance in a real browser (headless Chromium) against a live server: the check-in kiosk
through a network loss (check-ins made while offline are kept on the tablet and sent when the
network is back, each once, even when an answer is lost on the way), and a Zoom report imported,
confirmed and undone. The Nu Html Checker and axe-core run on every page visited."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from credit.models import Claim, ClaimChannel
from credit.models_attendance import KioskCheckIn
from credit.services_kiosk import check_in_code
from tests import factories as f
from tests.browser_checks import ServedHtml, check_page
from tests.personas import make_coordinator
from tests.tools import require_tool

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TIMEOUT = 15_000
THANKS = "Thank you: you are checked in."


def sign_in(page, live_server, person):
    client = Client()
    client.force_login(person)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def room(db):
    require_tool("chromium")
    coordinator = make_coordinator()
    series = f.parent(
        name="Medicine Grand Rounds", year=timezone.localdate().year, coordinators=[coordinator]
    )
    # Doors open: the session starts in ten minutes.
    child = f.child(series, start=timezone.now() + timedelta(minutes=10), name="Sepsis bundles")
    people = [
        f.person(email=f"learner{i}@umich.edu", last_name=f"Learner{i}") for i in (1, 2, 3, 4)
    ]
    return coordinator, child, people


def test_the_kiosk_queues_check_ins_through_a_network_loss_and_sends_each_once(
    page, live_server, room
):
    coordinator, child, (first, second, third, fourth) = room
    served = ServedHtml(page)
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/children/{child.pk}/attendance/")
    expect(page.get_by_role("heading", name="Check-in kiosk")).to_be_visible()
    check_page(page, page_name="session attendance", served=served)

    page.get_by_role("button", name="Open a kiosk").click()
    link = page.get_by_role("textbox", name="Kiosk link")
    expect(link).to_be_visible()
    check_page(page, page_name="kiosk opened", served=served)
    path = link.input_value().split("://", 1)[1].split("/", 1)[1]

    # The tablet: nobody is signed in on it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/{path}")
    field = page.get_by_label("Your email address, or scan your check-in code")
    status = page.locator("#kiosk-status")
    form = page.locator("#kiosk-form")
    check_page(page, page_name="kiosk", served=served)

    field.fill("learner1@umich.edu")
    field.press("Enter")
    expect(status).to_have_text(THANKS, timeout=TIMEOUT)

    # The network goes away: check-ins are kept on the tablet.
    page.context.set_offline(True)
    field.fill("learner2@umich.edu")
    field.press("Enter")
    expect(status).to_contain_text("Saved on this tablet", timeout=TIMEOUT)
    field.fill("walk.in@gmail.com")
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#kiosk-queue")).to_contain_text("2 check-ins are saved on this tablet")
    expect(form).to_have_attribute("data-waiting", "2")
    check_page(page, page_name="kiosk, offline with two check-ins waiting")
    assert KioskCheckIn.objects.count() == 1

    # It comes back: the queue is sent.
    page.context.set_offline(False)
    expect(form).to_have_attribute("data-waiting", "0", timeout=TIMEOUT)
    expect(page.locator("#kiosk-queue")).to_be_hidden()
    assert Claim.objects.filter(learner=second, channel=ClaimChannel.KIOSK).count() == 1
    assert KioskCheckIn.objects.get(typed="walk.in@gmail.com").outcome == "unmatched"

    # An answer lost on the way: the server recorded the check-in, the tablet never heard; it
    # sends it again with the same key and the server answers what it did the first time.
    lost = {"n": 0}

    def lose_the_first_answer(route):
        lost["n"] += 1
        if lost["n"] == 1:
            route.fetch()  # reaches the server
            route.abort()  # the tablet sees a network error
        else:
            route.continue_()

    page.route("**/check-in/", lose_the_first_answer)
    field.fill("learner3@umich.edu")
    field.press("Enter")
    expect(status).to_have_text(THANKS, timeout=TIMEOUT)
    expect(form).to_have_attribute("data-waiting", "0", timeout=TIMEOUT)
    assert lost["n"] == 2
    assert KioskCheckIn.objects.filter(person=third).count() == 1
    assert Claim.objects.filter(learner=third).count() == 1
    assert Claim.objects.filter(learner=first).count() == 1
    assert (
        page.evaluate(
            "() => Object.keys(localStorage).filter((k) => localStorage.getItem(k) !== '[]').length"
        )
        == 0
    )
    check_page(page, page_name="kiosk after the network loss")

    # A learner shows their check-in code (their phone); a scanner types what it reads.
    kiosk_page = page.url
    sign_in(page, live_server, fourth)
    page.goto(f"{live_server.url}/transcript/check-in-code/")
    expect(page.get_by_role("img", name="Your check-in QR code")).to_be_visible()
    check_page(page, page_name="my check-in code", served=served)
    page.context.clear_cookies()
    page.goto(kiosk_page)
    field.fill(check_in_code(fourth))
    field.press("Enter")
    expect(status).to_have_text(THANKS, timeout=TIMEOUT)
    assert Claim.objects.filter(learner=fourth, channel=ClaimChannel.KIOSK).count() == 1

    # The coordinator sees the walk-in waiting to be confirmed.
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/children/{child.pk}/attendance/")
    expect(page.locator("#check-ins")).to_contain_text("walk.in@gmail.com")
    check_page(page, page_name="session attendance with check-ins", served=served)


def test_a_coordinator_imports_a_zoom_report_confirms_a_guest_and_undoes_it(
    page, live_server, room, tmp_path
):
    """The import's pages in the browser, each checked by the Nu Html Checker and axe-core."""
    from credit.models_attendance import AttendanceImport
    from tests.credit.attendance_files import zoom_csv

    coordinator, live_child, (first, second, _third, _fourth) = room
    start = (timezone.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    child = f.child(live_child.parent, start=start, name="Heart failure update")
    zone = child.zone
    minutes = [(0, 20), (18, 55), (0, 50), (5, 59), (0, 20)]
    people = [
        ("Pat Learner1", first.email),
        ("Pat Learner1", first.email),
        ("Pat Learner2", second.email),
        ("Guest Visitor", ""),
        ("Sam Short", "short@gmail.com"),
    ]
    rows = [
        (
            name,
            email,
            (start + timedelta(minutes=a)).astimezone(zone),
            (start + timedelta(minutes=b)).astimezone(zone),
        )
        for (name, email), (a, b) in zip(people, minutes, strict=True)
    ]
    report = tmp_path / "participants_81234567890.csv"
    report.write_bytes(zoom_csv(rows))

    served = ServedHtml(page)
    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/children/{child.pk}/attendance/")
    page.get_by_label("Participant report (CSV)").set_input_files(str(report))
    page.locator("form:has(#report-file)").get_by_role("button", name="Preview").click()
    expect(
        page.get_by_role("heading", name="Preview: participants_81234567890.csv")
    ).to_be_visible()
    expect(page.locator('[data-count="to_claim"]')).to_have_text("2")
    check_page(page, page_name="import preview", served=served)
    assert not AttendanceImport.objects.exists()

    page.get_by_role("button", name="Import: create 2 claims").click()
    expect(page.get_by_text("2 claim(s) created")).to_be_visible()
    check_page(page, page_name="import details", served=served)

    guest = page.locator("tr", has_text="Guest Visitor")
    guest.get_by_text("Or add a new person").click()
    guest.get_by_label("Last name").fill("Visitor")
    guest.get_by_label("First name").fill("Guest")
    guest.get_by_label("Email", exact=True).fill("guest.visitor@umich.edu")
    guest.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Visitor, Guest: claim created.")).to_be_visible()
    check_page(page, page_name="import details after a confirmation", served=served)

    page.get_by_role("button", name="Undo this import").click()
    expect(page.get_by_text("3 claim(s) voided")).to_be_visible()
    check_page(page, page_name="import details after undo", served=served)
    assert Claim.objects.filter(child=child, voided_at__isnull=True).count() == 0
    assert Claim.objects.filter(child=child).count() == 3
