"""Claims, late-claim decisions, disclosures and decisions are never hard-deleted (6 years)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.db.models import ProtectedError
from django.test import RequestFactory

from activities.models import ChildReview
from credit.models import (
    Certificate,
    Claim,
    ClaimChannel,
    ClaimRevocation,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationResponse,
    LateClaimRequest,
)
from credit.models_attendance import AttendanceEntry, AttendanceImport, KioskCheckIn
from credit.services_kiosk import kiosk_open
from disclosures.models import CoiReview, Disclosure, FinancialRelationship
from rss_dashboard.retention import RETAINED, RetentionError
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    office = f.reviewer()
    learner = f.person()
    speaker = f.person()
    child = f.child()
    disclosure = f.disclosure(speaker, relationships=[("Acme", f.CONSULTANT)])
    assignment = f.assign(child, speaker)
    claim = Claim.objects.create(
        learner=learner, child=child, channel=ClaimChannel.WEB, credit_hours=Decimal(1)
    )
    form = EvaluationForm.objects.create(parent=child.parent)
    question = EvaluationQuestion.objects.create(form=form, position=1, kind="rating", text="Q?")
    response = EvaluationResponse.objects.create(child=child, form=form)
    return [
        claim,
        LateClaimRequest.objects.create(learner=learner, child=child, reason="Sick"),
        disclosure,
        disclosure.relationships.get(),
        CoiReview.objects.create(
            assignment=assignment, disclosure=disclosure, reviewer=office, decision="approved"
        ),
        ChildReview.objects.create(child=child, reviewer=office, action="approved"),
        ClaimRevocation.objects.create(claim=claim, action="revoked", by=office, reason="x"),
        Certificate.objects.create(code="ABCDEFGHJK", kind="claim", claim=claim, learner=learner),
        EvaluationAnswer.objects.create(response=response, question=question, rating=4),
        response,
        f.disclosure(learner),  # nothing protects it by foreign key; the guard still refuses
        *_attendance_records(child, office),
    ]


def _attendance_records(child, coordinator):
    """Where imported and kiosk claims came from (issue 18)."""
    record = AttendanceImport.objects.create(
        child=child, source="zoom", original_name="p.csv", sha256="0" * 64, size=1
    )
    kiosk, _token = kiosk_open(child=child, by=coordinator)
    return [
        record,
        AttendanceEntry.objects.create(import_run=record, name="Guest", outcome="unmatched"),
        KioskCheckIn.objects.create(
            kiosk=kiosk, key="k-00000001", outcome="unmatched", checked_in_at=kiosk.opened_at
        ),
    ]


def test_every_retained_record_refuses_to_be_deleted(records):
    assert {f"{r._meta.app_label}.{r._meta.object_name}" for r in records} == set(RETAINED)
    for record in records:
        # A disclosure with reviews is already held by its PROTECT foreign keys.
        with pytest.raises((RetentionError, ProtectedError)), transaction.atomic():
            record.delete()
        assert type(record).objects.filter(pk=record.pk).exists()


def test_the_guard_names_the_rule(records):
    with pytest.raises(RetentionError) as refused, transaction.atomic():
        records[-1].delete()
    assert refused.value.code == "retained" and "6 years" in refused.value.message


def test_a_bulk_delete_is_refused_too(records):
    with pytest.raises((RetentionError, ProtectedError)), transaction.atomic():
        Claim.objects.all().delete()
    with pytest.raises(RetentionError), transaction.atomic():
        FinancialRelationship.objects.all().delete()
    assert Claim.objects.count() == 1 and Disclosure.objects.count() == 2


@pytest.mark.parametrize(
    "model", [Claim, LateClaimRequest, Disclosure, CoiReview, ChildReview], ids=str
)
def test_the_admin_offers_no_delete_even_to_administrators(model):
    request = RequestFactory().get("/admin/")
    request.user = f.administrator(email=f"ada-{model.__name__.lower()}@example.org")
    model_admin = admin.site._registry[model]
    assert model_admin.has_delete_permission(request) is False
    assert "delete_selected" not in model_admin.get_actions(request)
