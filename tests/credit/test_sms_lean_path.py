"""The webhook skips the browser middleware (rss_dashboard.webhooks, issue 8): a text costs its
own queries only, never touches a session, and the checks the view owns still hold."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credit.models import Claim
from tests import factories as f
from tests.credit.helpers import PHONE, SMS_PATH, approved_child, reply_of, sms

pytestmark = pytest.mark.django_db
NOW = f.local(2026, 3, 12, 12, 10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_claims_with_the_queries_of_the_claim_only(client, series, office):
    child = approved_child(series, office, start=f.local(2026, 3, 12, 12, 0))
    learner = f.person(last_name="Learner", mobile_phone=PHONE)
    with CaptureQueriesContext(connection) as ctx:
        response = sms(client, str(child.pk))
    assert reply_of(response).startswith("Credit claimed")
    assert Claim.objects.filter(learner=learner, child=child).count() == 1
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "django_session" not in sql and "axes_" not in sql
    # the person (with opt-out), the session, the claim, the log (and the transaction's own)
    assert (
        len([q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])
        <= 4
    )
    # none of the browser middleware ran (clickjacking, CSP, security headers are for pages)
    assert "X-Frame-Options" not in response.headers
    assert "Content-Security-Policy" not in response.headers
    assert "Set-Cookie" not in response.headers and "sessionid" not in response.cookies
    assert response.headers["Content-Type"].startswith("text/xml")
    assert response.headers["X-Request-ID"]


def test_it_still_refuses_what_the_view_refuses(client):
    assert client.get(SMS_PATH).status_code == 405
    assert sms(client, "123", signature="forged").status_code == 403
