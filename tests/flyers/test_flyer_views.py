"""Flyer and QR pages: who may see them, what each answers, and the htmx window."""

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from disclosures.rules import Nature
from flyers import rules
from flyers.renderers import DOCX
from tests import factories as f
from tests.personas import login

from .conftest import approve, docx_images, docx_paragraphs

pytestmark = pytest.mark.django_db

NAMES = ["flyer_preview", "flyer_docx", "qr_page", "qr_png", "qr_svg"]


@pytest.fixture
def ready(session, speaker, planner):
    f.disclosure(speaker, relationships=[("Acme Pharma", Nature.CONSULTANT)])
    f.disclosure(planner)
    f.assign(session, speaker)
    session.refresh_from_db()
    return session


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("who", ["coordinator", "owner", "office", "administrator"])
def test_it_serves_the_series_people_and_the_office(client, request, ready, name, who):
    person = f.administrator() if who == "administrator" else request.getfixturevalue(who)
    response = login(client, person).get(reverse(name, args=[ready.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("who", ["other_coordinator", "learner", "planner"])
def test_it_answers_404_to_everyone_else(client, request, ready, name, who):
    if who == "other_coordinator":
        person = f.person(last_name="Elsewhere")
        f.parent(name="Surgery Grand Rounds", coordinators=[person])
    elif who == "learner":
        person = f.person(last_name="Learner", mobile_phone="+17345550100")
    else:
        person = request.getfixturevalue(who)  # a planner of the series is not a coordinator
    response = login(client, person).get(reverse(name, args=[ready.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_it_sends_anonymous_visitors_to_sign_in(client, ready, name):
    url = reverse(name, args=[ready.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", NAMES)
def test_it_answers_404_for_an_unknown_session_and_405_to_a_post(client, coordinator, ready, name):
    login(client, coordinator)
    assert client.get(reverse(name, args=[ready.pk + 1000])).status_code == 404
    assert client.post(reverse(name, args=[ready.pk])).status_code == 405


def test_it_downloads_the_word_flyer_as_an_attachment(client, coordinator, ready):
    response = login(client, coordinator).get(reverse("flyer_docx", args=[ready.pk]))
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        f'attachment; filename="flyer-{ready.pk}-sepsis-bundles-in-the-first-hour-DRAFT.docx"'
    )
    assert "no-store" in response["Cache-Control"]
    text = docx_paragraphs(response.content)
    assert text[0] == rules.DRAFT_BANNER
    assert "Jane Smith, MD (Faculty): Acme Pharma (Consultant)" in text
    assert docx_images(response.content) == []


@pytest.mark.parametrize(
    ("query", "embedded"), [("?qr=1", True), ("?qr=0&qr=1", True), ("?qr=0", False)]
)
def test_it_embeds_the_qr_code_when_the_box_is_ticked(client, coordinator, ready, query, embedded):
    url = reverse("flyer_docx", args=[ready.pk]) + query
    images = docx_images(login(client, coordinator).get(url).content)
    assert len(images) == (1 if embedded else 0)
    if embedded:
        (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0])))
        assert code.text == f"https://rss.example.org/claim/{ready.pk}/?src=qr"


def test_it_refuses_the_document_without_faculty_with_409_and_the_message(
    client, coordinator, session
):
    login(client, coordinator)
    response = client.get(reverse("flyer_docx", args=[session.pk]))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert rules.NO_FACULTY_MESSAGE in response.content.decode()

    preview = client.get(reverse("flyer_preview", args=[session.pk]))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert rules.NO_FACULTY_MESSAGE in html
    assert reverse("flyer_docx", args=[session.pk]) not in html
    assert 'id="flyer-document"' not in html


def test_it_previews_the_same_flyer_with_the_draft_banner_until_approval(
    client, coordinator, office, ready
):
    login(client, coordinator)
    html = client.get(reverse("flyer_preview", args=[ready.pk])).content.decode()
    assert rules.DRAFT_BANNER in html
    assert "Session status: IN REVIEW" in html
    for text in (
        "Medicine Grand Rounds",
        "Sepsis bundles in the first hour",
        "Thursday, January 15, 2026, 12:00 PM \u2013 1:00 PM EST",
        "Jane Smith, MD, Cardiology",
        "Recognise sepsis early",
        "Emergency Medicine, Internal Medicine",
        f"text {ready.pk} to (734) 555-0000",
        f"https://rss.example.org/claim/{ready.pk}/",
        "Thursday, January 22, 2026, 11:40 AM EST",
        "Acme Pharma (Consultant)",
        "Credit Designation Statement",
        'class="flyer-rule"',
        "Include QR code",
        "Download Microsoft Word version",
    ):
        assert text in html, text

    approve(ready, office)
    html = client.get(reverse("flyer_preview", args=[ready.pk])).content.decode()
    assert rules.DRAFT_BANNER not in html
    assert rules.ALL_MITIGATED in html


def test_it_renders_a_window_for_the_dashboard_and_a_fragment_for_the_checkbox(
    client, coordinator, ready
):
    login(client, coordinator)
    url = reverse("flyer_preview", args=[ready.pk])
    qr_img = reverse("qr_svg", args=[ready.pk])

    page = client.get(url).content.decode()
    assert "<html" in page and qr_img in page  # a first visit shows the QR code, box ticked
    assert 'name="qr" value="1" id="flyer-qr-' in page and " checked" in page

    window = client.get(url, headers={"HX-Request": "true", "HX-Target": "modal-host"})
    html = window.content.decode()
    assert "<html" not in html
    assert 'class="modal fade"' in html and 'id="flyer-document"' in html

    headers = {"HX-Request": "true", "HX-Target": "flyer-document"}
    unticked = client.get(url + "?qr=0", headers=headers).content.decode()
    assert 'id="flyer-document"' in unticked and "modal" not in unticked
    assert qr_img not in unticked
    ticked = client.get(url + "?qr=0&qr=1", headers=headers).content.decode()
    assert qr_img in ticked


def test_it_serves_the_qr_images_inline_or_as_downloads(client, coordinator, ready):
    login(client, coordinator)
    png = client.get(reverse("qr_png", args=[ready.pk]))
    assert png["Content-Type"] == "image/png"
    assert png["Content-Disposition"] == f'inline; filename="claim-qr-{ready.pk}.png"'
    assert "private" in png["Cache-Control"]
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert code.text == f"https://rss.example.org/claim/{ready.pk}/?src=qr"

    svg = client.get(reverse("qr_svg", args=[ready.pk]) + "?download=1")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Disposition"] == f'attachment; filename="claim-qr-{ready.pk}.svg"'


def test_it_prints_a_qr_page_with_the_address_and_the_text_option(client, coordinator, ready):
    login(client, coordinator)
    html = client.get(reverse("qr_page", args=[ready.pk])).content.decode()
    assert f'src="{reverse("qr_svg", args=[ready.pk])}"' in html
    assert f"https://rss.example.org/claim/{ready.pk}/" in html
    assert f"<strong>{ready.pk}</strong> to <strong>(734) 555-0000</strong>" in html
    assert "data-print" in html and "flyers/flyers.js" in html
    assert "Open printable page" not in html  # it is the printable page

    window = client.get(
        reverse("qr_page", args=[ready.pk]),
        headers={"HX-Request": "true", "HX-Target": "modal-host"},
    ).content.decode()
    assert "<html" not in window and 'class="modal fade"' in window
    assert "Open printable page" in window


def test_it_answers_the_download_in_the_same_number_of_queries_for_one_or_six_faculty(
    client, coordinator, series, ready
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import START

    login(client, coordinator)
    other = f.child(series, start=START, name="Heart failure update")
    other.specialties.set(ready.specialties.all())  # else the series' are read: one more query
    for i in range(6):
        person = f.person(last_name=f"Speaker{i}", credentials="MD")
        f.disclosure(person, relationships=[(f"Company {i}", Nature.CONSULTANT)])
        f.assign(other, person)
    client.get(reverse("flyer_docx", args=[ready.pk]) + "?qr=1")  # the statements row exists

    counts = []
    for child in (ready, other):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("flyer_docx", args=[child.pk]) + "?qr=1")
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1] <= 14
