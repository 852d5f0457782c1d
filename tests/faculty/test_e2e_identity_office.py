"""The office's identity screens in a real browser: the likely-duplicates queue with both records
side by side, the merge history and its undo; and the sign-in page with the institution first.

Takes the screenshots as it goes: into docs/screenshots with RSS_SCREENSHOTS=1 (`make
screenshots`), otherwise into a temporary folder."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from faculty.models import LikelyDuplicate, Person, PersonMerge
from faculty.services_duplicates import person_admit
from faculty.services_merge import person_merge
from tests import factories as f
from tests.browser_checks import ServedHtml, check_page
from tests.personas import make_admin
from tests.tools import require_tool, screenshots_dir

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = screenshots_dir()
TIMEOUT = 10_000


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def sign_in_with_cookie(page, live_server, person) -> None:
    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_office_decides_a_likely_duplicate_and_undoes_a_merge(page, live_server, settings):
    require_tool("chromium")
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)
    served = ServedHtml(page)

    # The sign-in page of an institution that signs its staff in with SAML.
    settings.SAML_ENABLED, settings.SSO_INSTITUTION_NAME = True, "Michigan Medicine"
    page.goto(f"{live_server.url}/accounts/login/")
    check_page(page, page_name="sign-in page with the institution first", served=served)
    shoot(page, "sign-in-institution.png")

    jane = f.person(
        email="jdoe@umich.edu",
        last_name="Doe",
        first_name="Jane",
        credentials="MD",
        affiliation="Cardiology",
    )
    f.disclosure(jane)
    person_admit(
        source="register",
        email="jdoe@gmail.com",
        last_name="Doe",
        first_name="Jane",
        credentials="MD",
        password="a-long-unusual-passphrase-42",
    )
    f.person(email="rpatel@umich.edu", last_name="Patel", first_name="Raj")
    person_admit(
        source="manage_faculty", email="rpatel@mayo.edu", last_name="Patel", first_name="Raj"
    )
    admin = make_admin()
    sign_in_with_cookie(page, live_server, admin)

    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_text("New accounts held as likely duplicates")).to_be_visible()
    page.get_by_role(
        "link", name=re.compile("New accounts held as likely duplicates")
    ).first.click()
    expect(page.locator("#result_list")).to_contain_text("jdoe@gmail.com")
    check_page(page, page_name="likely duplicates queue", served=served)
    shoot(page, "duplicates-queue.png")

    hold = LikelyDuplicate.objects.get(email="jdoe@gmail.com")
    page.goto(f"{live_server.url}/admin/faculty/likelyduplicate/{hold.pk}/change/")
    expect(page.locator("#side-by-side")).to_contain_text("jdoe@umich.edu")
    check_page(page, page_name="likely duplicate side by side", served=served)
    shoot(page, "duplicate-side-by-side.png")
    page.locator("#decide-same").click()
    expect(page.locator(".messagelist")).to_contain_text("same person")
    check_page(page, page_name="likely duplicates queue after a decision", served=served)
    assert not Person.objects.filter(email="jdoe@gmail.com").exists()

    # A merge, then its undo from the merge history.
    dup = f.person(email="jane.doe@med.umich.edu", last_name="Doe", first_name="Jane")
    f.disclosure(dup)
    merge_id = person_merge(keep=jane, duplicate=dup, by=admin).merge_id
    page.goto(f"{live_server.url}/admin/faculty/personmerge/")
    check_page(page, page_name="merge history", served=served)
    page.goto(f"{live_server.url}/admin/faculty/personmerge/{merge_id}/change/")
    expect(page.locator("#merge-moved")).to_contain_text("disclosures")
    check_page(page, page_name="a merge and its undo", served=served)
    shoot(page, "merge-undo.png")
    page.locator("#undo-merge").click()
    expect(page.locator("#undone")).to_be_visible()
    check_page(page, page_name="a merge undone", served=served)
    assert PersonMerge.objects.get(pk=merge_id).undone_at is not None
    assert Person.objects.get(pk=dup.pk).is_active
