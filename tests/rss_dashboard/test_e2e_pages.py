"""Every page a person sees, in a real browser: valid HTML (the Nu Html Checker, on what the server
sent and on what the browser shows) and no serious or critical axe-core violation.

The dashboard's own week, the flyer and the office's review are walked in their app's browser
tests, which run the same checks at each step; this tour covers the other pages, as each kind of
person reaches them (windows both as pages of their own and opened on the dashboard)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from activities.services.children import child_approve
from credit.services import claim_credit
from disclosures.links import disclosure_token
from tests import factories as f
from tests.browser_checks import ServedHtml, check_page
from tests.personas import make_coordinator, make_learner, make_reviewer
from tests.tools import require_tool

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TIMEOUT = 10_000


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def site(db):
    require_tool("chromium")
    coordinator = make_coordinator()
    office = make_reviewer()
    learner = make_learner()
    speaker = f.person(email="jsmith@umich.edu", last_name="Smith", first_name="Jane")
    planner = f.person(email="pat@umich.edu", last_name="Planner", first_name="Pat")
    f.disclosure(planner)
    missing = f.person(email="nora@umich.edu", last_name="Nodisc", first_name="Nora")
    series = f.parent(
        name="Medicine Grand Rounds", coordinators=[coordinator], planners=[planner, missing]
    )
    now = timezone.now()
    # Held an hour ago (its window is open), approved, claimed by the learner.
    held = f.child(series, name="Heart failure with preserved ejection fraction", start=now)
    f.disclosure(speaker)
    assignment = f.assign(held, speaker)
    child_approve(held, reviewer=office, confirm_planners_reason="Nora is asked again")
    claim_credit(learner=learner, child_id=held.pk, channel="web")
    upcoming = f.child(series, name="Sepsis bundles", start=now + timedelta(days=9))
    f.assign(upcoming, speaker)
    return {
        "coordinator": coordinator,
        "learner": learner,
        "speaker": speaker,
        "series": series,
        "held": held,
        "upcoming": upcoming,
        "assignment": assignment,
        "missing": missing,
    }


def sign_in(page, live_server, person) -> None:
    page.context.clear_cookies()
    if person is None:
        return
    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def visit(page, live_server, served, path: str, name: str, status: int = 200) -> None:
    response = page.goto(live_server.url + path)
    assert response.status == status, f"{name}: {path} answered {response.status}"
    check_page(page, page_name=name, served=served)


def test_every_page_a_person_sees_is_valid_html_and_passes_axe(page, live_server, site):
    page.set_default_timeout(TIMEOUT)
    served = ServedHtml(page)
    held, upcoming, series = site["held"], site["upcoming"], site["series"]

    # Anyone: sign in, register, password reset, the upcoming sessions, a claim page, a bad link.
    sign_in(page, live_server, None)
    for path, name in (
        (reverse("login"), "sign-in"),
        (reverse("login") + "?next=/disclosure/", "sign-in for the disclosure form"),
        (reverse("email_link") + "?next=/disclosure/", "email me a link"),
        (reverse("help"), "help"),
        (reverse("help_contact"), "contact the office"),
        (reverse("register"), "registration"),
        (reverse("password_reset"), "password reset"),
        (reverse("portal"), "upcoming sessions"),
        (reverse("claim", args=[held.pk]), "claim page, signed out"),
    ):
        visit(page, live_server, served, path, name)
    visit(page, live_server, served, "/disclosure/?t=broken", "disclosure link problem", 400)
    visit(page, live_server, served, "/no-such-page/", "not found", 404)

    # A faculty member through the personal link: the disclosure form.
    token = disclosure_token(site["speaker"])
    visit(page, live_server, served, f"/disclosure/?t={token}", "disclosure form (link)")
    upload = reverse("presentation_upload", args=[site["assignment"].presentation_token])
    visit(page, live_server, served, upload, "presentation upload (link)")

    # A learner: the claim they made, the transcript and its printable page, their disclosure.
    sign_in(page, live_server, site["learner"])
    for path, name in (
        (reverse("claim", args=[held.pk]), "claim page, claimed"),
        (reverse("transcript"), "transcript"),
        (reverse("transcript_print"), "transcript, printable"),
        (reverse("disclosure_form"), "disclosure form (signed in)"),
    ):
        visit(page, live_server, served, path, name)

    # A coordinator: the windows as pages of their own, the reports, a person page.
    sign_in(page, live_server, site["coordinator"])
    for path, name in (
        (reverse("child_new") + f"?series={series.pk}", "add a session"),
        (reverse("child_comments", args=[upcoming.pk]), "comments"),
        (reverse("child_email_team", args=[upcoming.pk]), "email all"),
        (reverse("parent_recurrence", args=[series.pk]), "recurrence"),
        (reverse("parent_calendar", args=[series.pk]), "calendar"),
        (reverse("manage_faculty", args=[upcoming.pk]), "Manage Faculty"),
        (reverse("presentation_form", args=[site["assignment"].pk]), "presentation"),
        (reverse("parent_reports", args=[series.pk]), "series reports"),
        (reverse("late_claims", args=[series.pk]), "late claims"),
        (reverse("person_detail", args=[site["speaker"].pk]), "person page"),
        (reverse("flyer_preview", args=[held.pk]), "flyer, approved"),
    ):
        visit(page, live_server, served, path, name)

    # The same windows opened on the dashboard.
    visit(page, live_server, served, reverse("dashboard"), "dashboard")
    for opener, name in (
        ("#add-session", "add a session (window)"),
        (f"#comments-{upcoming.pk}", "comments (window)"),
        (f"#email-team-{upcoming.pk}", "email all (window)"),
        (f"#series-recurrence-{series.pk}", "recurrence (window)"),
    ):
        page.locator(opener).click()
        page.locator("#window").wait_for(state="visible")
        check_page(page, page_name=name, served=served)
        page.keyboard.press("Escape")
        page.locator("#window").wait_for(state="detached")

    # A planner without a disclosure: request it from the row, which is re-rendered in place.
    page.locator(f"#request-{upcoming.pk}-{site['missing'].pk}").click()
    row = page.locator(f"#child-row-{upcoming.pk}")
    row.locator(".planner-line", has_text="Disclosure requested").wait_for()
    check_page(page, page_name="dashboard after a disclosure request", served=served)
