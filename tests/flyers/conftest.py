"""Sessions for the flyer tests at a fixed moment, so dates read the same every run (the personas
are built in tests/personas.py).

The session is Thursday, January 15, 2026, 12:00-1:00 PM in Detroit (EST); "now" is Monday,
January 5, 2026. Approval goes through the real services (COI review, child approval), so the
flyer reads what the dashboard would.
"""

import io
from datetime import datetime

import pytest
import time_machine
from docx import Document
from docx.table import Table

from activities.models import Specialty
from activities.services.children import child_approve
from activities.services.coi_reviews import coi_review_record
from disclosures.rules import MitigationStep, Nature, ReviewDecision
from faculty.models import Profession
from flyers.renderers import DOCX, render_flyer_docx
from tests import factories as f
from tests.personas import make_series

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=f.DETROIT)
START = datetime(2026, 1, 15, 12, 0, tzinfo=f.DETROIT)
SITE = "https://rss.example.org"


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig):
    """Debian's Chromium, as in tests/conftest.py, but session-scoped as pytest-playwright's
    browser fixture requires (the top-level override is function-scoped and errors at setup)."""
    return {
        "headless": not pytestconfig.getoption("--headed"),
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
    }


@pytest.fixture(autouse=True)
def _fixed_now():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def series(coordinator, owner, planner):
    p = make_series(
        coordinator,
        owner,
        year=2026,
        planners=[planner],
        professions=[Profession.PHYSICIAN, Profession.NURSE],
    )
    p.specialties.set([Specialty.objects.get_or_create(name="Cardiology")[0]])
    return p


@pytest.fixture
def session(series):
    c = f.child(
        series,
        start=START,
        name="Sepsis bundles in the first hour",
        objectives="1. Recognise sepsis early\n- Start the bundle within an hour\n\n",
    )
    c.specialties.set(
        [
            Specialty.objects.get_or_create(name="Emergency Medicine")[0],
            Specialty.objects.get_or_create(name="Internal Medicine")[0],
        ]
    )
    return c


def approve(child, reviewer):
    """Approve like the office: review listed relationships as mitigated, then the session."""
    from faculty.models import Assignment

    for a in Assignment.objects.current().filter(child=child, coi_status="needs_review"):
        coi_review_record(
            assignment=a,
            reviewer=reviewer,
            decision=ReviewDecision.MITIGATED,
            relevant=True,
            mitigation_steps=[MitigationStep.PEER_REVIEW],
        )
    return child_approve(child, reviewer=reviewer)


def docx_paragraphs(data: bytes) -> list[str]:
    """Every paragraph of the headers, then of the body in order, table cells included."""
    doc = Document(io.BytesIO(data))
    texts = []
    for section in doc.sections:
        texts += [p.text for p in section.header.paragraphs if p.text]
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            texts += [p.text for row in block.rows for cell in row.cells for p in cell.paragraphs]
        else:
            texts.append(block.text)
    return texts


def docx_images(data: bytes) -> list[bytes]:
    doc = Document(io.BytesIO(data))
    return [part.blob for part in doc.part.package.parts if part.content_type.startswith("image/")]


CONSULTANT = Nature.CONSULTANT


def docx_of(child, **kwargs):
    child.refresh_from_db()
    filename, content_type, data = render_flyer_docx(child, **kwargs)
    assert content_type == DOCX
    return filename, data, docx_paragraphs(data)
