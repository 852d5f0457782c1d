"""Dashboard paging: the total comes with the rows (issue 8), and pages past the end behave as
Django's `Paginator.get_page` does (the last page; page 1 for garbage)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from tests.personas import login

pytestmark = pytest.mark.django_db


def shown(response) -> list[int]:
    return [int(x) for x in re.findall(rb'id="child-row-(\d+)"', response.content)]


@pytest.fixture
def thirty(series):
    base = timezone.now() + timedelta(days=1)
    return [
        f.child(series, start=base + timedelta(minutes=i), recompute=False).pk for i in range(30)
    ]


@pytest.mark.parametrize(
    ("number", "expected"),
    [("1", slice(0, 25)), ("2", slice(25, 30)), ("9", slice(25, 30)), ("x", slice(0, 25))],
)
def test_it_pages_like_the_paginator(client, coordinator, thirty, number, expected):
    login(client, coordinator)
    response = client.get(f"/dashboard/?per_page=25&page={number}")
    assert response.status_code == 200
    assert shown(response) == thirty[expected]
    assert b" of 30" in response.content


def test_it_says_nothing_found_on_an_empty_search(client, coordinator, thirty):
    login(client, coordinator)
    response = client.get("/dashboard/?q=nothing-matches-this&page=3")
    assert response.status_code == 200
    assert shown(response) == []
