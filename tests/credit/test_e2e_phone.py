"""Issue 14 item 10, on a phone (390 px wide, in Chromium): the transcript shows its State column
whole, with an icon that draws without an emoji font; the disclosure form's relationships are
full-width fields, not a cramped table; the SMS number reads in one national format."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from credit.models import Claim, ClaimChannel
from tests import factories as f
from tests.browser_checks import ServedHtml, check_page
from tests.personas import make_learner
from tests.tools import require_tool

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture
def learner(db):
    require_tool("chromium")
    person = make_learner()
    series = f.parent(name="Internal Medicine Grand Rounds with a long series name")
    for days, awarded in ((20, True), (2, False)):
        child = f.child(
            series,
            name="Antimicrobial stewardship in the intensive care unit",
            start=timezone.now() - timedelta(days=days),
        )
        Claim.objects.create(
            learner=person,
            child=child,
            channel=ClaimChannel.SMS,
            credit_hours=Decimal("1.00"),
            awarded_at=timezone.now() if awarded else None,
        )
    return person


def sign_in(page, live_server, person):
    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def fits(page) -> tuple[int, int]:
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def test_the_transcript_and_the_disclosure_form_fit_a_phone(page, live_server, learner):
    sign_in(page, live_server, learner)
    served = ServedHtml(page)
    page.goto(live_server.url + reverse("transcript"))
    check_page(page, page_name="transcript on a phone", served=served)
    width, visible = fits(page)
    assert width <= visible, f"the transcript scrolls sideways: {width} > {visible}"
    for cell in page.locator("td.claim-state").all():
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"], box
        assert cell.locator("svg.icon").count() == 1  # no emoji that may draw as a box
    assert "\u23f3" not in page.content() and "\u2713" not in page.locator("main").inner_text()

    page.goto(live_server.url + reverse("disclosure_form"))
    check_page(page, page_name="disclosure form on a phone", served=served)
    width, visible = fits(page)
    assert width <= visible, f"the disclosure form scrolls sideways: {width} > {visible}"
    company = page.get_by_label("Company, row 1")
    nature = page.get_by_label("Nature, row 1")
    assert company.bounding_box()["width"] >= 300 and nature.bounding_box()["width"] >= 300


def test_the_claim_page_writes_the_sms_number_nationally(page, live_server, learner):
    open_now = f.child(f.parent(name="Surgery Grand Rounds"), start=timezone.now())
    page.goto(live_server.url + reverse("claim", args=[open_now.pk]))
    text = page.locator("main").inner_text()
    assert "(734) 555-0000" in text and "+17345550000" not in text
