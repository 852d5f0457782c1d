"""The office sees claims, late requests (with their history) and the text log in the admin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from credit.models import (
    Claim,
    ClaimChannel,
    LateClaimRequest,
    SmsMessage,
    SmsOptOut,
    SmsPendingClaim,
)
from tests.personas import PHONE

pytestmark = pytest.mark.django_db


def one_of_each(learner, child) -> dict[str, object]:
    return {
        "claim": Claim.objects.create(
            learner=learner, child=child, channel=ClaimChannel.WEB, credit_hours=Decimal("1.00")
        ),
        "lateclaimrequest": LateClaimRequest.objects.create(
            learner=learner, child=child, reason="No signal in the auditorium"
        ),
        "smsmessage": SmsMessage.objects.create(phone=PHONE, body="1234", outcome="claimed"),
        "smsoptout": SmsOptOut.objects.create(phone="+17345550177"),
        "smspendingclaim": SmsPendingClaim.objects.create(phone="+17345550188", child=child),
    }


@pytest.mark.parametrize(
    "model", ["claim", "lateclaimrequest", "smsmessage", "smsoptout", "smspendingclaim"]
)
def test_the_admin_lists_credit_records(client, admin, learner, child, model):
    records = one_of_each(learner, child)
    client.force_login(admin)
    response = client.get(reverse(f"admin:credit_{model}_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse(f"admin:credit_{model}_change", args=[records[model].pk]) in body
    assert response.context["cl"].result_count == 1


def test_the_text_log_cannot_be_added_to_or_deleted(client, admin):
    message = SmsMessage.objects.create(phone=PHONE, body="1234", outcome="claimed")
    client.force_login(admin)
    assert client.get("/admin/credit/smsmessage/add/").status_code == 403
    assert client.get(f"/admin/credit/smsmessage/{message.pk}/delete/").status_code == 403
    assert SmsMessage.objects.filter(pk=message.pk).exists()
