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


@pytest.mark.postgres
def test_a_claim_text_costs_two_statements_on_postgresql(client, series, office):
    child = approved_child(series, office, start=f.local(2026, 3, 12, 12, 0))
    f.person(last_name="Learner", mobile_phone=PHONE)
    with CaptureQueriesContext(connection) as ctx:
        assert reply_of(sms(client, str(child.pk))).startswith("Credit claimed")
    # sender, opt-out and session in one read; the claim and its log in one write
    assert len(ctx.captured_queries) == 2


@pytest.mark.postgres
def test_the_one_statement_read_builds_what_the_orm_would(series, office):
    from decimal import Decimal

    from credit.services import claimable_child
    from credit.services_phones import sender_and_session

    child = approved_child(series, office, start=f.local(2026, 3, 12, 12, 0))
    learner = f.person(last_name="Learner", mobile_phone=PHONE)
    found_learner, found = sender_and_session(PHONE, child.pk)
    expected = claimable_child(child.pk)
    for field in (
        "id",
        "name",
        "start",
        "end",
        "time_zone",
        "location",
        "status",
        "texting_minutes_prior",
        "texting_minutes_after",
    ):
        assert getattr(found, field) == getattr(expected, field), field
    assert found.start.tzinfo is not None
    assert found.parent.credit_hours == Decimal("1.00") == expected.parent.credit_hours
    assert found.parent.name == expected.parent.name
    assert (found_learner.pk, found_learner.email, found_learner.is_active) == (
        learner.pk,
        learner.email,
        True,
    )
    assert found_learner.sms_opted_out is False

    assert sender_and_session("+17345550199", child.pk)[0] is None  # phone not on file
    assert sender_and_session(PHONE, 999_999) is None  # no such session: the ORM path answers
    child.is_active = False
    child.save()
    assert sender_and_session(PHONE, child.pk) is None


@pytest.mark.postgres
def test_an_opted_out_phone_still_claims_but_gets_no_reply(client, series, office):
    from credit.models import SmsOptOut

    child = approved_child(series, office, start=f.local(2026, 3, 12, 12, 0))
    learner = f.person(last_name="Learner", mobile_phone=PHONE)
    SmsOptOut.objects.create(phone=PHONE)
    assert reply_of(sms(client, str(child.pk))) == ""
    assert Claim.objects.filter(learner=learner, child=child).exists()
