"""The Word flyer's form, opened again with python-docx: the template's styles, the rule, the QR
code, what it refuses, its fallbacks, its query count and pasted text (the content: test_flyer_docx.py)."""

import io

import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from activities.services.children import child_set_active
from disclosures.rules import Nature
from flyers.content import FlyerError, build_flyer
from flyers.models import FlyerStatements
from flyers.renderers import render_flyer_docx
from tests import factories as f

from .conftest import START, docx_images, docx_of

pytestmark = pytest.mark.django_db


def test_it_uses_the_templates_styles_for_title_headings_and_lists(session, speaker):
    f.assign(session, speaker)
    _, data, _ = docx_of(session)
    styles = {p.text: p.style.name for p in Document(io.BytesIO(data)).paragraphs}
    assert styles["Medicine Grand Rounds"] == "Subtitle"
    assert styles["Sepsis bundles in the first hour"] == "Title"
    assert styles["Financial Disclosure Information"] == "Heading 2"
    assert styles["Recognise sepsis early"] == "List Bullet"


def test_it_sets_the_statements_apart_with_a_rule(session, speaker):
    f.disclosure(speaker)
    f.assign(session, speaker)
    _, data, _ = docx_of(session)

    doc = Document(io.BytesIO(data))
    paragraphs = doc.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == "Accreditation Statement")
    rule = paragraphs[at - 1]
    assert rule.text == ""
    bottom = rule._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:val")) == "single"
    # Every other paragraph before it is border-free apart from the draft box.
    assert (
        sum(
            p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
            for p in paragraphs[: at - 1]
        )
        == 1
    )  # the DRAFT banner's box


def test_it_embeds_a_qr_code_that_decodes_to_the_claim_address_only_when_asked(session, speaker):
    f.disclosure(speaker)
    f.assign(session, speaker)

    _, without, _ = docx_of(session)
    assert docx_images(without) == []

    _, with_qr, text = docx_of(session, include_qr=True)
    (image,) = docx_images(with_qr)
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(image)))
    assert code.format == zxingcpp.BarcodeFormat.QRCode
    assert code.text == f"https://rss.example.org/claim/{session.pk}/?src=qr"
    assert "Or scan the QR code with your phone's camera (no app needed)." in text
    doc = Document(io.BytesIO(with_qr))
    (shape,) = doc.inline_shapes
    assert round(shape.width.inches, 2) == 1.5


def test_it_refuses_a_session_without_faculty(session):
    with pytest.raises(FlyerError) as refused:
        render_flyer_docx(session)
    assert refused.value.code == "no_faculty"
    assert refused.value.message == (
        "No faculty have been assigned for this event. "
        "Faculty must be assigned before a flyer is generated."
    )


def test_it_refuses_a_deactivated_session(session, speaker, coordinator):
    f.assign(session, speaker)
    child_set_active(session, active=False, by=coordinator)
    session.refresh_from_db()
    with pytest.raises(FlyerError) as refused:
        render_flyer_docx(session)
    assert refused.value.code == "inactive"


def test_it_falls_back_to_the_series_audience(series, speaker):
    child = f.child(series, start=START, name="Heart failure update")
    f.assign(child, speaker)
    _, _, text = docx_of(child)
    assert "Specialties: Cardiology" in text


def test_it_says_so_when_objectives_and_audience_are_empty(series, speaker):
    series.specialties.clear()
    series.professions = []
    series.save()
    child = f.child(series, start=START, name="Heart failure update")
    f.assign(child, speaker)
    _, _, text = docx_of(child)
    assert "No objectives have been entered for this session." in text
    assert "All healthcare professionals." in text


def test_it_reads_the_flyer_in_a_fixed_number_of_queries(series, planner):
    def queries_for(faculty_count):
        child = f.child(series, start=START, name=f"Session with {faculty_count} speakers")
        for i in range(faculty_count):
            person = f.person(last_name=f"Speaker{i}", credentials="MD")
            f.disclosure(person, relationships=[(f"Company {i}", Nature.CONSULTANT)])
            f.assign(child, person)
        child.refresh_from_db()
        FlyerStatements.current()
        with CaptureQueriesContext(connection) as ctx:
            content = build_flyer(child)
        assert len(content.faculty) == faculty_count
        return len(ctx)

    f.disclosure(planner)
    two, six = queries_for(2), queries_for(6)
    assert two == six
    assert six <= 12


def test_it_survives_text_pasted_from_word_with_control_characters(series, speaker):
    child = f.child(
        series, start=START, name="Sepsis\x0bbundles", objectives="Recognise\x01 sepsis\x0c"
    )
    speaker.affiliation = "Cardiology\x07"
    speaker.save()
    f.assign(child, speaker)

    _, _, text = docx_of(child)

    assert "Sepsis bundles" in text
    assert "Recognise sepsis" in text
    assert "Jane Smith, MD, Cardiology" in text
