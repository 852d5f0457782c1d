"""In a real browser (issue 17): a learner scans the session's QR code, signs in, claims, answers
the evaluation the series requires, downloads the certificate, and the certificate's QR code opens
the public verification page. Every page passes the Nu Html Checker and axe-core."""

import subprocess

import pytest
from django.utils import timezone

from activities.services.children import child_approve
from credit.certificate_pdf import verify_url
from credit.models import Certificate, Claim
from tests import factories as f
from tests.browser_checks import ServedHtml, check_page
from tests.credit.evaluation_helpers import evaluation
from tests.personas import make_coordinator, make_learner, make_reviewer
from tests.tools import require_tool

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TIMEOUT = 15_000


def decode_qr(png_path) -> str:
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(png_path))
    assert len(found) == 1, found
    return found[0].text


def test_from_the_qr_code_to_a_verified_certificate(page, live_server, settings, tmp_path):
    require_tool("chromium")
    require_tool("pdftoppm")
    from flyers.qr import qr_claim_url, qr_png

    settings.SITE_URL = live_server.url
    office = make_reviewer()
    coordinator = make_coordinator()
    learner = make_learner()
    series = f.parent(name="Medicine Grand Rounds", coordinators=[coordinator])
    child = f.child(
        series, name="Heart failure with preserved ejection fraction", start=timezone.now()
    )
    speaker = f.person(last_name="Smith")
    f.disclosure(speaker)
    f.assign(child, speaker)
    child_approve(child, reviewer=office)
    evaluation(series, coordinator)

    page.set_default_timeout(TIMEOUT)
    served = ServedHtml(page)
    # The QR code on the flyer: a phone camera reads the claim page's address.
    (tmp_path / "qr.png").write_bytes(qr_png(qr_claim_url(child.pk)))
    page.goto(decode_qr(tmp_path / "qr.png"))
    check_page(page, page_name="claim page from the QR code", served=served)

    page.locator("#main").get_by_role("link", name="Sign in").click()
    page.locator("input[name=username]").fill("learner@umich.edu")
    page.locator("input[name=password]").fill(f.PASSWORD)
    check_page(page, page_name="sign-in from the claim page", served=served)
    page.locator("#main form button[type=submit]").click()
    page.get_by_role("button", name="Claim my credit").wait_for()
    check_page(page, page_name="claim page, signed in", served=served)

    page.get_by_role("button", name="Claim my credit").click()
    page.get_by_text("Credit is awarded after your evaluation below").wait_for()
    check_page(page, page_name="claim result with the evaluation inline", served=served)
    claim = Claim.objects.get(learner=learner, child=child)
    assert claim.channel == "qr" and claim.awarded_at is None

    page.locator("label[for$='-5']").first.click()
    page.locator("label[for$='-4']").nth(1).click()
    page.locator("textarea").fill("Start diuretics earlier")
    page.get_by_role("button", name="Send my evaluation").click()
    page.get_by_text("Your credit is awarded").wait_for()
    check_page(page, page_name="claim result, evaluated", served=served)
    claim.refresh_from_db()
    assert claim.awarded_at is not None

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my certificate (PDF)").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "cert")],
        check=True,
        timeout=60,
    )
    code = Certificate.objects.get(claim=claim).code
    address = decode_qr(tmp_path / "cert.png")
    assert address == verify_url(code)

    # Anyone who scans it: the public page, signed out.
    page.context.clear_cookies()
    page.goto(address)
    assert page.locator("[data-verified=valid]").is_visible()
    assert page.locator("[data-field=learner]").inner_text() == "Lee Learner"
    check_page(page, page_name="certificate verification", served=served)

    # The transcript and the page of the evaluation link, for the checks.
    page.goto(f"{live_server.url}/e/{claim.evaluation_token}/")
    check_page(page, page_name="evaluation link, answered", served=served)

    # The series' people: the summary with its charts, the form; the office: the template.
    for person, path, name in (
        (coordinator, f"/parents/{series.pk}/evaluations/", "evaluation summary"),
        (coordinator, f"/parents/{series.pk}/evaluation/", "evaluation form"),
        (office, "/evaluations/template/", "evaluation template"),
        (learner, "/transcript/", "transcript with a certificate"),
        (None, "/verify/", "verify a code"),
    ):
        sign_in(page, live_server, person)
        response = page.goto(live_server.url + path)
        assert response.status == 200, name
        check_page(page, page_name=name, served=served)


def sign_in(page, live_server, person) -> None:
    from django.conf import settings as django_settings
    from django.test import Client

    page.context.clear_cookies()
    if person is None:
        return
    client = Client()
    client.force_login(person)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
