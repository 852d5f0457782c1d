"""A program nobody here wrote opens the flyer: LibreOffice converts it to PDF, pdftotext reads it
back and a QR decoder reads the printed page. One soffice run converts both documents."""

import subprocess

import pytest
import zxingcpp
from PIL import Image

from disclosures.rules import Nature
from flyers import rules
from flyers.renderers import render_flyer_docx
from tests import factories as f
from tests.tools import require_tool

from .conftest import approve

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # runs LibreOffice


def normalized(text: str) -> str:
    return " ".join(text.split())


def test_it_opens_in_libreoffice_with_every_statement_and_a_scannable_qr_code(
    tmp_path, series, session, speaker, planner, office
):
    soffice = require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    pdftoppm = require_tool("pdftoppm")

    f.disclosure(
        speaker,
        relationships=[("Acme Pharma", Nature.CONSULTANT), ("Beta Devices", Nature.ADVISORY_BOARD)],
    )
    f.disclosure(planner)
    f.assign(session, speaker)
    draft_child = f.child(series, start=session.start, name="Heart failure update")
    f.assign(draft_child, f.person(last_name="Noone", first_name="Nat", credentials="RN"))
    approve(session, office)
    session.refresh_from_db()

    (tmp_path / "in").mkdir()
    approved_docx = tmp_path / "in" / "approved.docx"
    approved_docx.write_bytes(render_flyer_docx(session, include_qr=True)[2])
    draft_docx = tmp_path / "in" / "draft.docx"
    draft_docx.write_bytes(render_flyer_docx(draft_child)[2])

    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(approved_docx),
            str(draft_docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )

    def pdf_text(name: str) -> str:
        result = subprocess.run(
            [pdftotext, str(out / f"{name}.pdf"), "-"], check=True, capture_output=True, timeout=60
        )
        return normalized(result.stdout.decode())

    approved = pdf_text("approved")
    for expected in (
        "Medicine Grand Rounds",
        "Sepsis bundles in the first hour",
        "Thursday, January 15, 2026, 12:00 PM \u2013 1:00 PM EST",
        "Where: Ford Auditorium",
        "Jane Smith, MD, Cardiology",
        "Recognise sepsis early",
        "Specialties: Emergency Medicine, Internal Medicine",
        f"text {session.pk} to (734) 555-0000",
        f"https://rss.example.org/claim/{session.pk}/",
        "Claim by: Thursday, January 22, 2026, 11:40 AM EST",
        "Financial Disclosure Information",
        "Jane Smith, MD (Faculty): Acme Pharma (Consultant); Beta Devices (Advisory board)",
        "Paula Planner, MD, PhD (Planner): Nothing to disclose",
        rules.ALL_MITIGATED,
        "Michigan Medicine is accredited by the Accreditation Council for Continuing Medical "
        "Education (ACCME) to provide continuing medical education for physicians.",
        "Michigan Medicine designates this live activity for a maximum of 1.0 AMA PRA Category 1 "
        "Credit(s)\u2122.",
    ):
        assert expected in approved, expected
    assert "DRAFT" not in approved

    draft = pdf_text("draft")
    assert draft.count(rules.DRAFT_BANNER) >= 2  # the page header and the banner under it
    assert "Nat Noone, RN (Faculty): No active disclosure on file" in draft

    # The printed page, read like a phone camera would: the QR code opens the claim page.
    subprocess.run(
        [
            pdftoppm,
            "-r",
            "150",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(out / "approved.pdf"),
            str(out / "page"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    (page,) = out.glob("page*.png")
    codes = zxingcpp.read_barcodes(Image.open(page))
    assert [c.text for c in codes] == [f"https://rss.example.org/claim/{session.pk}/?src=qr"]
