"""Anonymity (issue 17): coordinators see aggregates and comments, never who answered what; the
office sees who responded (never what) for compliance."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from credit.models import EvaluationAnswer, EvaluationResponse
from credit.services import claim_credit
from faculty.models import Person
from tests import factories as f
from tests.credit.evaluation_helpers import answer, evaluation
from tests.credit.helpers import approved_child

pytestmark = pytest.mark.django_db
START = f.local(2026, 3, 12, 12, 0)


@pytest.fixture
def answered(series, office, coordinator):
    evaluation(series, coordinator)
    child = approved_child(series, office, start=START)
    people = []
    with time_machine.travel(START, tick=False):
        for i, (ratings, text) in enumerate(
            [((5, 4), "Zebra comment"), ((1, 2), "Apple comment"), ((3, 3), "Mango comment")]
        ):
            who = f.person(last_name=f"Respondent{i}", email=f"respondent{i}@umich.edu")
            claim = claim_credit(learner=who, child_id=child.pk, channel="web")
            answer(claim, *ratings, text=text, now=START + timedelta(minutes=i))
            people.append(who)
        silent = f.person(last_name="Silent", email="silent@umich.edu")
        claim_credit(learner=silent, child_id=child.pk, channel="web")
    return child, people, silent


def test_a_response_holds_no_learner_and_no_time():
    for model in (EvaluationResponse, EvaluationAnswer):
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) is not Person, (model, field.name)
            assert field.get_internal_type() not in ("DateTimeField", "DateField"), field.name
        assert model._meta.pk.get_internal_type() == "UUIDField"  # no order to line up


def test_coordinators_see_aggregates_and_comments_never_who(client, series, coordinator, answered):
    child, people, silent = answered
    client.force_login(coordinator)
    pages = [
        client.get(reverse("evaluation_summary", args=[series.pk])).content.decode(),
        client.get(reverse("evaluation_figures_csv", args=[series.pk])).content.decode(),
        client.get(reverse("evaluation_comments_csv", args=[series.pk])).content.decode(),
    ]
    assert "Zebra comment" in pages[0] and "Apple comment" in pages[2]
    for page in pages:
        for who in [*people, silent]:
            assert who.last_name not in page and who.email not in page
    # Comments are listed alphabetically, not in the order they came in.
    assert pages[0].index("Apple") < pages[0].index("Mango") < pages[0].index("Zebra")
    # Who responded is the office's: the series' own people are refused.
    url = reverse("evaluation_respondents_csv", args=[series.pk])
    assert client.get(url).status_code == 403
    assert "Who responded" not in pages[0]


def test_the_office_sees_who_responded_not_what(client, series, office, answered):
    child, people, silent = answered
    client.force_login(office)
    summary = client.get(reverse("evaluation_summary", args=[series.pk])).content.decode()
    assert "Who responded" in summary
    csv = client.get(reverse("evaluation_respondents_csv", args=[series.pk])).content.decode()
    for who in people:
        assert who.email in csv
    lines = {line.split(",")[5]: line for line in csv.splitlines()[1:]}
    assert lines["silent@umich.edu"].endswith(",")  # no evaluation date
    assert lines["respondent0@umich.edu"].endswith(",2026-03-12")
    for text in ("Zebra", "Apple", "Mango"):
        assert text not in csv


def test_a_session_with_fewer_than_three_responses_shows_no_figures_of_its_own(
    client, series, office, coordinator
):
    evaluation(series, coordinator)
    child = approved_child(series, office, start=START)
    with time_machine.travel(START, tick=False):
        claim = claim_credit(learner=f.person(last_name="Only"), child_id=child.pk, channel="web")
    answer(claim, 1, 1, text="Only mine")
    client.force_login(coordinator)
    html = client.get(reverse("evaluation_summary", args=[series.pk])).content.decode()
    assert 'data-figure="mean"' not in html and "Fewer than 3 answers" in html
    assert "Sessions with fewer than 3 responses" in html  # the comment, without its session


def test_a_new_response_shows_at_once_despite_the_cache(client, series, office, coordinator):
    evaluation(series, coordinator)
    child = approved_child(series, office, start=START)
    client.force_login(coordinator)
    url = reverse("evaluation_summary", args=[series.pk])
    with time_machine.travel(START, tick=False):
        claims = [
            claim_credit(learner=f.person(), child_id=child.pk, channel="web") for _ in range(3)
        ]
    assert 'data-figure="responses">0<' in client.get(url).content.decode()
    answer(claims[0], 4, 4)
    assert 'data-figure="responses">1<' in client.get(url).content.decode()
