"""The Word flyer, opened again with python-docx: every part SPEC §9 lists, for each disclosure
combination, as a draft and once approved."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from docx import Document

from activities.services.coi_reviews import coi_review_record
from activities.services.faculty import assignment_remove
from disclosures.rules import Nature, ReviewDecision
from disclosures.services import RelationshipInput, disclosure_submit
from faculty.models import Assignment, FacultyRole
from flyers import rules
from flyers.models import FlyerStatements, StatementKind
from tests import factories as f

from .conftest import START, approve, docx_images, docx_of

pytestmark = pytest.mark.django_db

WHEN = "When: Thursday, January 15, 2026, 12:00 PM \u2013 1:00 PM EST"
CLAIM_BY = (
    "Claim by: Thursday, January 22, 2026, 11:40 AM EST "
    "(claiming opens 30 minutes before the start)."
)
DESIGNATION = (
    "Michigan Medicine designates this live activity for a maximum of 1.0 AMA PRA Category 1 "
    "Credit(s)\u2122. Physicians should claim only the credit commensurate with the extent of "
    "their participation in the activity."
)


def test_it_writes_every_part_of_an_approved_flyer(session, speaker, planner, office):
    f.disclosure(speaker)
    f.disclosure(planner)
    f.assign(session, speaker)
    approve(session, office)

    filename, data, text = docx_of(session)

    assert filename == f"flyer-{session.pk}-sepsis-bundles-in-the-first-hour.docx"
    assert text[:5] == [
        "Medicine Grand Rounds",
        "Sepsis bundles in the first hour",
        WHEN,
        "Where: Ford Auditorium",
        f"Child ID: {session.pk}",
    ]
    for heading in (
        "Faculty",
        "Objectives",
        "Target Audience",
        "How to Claim Credit",
        "Financial Disclosure Information",
        "Accreditation Statement",
        "Credit Designation Statement",
    ):
        assert heading in text
    assert "Jane Smith, MD, Cardiology" in text
    assert text.index("Recognise sepsis early") < text.index("Start the bundle within an hour")
    assert "Specialties: Emergency Medicine, Internal Medicine" in text
    assert "Professions: Physician, Nurse" in text
    assert f"Text message: text {session.pk} to (734) 555-0000." in text
    assert f"Website: https://rss.example.org/claim/{session.pk}/" in text
    assert CLAIM_BY in text
    assert "Jane Smith, MD (Faculty): Nothing to disclose" in text
    assert "Paula Planner, MD, PhD (Planner): Nothing to disclose" in text
    assert rules.NOBODY_HAS_RELATIONSHIPS in text
    assert rules.ALL_MITIGATED not in text
    assert (
        "Michigan Medicine is accredited by the Accreditation Council for Continuing Medical "
        "Education (ACCME) to provide continuing medical education for physicians."
    ) in text
    assert DESIGNATION in text
    assert not any("DRAFT" in t for t in text)
    doc = Document(io.BytesIO(data))
    assert doc.sections[0].header.is_linked_to_previous  # no header of its own: no banner
    assert doc.core_properties.title == "Medicine Grand Rounds: Sepsis bundles in the first hour"
    assert docx_images(data) == []


def test_it_lists_mitigated_relationships_and_says_they_were_mitigated(
    session, speaker, planner, office
):
    colleague = f.person(last_name="Jones", first_name="Lee", credentials="DO")
    f.disclosure(speaker, relationships=[("Acme Pharma", Nature.CONSULTANT)])
    f.disclosure(colleague)
    f.disclosure(planner)
    f.assign(session, speaker)
    f.assign(session, colleague)
    approve(session, office)

    _, _, text = docx_of(session)

    assert "Jane Smith, MD (Faculty): Acme Pharma (Consultant)" in text
    assert "Lee Jones, DO (Faculty): Nothing to disclose" in text
    assert rules.ALL_MITIGATED in text
    assert rules.NOBODY_HAS_RELATIONSHIPS not in text
    assert rules.NOT_YET_MITIGATED not in text


def test_it_groups_several_companies_for_one_person(session, speaker, planner, office):
    f.disclosure(
        speaker,
        relationships=[
            ("Acme Pharma", Nature.CONSULTANT),
            ("Beta Devices", Nature.ADVISORY_BOARD),
            ("Acme Pharma", Nature.SPEAKERS_BUREAU),
            ("Gamma Labs", Nature.RESEARCH_FUNDING),
        ],
    )
    f.disclosure(planner)
    f.assign(session, speaker)
    approve(session, office)

    _, _, text = docx_of(session)

    assert (
        "Jane Smith, MD (Faculty): Acme Pharma (Consultant, Speakers' bureau); "
        "Beta Devices (Advisory board); Gamma Labs (Research funding)"
    ) in text
    assert rules.ALL_MITIGATED in text


def test_it_leaves_out_relationships_the_reviewer_judged_not_relevant(
    session, speaker, planner, office
):
    f.disclosure(speaker, relationships=[("Acme Pharma", Nature.STOCK)])
    f.disclosure(planner)
    assignment = f.assign(session, speaker)
    coi_review_record(
        assignment=assignment, reviewer=office, decision=ReviewDecision.APPROVED, relevant=False
    )
    approve(session, office)

    _, _, text = docx_of(session)

    assert (
        "Jane Smith, MD (Faculty): No relevant financial relationships with ineligible companies"
    ) in text
    assert not any("Acme" in t for t in text)
    assert rules.NOBODY_HAS_RELATIONSHIPS in text


def test_it_counts_planner_relationships_as_mitigated_once_the_session_is_approved(
    session, speaker, planner, office
):
    f.disclosure(speaker)
    f.disclosure(planner, relationships=[("Beta Devices", Nature.HONORARIA)])
    f.assign(session, speaker)

    _, _, draft = docx_of(session)
    assert "Paula Planner, MD, PhD (Planner): Beta Devices (Honoraria)" in draft
    assert rules.NOT_YET_MITIGATED in draft

    approve(session, office)
    _, _, clean = docx_of(session)
    assert "Paula Planner, MD, PhD (Planner): Beta Devices (Honoraria)" in clean
    assert rules.ALL_MITIGATED in clean


def test_it_marks_a_session_in_review_as_a_draft(session, speaker, planner):
    f.disclosure(speaker, relationships=[("Acme Pharma", Nature.CONSULTANT)])
    f.disclosure(planner)
    f.assign(session, speaker)

    filename, data, text = docx_of(session)

    assert filename.endswith("-DRAFT.docx")
    doc = Document(io.BytesIO(data))
    assert [p.text for p in doc.sections[0].header.paragraphs] == [rules.DRAFT_BANNER]
    assert doc.paragraphs[0].text == rules.DRAFT_BANNER
    assert doc.paragraphs[1].text == "Session status: IN REVIEW"
    assert rules.NOT_YET_MITIGATED in text
    assert rules.ALL_MITIGATED not in text
    assert "Jane Smith, MD (Faculty): Acme Pharma (Consultant)" in text


def test_it_names_faculty_and_planners_without_an_active_disclosure(session, speaker, planner):
    f.disclosure(planner, at=START - timedelta(days=365))  # exactly a year: expired
    f.assign(session, speaker)

    _, _, text = docx_of(session)

    assert text[0] == rules.DRAFT_BANNER
    assert "Jane Smith, MD (Faculty): No active disclosure on file" in text
    assert "Paula Planner, MD, PhD (Planner): No active disclosure on file" in text
    assert "No active disclosure is on file for: Jane Smith, MD; Paula Planner, MD, PhD." in text
    assert rules.NOBODY_HAS_RELATIONSHIPS not in text


def test_it_becomes_a_draft_again_when_a_new_disclosure_reopens_the_review(
    session, speaker, planner, office
):
    f.disclosure(speaker)
    f.disclosure(planner)
    f.assign(session, speaker)
    approve(session, office)
    assert docx_of(session)[0].endswith("hour.docx")

    disclosure_submit(
        person=speaker,
        relationships=[RelationshipInput("Acme Pharma", Nature.CONSULTANT)],
        nothing_to_disclose=False,
        attested=True,
    )

    _, _, text = docx_of(session)
    assert text[0] == rules.DRAFT_BANNER
    assert "Session status: IN REVIEW" in text


def test_it_lists_a_person_who_is_faculty_and_planner_once(session, planner, office):
    f.disclosure(planner)
    f.assign(session, planner)
    approve(session, office)

    _, _, text = docx_of(session)

    assert [t for t in text if t.startswith("Paula Planner") and "(" in t] == [
        "Paula Planner, MD, PhD (Faculty, Planner): Nothing to disclose"
    ]
    assert "Paula Planner, MD, PhD" in text  # the faculty list


def test_it_lists_only_current_faculty_with_their_role(session, speaker, planner, coordinator):
    removed = f.person(last_name="Gone", first_name="Al")
    f.assign(session, removed)
    Assignment.objects.create(child=session, person=speaker, role=FacultyRole.RESPONSIBLE)
    assignment_remove(assignment=Assignment.objects.get(person=removed), by=coordinator)

    _, _, text = docx_of(session)

    assert "Jane Smith, MD, Cardiology (Responsible faculty)" in text
    assert not any("Gone" in t for t in text)


@pytest.mark.parametrize(
    ("kind", "heading", "sentence"),
    [
        (
            StatementKind.JOINT_PROVIDERSHIP,
            "Accreditation Statement",
            "through the joint providership of Michigan Medicine and Ann Arbor Heart Society.",
        ),
        (
            StatementKind.JOINT_ACCREDITATION,
            "Joint Accreditation Statement",
            "In support of improving patient care, Michigan Medicine is jointly accredited",
        ),
    ],
)
def test_it_prints_the_joint_forms_of_the_accreditation_statement(
    client, coordinator, session, speaker, kind, heading, sentence
):
    statements = FlyerStatements.current()
    statements.accreditation_kind = kind
    statements.joint_provider = "Ann Arbor Heart Society"
    statements.save()
    session.parent.credit_hours = "1.50"
    session.parent.save()
    f.disclosure(speaker)
    f.assign(session, speaker)

    _, _, text = docx_of(session)

    assert heading in text
    statement = text[text.index(heading) + 1]
    assert sentence in statement
    assert "maximum of 1.5 AMA PRA Category 1 Credit(s)\u2122" in text[-1]
    client.force_login(coordinator)
    html = client.get(reverse("flyer_preview", args=[session.pk])).content.decode()
    assert f"<h3>{heading}</h3>" in html and sentence in html


def test_an_approved_flyer_never_claims_everyone_disclosed_while_a_planner_has_not(
    session, speaker, planner, office
):
    """Issue 14: an approved flyer said everyone in control of content had disclosed, then named
    a planner without an active disclosure. A planner added after the approval is that case."""
    from activities.models import ParentRole, ParentRoleKind

    f.disclosure(speaker)
    f.disclosure(planner)
    f.assign(session, speaker)
    approve(session, office)
    late = f.person(last_name="Late", first_name="Lou", credentials="MD")
    ParentRole.objects.create(parent=session.parent, person=late, role=ParentRoleKind.PLANNER)

    _, _, text = docx_of(session)

    assert rules.DRAFT_BANNER not in text  # still approved
    assert rules.DISCLOSURE_INTRO not in text
    assert rules.DISCLOSURE_INTRO_INCOMPLETE in text
    assert rules.NOBODY_HAS_RELATIONSHIPS not in text
    assert "Lou Late, MD (Planner): No active disclosure on file" in text
    assert "No active disclosure is on file for: Lou Late, MD." in text
