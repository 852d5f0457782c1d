"""The office sees claims, late requests (with their history) and the text log in the admin."""

import pytest

from credit.models import SmsMessage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["claim", "lateclaimrequest", "smsmessage", "smsoptout", "smspendingclaim"]
)
def test_the_admin_lists_credit_records(client, model):
    client.force_login(f.administrator())
    assert client.get(f"/admin/credit/{model}/").status_code == 200


def test_the_text_log_cannot_be_added_to_or_deleted(client):
    message = SmsMessage.objects.create(phone="+17345550100", body="1234", outcome="claimed")
    client.force_login(f.administrator())
    assert client.get("/admin/credit/smsmessage/add/").status_code == 403
    assert client.get(f"/admin/credit/smsmessage/{message.pk}/delete/").status_code == 403
