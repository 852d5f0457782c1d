"""A text claim on a series that requires an evaluation: the reply carries the short link to it,
within 320 characters, and costs the SMS hot path nothing more (issue 17)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credit import messages as msg
from credit.models import Claim
from tests import factories as f
from tests.credit.evaluation_helpers import evaluation
from tests.credit.helpers import PHONE, approved_child, pending_child, reply_of, sms

pytestmark = pytest.mark.django_db
START = f.local(2026, 3, 12, 12, 0)
NOW = f.local(2026, 3, 12, 12, 10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_reply_links_the_evaluation_and_the_link_opens_it(
    client, series, office, coordinator, learner
):
    child = approved_child(series, office, start=START)
    evaluation(series, coordinator)
    reply = reply_of(sms(client, str(child.pk)))
    claim = Claim.objects.get(learner=learner, child=child)
    link = msg.evaluation_url(claim.evaluation_token)
    assert reply.startswith("Claim recorded:") and reply.endswith(link)
    assert "Credit is awarded after your evaluation" in reply
    assert len(reply) <= 320
    assert claim.awarded_at is None

    path = link.removeprefix("https://rss.example.org")
    page = client.get(path)
    assert page.status_code == 200
    assert "This session will change my practice." in page.content.decode()


def test_the_link_is_never_cut_whatever_the_names(client, series, office, coordinator, settings):
    settings.SITE_URL = "https://continuing-education.rss-dashboard.medicine.example.edu"
    series.credit_type = ("AMA PRA Category 1 Credit(TM) and ANCC contact hours " + "x" * 60)[:100]
    series.save()
    child = approved_child(series, office, start=START, name=("Very long topic " * 20)[:250])
    f.person(last_name="Learner", mobile_phone=PHONE)
    evaluation(series, coordinator)
    reply = reply_of(sms(client, str(child.pk)))
    claim = Claim.objects.get(child=child)
    assert len(reply) <= 320
    assert reply.endswith(msg.evaluation_url(claim.evaluation_token))


def test_a_pending_session_asks_for_the_evaluation_too(client, series, coordinator, learner):
    child = pending_child(series, start=START)
    evaluation(series, coordinator)
    reply = reply_of(sms(client, str(child.pk)))
    assert "pending approval" in reply and "/e/" in reply and len(reply) <= 320


def test_no_link_when_the_series_requires_none(client, series, office, coordinator, learner):
    child = approved_child(series, office, start=START)
    evaluation(series, coordinator, required=False)
    reply = reply_of(sms(client, str(child.pk)))
    assert reply.startswith("Credit claimed") and "/e/" not in reply


def test_an_unknown_link_is_not_found(client):
    assert client.get("/e/NoSuchToken1/").status_code == 404
    assert client.get("/e/bad-token!/").status_code == 404


def test_answering_through_the_link_awards_the_credit(client, series, office, coordinator, learner):
    child = approved_child(series, office, start=START)
    form = evaluation(series, coordinator)
    sms(client, str(child.pk))
    claim = Claim.objects.get(learner=learner, child=child)
    path = f"/e/{claim.evaluation_token}/"
    questions = list(form.questions.order_by("position"))
    data = {f"q{questions[0].pk}": "5", f"q{questions[1].pk}": "4", f"q{questions[2].pk}": "More"}
    bad = client.post(path, {f"q{questions[0].pk}": "5"})
    assert bad.status_code == 400 and "Choose a rating from 1 to 5." in bad.content.decode()
    response = client.post(path, data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.evaluated_at is not None and claim.awarded_at is not None
    page = client.get(path).content.decode()
    assert "Your evaluation of this session is in" in page and "Credit awarded" in page
    assert client.post(path, data).status_code == 302  # a second answer changes nothing
    from credit.models import EvaluationResponse

    assert EvaluationResponse.objects.count() == 1


def test_the_hot_path_keeps_its_query_count(client, series, office, coordinator):
    child = approved_child(series, office, start=START)
    f.person(last_name="Learner", mobile_phone=PHONE)
    evaluation(series, coordinator)
    with CaptureQueriesContext(connection) as ctx:
        assert reply_of(sms(client, str(child.pk))).startswith("Claim recorded")
    queries = [q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    if connection.vendor == "postgresql":
        assert len(ctx.captured_queries) == 2  # as without an evaluation (test_sms_lean_path)
    else:
        assert len(queries) <= 4
