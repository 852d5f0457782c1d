"""In a real browser: the preview's checkbox swaps the QR code in and out through htmx, and the
QR code Chromium draws from the SVG opens the claim page when decoded."""

import io

import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests import factories as f
from tests.browser_checks import ServedHtml, check_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


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


def decode(png: bytes) -> str:
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


def test_it_toggles_the_qr_code_and_chromium_draws_a_scannable_svg(
    page, live_server, session, speaker, coordinator
):
    f.disclosure(speaker)
    f.assign(session, speaker)
    sign_in(page, live_server, coordinator)
    claim = f"https://rss.example.org/claim/{session.pk}/?src=qr"  # what the code encodes

    served = ServedHtml(page)
    page.goto(live_server.url + reverse("flyer_preview", args=[session.pk]))
    page.get_by_text("DRAFT: not approved for CME credit; do not distribute").first.wait_for()
    qr = page.locator("#flyer-document .flyer-qr img")
    qr.wait_for()
    check_page(page, page_name="flyer preview", served=served)
    assert decode(qr.screenshot()) == claim

    box = page.get_by_label("Include QR code")
    box.uncheck()
    qr.wait_for(state="detached")
    box.check()
    qr.wait_for()
    check_page(page, page_name="flyer preview, QR code toggled", served=served)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download Microsoft Word version").click()
    assert download.value.suggested_filename.endswith("-DRAFT.docx")

    page.goto(live_server.url + reverse("qr_page", args=[session.pk]))
    image = page.locator("img.qr-image")
    image.wait_for()
    check_page(page, page_name="Single Scan QR", served=served)
    assert decode(image.screenshot()) == claim
