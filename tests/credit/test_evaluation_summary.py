"""The evaluation summary (issue 17) against a hand-made example, its CSVs, its query count."""

import csv
import io
import time
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import ChildActivity
from activities.rules import ChildStatus
from credit.models import Claim, EvaluationAnswer, EvaluationResponse
from credit.rules_evaluation import Distribution, distribution, merge, response_rate
from credit.selectors_evaluation import evaluation_summary
from credit.services import claim_credit
from faculty.models import Person
from tests import factories as f
from tests.credit.evaluation_helpers import answer, evaluation, ratings_of
from tests.credit.helpers import approved_child

pytestmark = pytest.mark.django_db
START = f.local(2026, 3, 12, 12, 0)


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_arithmetic_without_the_database():
    d = distribution({5: 2, 4: 1, 1: 1})
    assert d.counts == (1, 0, 0, 1, 2) and d.n == 4
    assert d.mean == Decimal("3.75")  # (1 + 4 + 10) / 4
    assert d.share(5) == Decimal("50.0")
    assert merge([d, distribution({3: 2})]).counts == (1, 0, 2, 1, 2)
    assert Distribution((0, 0, 0, 0, 0)).mean is None
    assert response_rate(2, 3) == Decimal("66.7") and response_rate(0, 0) is None


@pytest.fixture
def example(series, office, coordinator):
    """Session A: 4 claims, 3 evaluations (ratings Q1: 5, 4, 4; Q2: 3, 3, 1), 2 comments.
    Session B: 2 claims, 1 evaluation (Q1: 2; Q2: 5), 1 comment: below the group minimum."""
    evaluation(series, coordinator)
    a = approved_child(series, office, start=START, name="Sepsis bundles")
    b = approved_child(series, office, start=START + timedelta(days=7), name="Stroke code")
    plan = {
        a: [((5, 3), "Start bundles earlier"), ((4, 3), ""), ((4, 1), "Ask pharmacy sooner"), None],
        b: [((2, 5), "Nothing new"), None],
    }
    for child, answers in plan.items():
        with time_machine.travel(child.start, tick=False):
            for i, answered in enumerate(answers):
                who = f.person(last_name=f"L{child.pk}x{i}")
                claim = claim_credit(learner=who, child_id=child.pk, channel="web")
                if answered:
                    ratings, text = answered
                    answer(claim, *ratings, text=text)
    return a, b


def test_the_summary_numbers_match_the_hand_made_example(series, example):
    a, b = example
    summary = evaluation_summary(series)
    assert (summary.claims, summary.responses, summary.rate) == (6, 4, Decimal("66.7"))
    q1, q2 = summary.questions
    assert q1.year.counts == (0, 1, 0, 2, 1) and q1.year.mean == Decimal("3.75")
    assert q2.year.counts == (1, 0, 2, 0, 1) and q2.year.mean == Decimal("3.00")
    session_a, session_b = summary.sessions
    assert (session_a.claims, session_a.responses, session_a.rate) == (4, 3, Decimal("75.0"))
    assert session_a.ratings[q1.question.pk].mean == Decimal("4.33")
    assert session_a.ratings[q2.question.pk].mean == Decimal("2.33")
    # Session B has one response: shown in the year's figures, never on its own.
    assert (session_b.claims, session_b.responses, session_b.shown) == (2, 1, False)
    assert [m for _s, m in q1.trend] == [Decimal("4.33"), None]
    groups = {(g.child.pk if g.child else None): g.texts for g in summary.comments}
    assert groups == {a.pk: ["Ask pharmacy sooner", "Start bundles earlier"], None: ["Nothing new"]}


def test_the_page_and_the_csvs_show_those_numbers(client, series, coordinator, example):
    a, b = example
    client.force_login(coordinator)
    page = client.get(reverse("evaluation_summary", args=[series.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-figure="responses">4<' in html and 'data-figure="rate">66.7%<' in html
    assert 'data-figure="mean">3.75<' in html and 'data-figure="mean">3.00<' in html
    assert html.count("<svg") == 5  # the response rate; per rating question a distribution, a trend
    assert "<script" not in html.split("</main>")[0]
    assert "Start bundles earlier" in html and "Sessions with fewer than 3 responses" in html

    figures = rows_of(client.get(reverse("evaluation_figures_csv", args=[series.pk])))
    header, row_a, row_b, total = figures
    by = dict(zip(header, row_a, strict=True))
    assert by["Claims"] == "4" and by["Responses"] == "3" and by["Response rate (%)"] == "75.0"
    assert by["The session met its objectives.: mean"] == "4.33"
    assert by["The session met its objectives.: 4"] == "2"
    assert dict(zip(header, row_b, strict=True))["The session met its objectives.: mean"] == ""
    year = dict(zip(header, total, strict=True))
    assert year["Responses"] == "4" and year["This session will change my practice.: 1"] == "1"

    comments = rows_of(client.get(reverse("evaluation_comments_csv", args=[series.pk])))
    assert comments[1][0] == str(a.pk) and comments[-1][2].startswith("Sessions with fewer")


def test_a_changed_question_is_retired_and_kept_in_the_summary(series, coordinator, example):
    from credit.rules_evaluation import QuestionSpec

    form = evaluation(
        series,
        coordinator,
        questions=[
            QuestionSpec("rating", "The session met its objectives."),
            QuestionSpec("rating", "The speaker was clear."),
        ],
    )
    assert [q.text for q in ratings_of(form)] == [
        "The session met its objectives.",
        "The speaker was clear.",
    ]
    texts = [q.question.text for q in evaluation_summary(series).questions]
    assert "This session will change my practice." in texts  # answered: retired, kept
    assert "The speaker was clear." in texts


def _big_series(series, office, coordinator, sessions=52, responses=2000):
    """52 weekly sessions and 2,000 responses (about 38 a session), built in bulk."""
    form = evaluation(series, coordinator)
    questions = list(form.questions.order_by("position"))
    children = [
        approved_child(series, office, start=START + timedelta(days=7 * i), name=f"Topic {i}")
        if i == 0
        else ChildActivity(
            parent=series,
            name=f"Topic {i}",
            start=START + timedelta(days=7 * i),
            end=START + timedelta(days=7 * i, hours=1),
            time_zone="America/Detroit",
            status=ChildStatus.APPROVED,
        )
        for i in range(sessions)
    ]
    ChildActivity.objects.bulk_create([c for c in children if c.pk is None])
    children = list(ChildActivity.objects.filter(parent=series).order_by("start"))
    tag = f"s{series.pk}-"
    Person.objects.bulk_create(
        Person(email=f"{tag}{i}@example.org", last_name=f"B{i}", last_name_lower=f"b{i}")
        for i in range(responses)
    )
    people = list(Person.objects.filter(email__startswith=tag))
    claims, rows, answers = [], [], []
    for i, person in enumerate(people[:responses]):
        child = children[i % sessions]
        claims.append(
            Claim(learner=person, child=child, channel="web", credit_hours=1, evaluated_at=START)
        )
        response = EvaluationResponse(child=child, form=form)
        rows.append(response)
        answers += [
            EvaluationAnswer(response=response, question=questions[0], rating=1 + i % 5),
            EvaluationAnswer(response=response, question=questions[1], rating=1 + (i * 3) % 5),
            EvaluationAnswer(response=response, question=questions[2], text=f"Comment {i}"),
        ]
    Claim.objects.bulk_create(claims)
    EvaluationResponse.objects.bulk_create(rows)
    EvaluationAnswer.objects.bulk_create(answers, batch_size=2000)
    return children


def test_the_summary_takes_a_fixed_number_of_queries(client, series, office, coordinator):
    client.force_login(coordinator)
    _big_series(series, office, coordinator, sessions=4, responses=40)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("evaluation_summary", args=[series.pk])).status_code == 200
    other = f.parent(name="Big series", year=2026, coordinators=[coordinator])
    _big_series(other, office, coordinator, sessions=52, responses=2000)
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as big:
        response = client.get(reverse("evaluation_summary", args=[other.pk]))
    elapsed = time.perf_counter() - began
    assert response.status_code == 200
    assert 'data-figure="responses">2000<' in response.content.decode()
    print(
        f"summary of 52 sessions and 2,000 responses: {elapsed * 1000:.0f} ms, "
        f"{len(big.captured_queries)} queries"
    )
    assert len(big.captured_queries) == len(small.captured_queries) <= 12


def test_the_sessions_table_shows_each_sessions_figures(client, series, coordinator, example):
    """The table's rows are built in Python (credit/views/evaluations.py `sessions_html`)."""
    import re

    a, b = example
    client.force_login(coordinator)
    html = client.get(reverse("evaluation_summary", args=[series.pk])).content.decode()

    def cells(child):
        row = re.search(rf'<tr data-child="{child.pk}">(.*?)</tr>', html).group(1)
        return re.findall(r"<td[^>]*>(.*?)</td>", row)

    assert cells(a) == [
        "Mar 12, 2026",
        "Sepsis bundles",
        "4",
        "3",
        "75.0%",
        "4.33",
        "2.33",
    ]
    # One response: its rate is shown, its means never (anonymity, MIN_GROUP).
    assert cells(b)[2:] == ["2", "1", "50.0%", "–", "–"]


def test_a_voided_claim_shows_at_once_despite_the_cache(client, series, coordinator, example):
    """The cached summary's signature counts voided claims too (an undone attendance import
    voids them): the next load shows the new count."""
    from django.utils import timezone

    a, _b = example
    client.force_login(coordinator)
    url = reverse("evaluation_summary", args=[series.pk])
    assert 'data-figure="claims">6<' in client.get(url).content.decode()
    Claim.objects.filter(pk=Claim.objects.filter(child=a).order_by("pk").values("pk")[:1]).update(
        voided_at=timezone.now()
    )
    assert 'data-figure="claims">5<' in client.get(url).content.decode()
