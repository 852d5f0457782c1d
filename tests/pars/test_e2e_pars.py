"""A series going from "not ready" to exported, in a real browser (headless Chromium).

The office opens last year's grand rounds (its sessions over, learners' claims in), sees what
PARS still lacks, fills it in, locks it, finds it ready on the year's table, downloads the
activity file and checks the learners' pre-validation. Takes the screenshots of docs/pars.md as
it goes: into docs/screenshots with RSS_SCREENSHOTS=1 (`make screenshots`), otherwise into a
temporary folder so a test run leaves the work tree as it was.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from credit.pars.codes import Board
from credit.pars.models import CompletionExport, SeriesReport
from faculty.models import Profession
from tests import factories as f
from tests.pars.conftest import attend, board_id, complete, identity, people, register_moc, sessions
from tests.personas import make_coordinator, make_reviewer
from tests.tools import require_tool, screenshots_dir

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = screenshots_dir()
TIMEOUT = 10_000


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1366, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture
def last_year(db):
    require_tool("chromium")
    year = timezone.localdate().year - 1
    office = make_reviewer()
    coordinator = make_coordinator()
    rounds = f.parent(name="Medicine Grand Rounds", year=year, coordinators=[coordinator])
    first = f.local(year, 1, 1, 12)
    while first.weekday() != 3:
        first = first.replace(day=first.day + 1)
    weekly = sessions(rounds, 12, start=first)
    doctors = people(20, Profession.PHYSICIAN, "doc")
    attend(doctors, weekly)
    attend(people(6, Profession.NURSE, "rn"), weekly[:6])
    SeriesReport.objects.create(parent=rounds, delivery=["In-Person"], city="Ann Arbor", state="MI")
    tumor = f.parent(name="Surgery Tumor Board", year=year, department=f.department("Surgery"))
    sessions(tumor, 4, start=first)
    complete(tumor, description="")
    cases = f.parent(
        name="Pediatrics Case Conference", year=year, department=f.department("Pediatrics")
    )
    sessions(cases, 4, start=first)
    report = complete(cases, accme_activity_id="202500123")
    register_moc(report, Board.ABIM, points="4")
    attend(doctors[:3], sessions(cases, 2, start=first.replace(month=3)))
    for i, doc in enumerate(doctors[:3]):
        identity(doc, consent=i != 1)
        board_id(doc, Board.ABIM, f"12345{i}", consent=i != 2)
    return {"year": year, "office": office, "rounds": rounds}


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def sign_in(page, live_server, person) -> None:
    client = Client()
    client.force_login(person)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_a_series_goes_from_not_ready_to_exported(page, live_server, last_year):
    page.set_default_timeout(TIMEOUT)
    expect.set_options(timeout=TIMEOUT)
    year = last_year["year"]
    sign_in(page, live_server, last_year["office"])

    # The year: one table, what each series lacks.
    page.goto(f"{live_server.url}/office/pars/{year}/")
    expect(page.locator("#year-summary")).to_contain_text("1 of 3 series ready to close")
    shoot(page, "pars-year-not-ready.png")

    # The series: not ready, and why, in plain words; counts from the claims.
    page.get_by_role("link", name="Medicine Grand Rounds").click()
    status = page.locator("#pars-status")
    expect(status).to_have_attribute("data-ready", "no")
    expect(status).to_contain_text("Description is missing.")
    expect(page.locator('[data-figure="physicians"]')).to_have_text("240")  # 20 x 12
    shoot(page, "pars-series-not-ready.png")

    # Fill in what PARS needs and save; then only the office's lock is left.
    page.get_by_label("Description").fill(
        "Weekly grand rounds on current evidence in internal medicine."
    )
    page.get_by_label("Directly provided").check()
    page.locator("#id_pars-designed_0").check()
    page.locator("#id_pars-evaluated_0").check()
    page.locator("#id_pars-commercial_support_2").check()  # No
    page.locator("#id_pars-cme_finder_2").check()  # No
    page.get_by_role("button", name="Save PARS fields").click()
    expect(status).to_contain_text("The office has not checked and locked the PARS fields yet.")
    assert status.locator("li").count() == 1

    page.get_by_role("button", name="Lock (checked by the office)").click()
    expect(status).to_have_attribute("data-ready", "yes")
    expect(page.locator("#pars-lock")).to_contain_text("Locked by the office")
    shoot(page, "pars-series-ready.png")

    # Back on the year: ready; the activity file for the ready series downloads.
    page.goto(f"{live_server.url}/office/pars/{year}/?ready=ready")
    expect(page.locator("#year-summary")).to_contain_text("2 of 3 series ready to close")
    shoot(page, "pars-year-ready.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ready series only (Excel)").click()
    data = Path(download.value.path()).read_bytes()
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    names = sorted(r[4] for r in rows[1:])
    assert names == ["Medicine Grand Rounds", "Pediatrics Case Conference"]
    row = next(r for r in rows[1:] if r[4] == "Medicine Grand Rounds")
    assert row[11] == "RSS" and row[14] == 240

    # Learner completions of the MOC series: what is ready, and what is held back and why.
    page.goto(f"{live_server.url}/office/pars/{year}/learners/")
    expect(page.locator("#prevalidation")).to_contain_text(
        "No permission from the learner to share"
    )
    shoot(page, "pars-learners.png")
    page.get_by_role("button", name="Make the learner file").click()
    files = page.locator("#learner-files")
    expect(files).to_contain_text("Reviewer, Rita")
    # The file's number is its id: other tests on this database may have taken the first ones.
    made = CompletionExport.objects.get(year=year)
    expect(files).to_contain_text(f"#{made.pk}")
    assert made.records.filter(action="add").count() == 4  # the table's "Add" column
