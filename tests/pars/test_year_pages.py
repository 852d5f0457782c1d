"""The office's year: every series with what it lacks (one table, filterable), the program
summary and the year-end checklist."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from credit.pars.models import CommercialSupport, ReportingYear
from faculty.models import Profession
from tests import factories as f
from tests.pars.conftest import AFTER_THE_YEAR, YEAR, attend, complete, people, sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client, office):
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        client.force_login(office)
        yield client


@pytest.fixture
def year(series):
    surgery = f.department("Surgery")
    ready = series
    attend(people(2, Profession.PHYSICIAN, "doc"), sessions(ready, 3))
    complete(ready)
    no_description = f.parent(name="Surgery Tumor Board", year=YEAR, department=surgery)
    sessions(no_description, 2)
    complete(no_description, description="")
    empty = f.parent(name="Pediatrics Case Conference", year=YEAR)
    sessions(empty, 1)
    f.parent(name="Next Year Rounds", year=YEAR + 1)
    return {"ready": ready, "no_description": no_description, "empty": empty, "surgery": surgery}


def rows(response):
    import re

    return re.findall(r'data-parent="(\d+)" data-ready="(yes|no)"', response.content.decode())


def test_every_series_of_the_year_with_what_it_lacks(office_client, year):
    response = office_client.get(reverse("pars_year", args=[YEAR]))
    assert response.status_code == 200
    found = dict(rows(response))
    assert found == {
        str(year["ready"].pk): "yes",
        str(year["no_description"].pk): "no",
        str(year["empty"].pk): "no",
    }
    text = response.content.decode()
    assert "<strong>1</strong> of 3 series ready to close" in text
    assert "Description is missing." in text


@pytest.mark.parametrize(
    "query, expected",
    [
        ("ready=ready", {"ready"}),
        ("ready=not_ready", {"no_description", "empty"}),
        ("topic=description", {"no_description", "empty"}),
        ("topic=providership", {"empty"}),
        ("q=tumor", {"no_description"}),
        ("department=SURGERY", {"no_description"}),
        ("ready=bogus&topic=nonsense&department=x", {"ready", "no_description", "empty"}),
    ],
)
def test_the_table_filters(office_client, year, query, expected):
    query = query.replace("SURGERY", str(year["surgery"].pk))
    found = {
        pk for pk, _ in rows(office_client.get(reverse("pars_year", args=[YEAR]) + "?" + query))
    }
    assert found == {str(year[name].pk) for name in expected}


def test_the_year_page_takes_the_same_queries_for_3_or_30_series(
    office_client, year, django_assert_max_num_queries
):
    url = reverse("pars_year", args=[YEAR])
    with django_assert_max_num_queries(14) as few:
        office_client.get(url)
    for i in range(27):
        p = f.parent(name=f"Series {i:02}", year=YEAR)
        complete(p)
        attend(people(1, Profession.NURSE, f"n{i}x"), sessions(p, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = office_client.get(url)
    assert len(rows(response)) == 30


def test_only_the_office_sees_the_year(client, year, coordinator, admin):
    url = reverse("pars_year", args=[YEAR])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(coordinator)
    assert client.get(url).status_code == 404
    client.force_login(admin)
    assert client.get(url).status_code == 200
    assert client.get(reverse("pars_year", args=[1999])).status_code == 404


def test_the_program_summary_adds_up_the_year_and_keeps_the_income(office_client, year):
    report = complete(year["ready"], commercial_support="yes")
    CommercialSupport.objects.create(
        report=report, source="Acme", kind="monetary", amount=Decimal("2500")
    )
    url = reverse("pars_summary", args=[YEAR])
    page = office_client.get(url).content.decode()
    assert 'data-figure="activities">3<' in page
    assert 'data-figure="hours">6.00<' in page
    assert 'data-figure="physicians">6<' in page
    assert 'data-figure="support">2500.00<' in page
    data = {
        "advertising_exhibits": "1200",
        "registration_fees": "0",
        "grants": "5000",
        "donations": "300",
        "other_income": "0",
        "expenses": "9000",
        "summary_submitted_on": "2027-03-02",
    }
    assert office_client.post(url, data).status_code == 302
    saved = ReportingYear.objects.get(year=YEAR)
    assert (saved.grants, saved.donations, str(saved.summary_submitted_on)) == (
        5000,
        300,
        "2027-03-02",
    )
    bad = office_client.post(url, {**data, "grants": "-5"})
    assert bad.status_code == 200 and "cannot be negative" in bad.content.decode()
    assert ReportingYear.objects.get(year=YEAR).grants == 5000


def test_the_year_end_checklist_shows_acmes_deadlines(office_client, year):
    page = office_client.get(reverse("pars_checklist", args=[YEAR])).content.decode()
    assert "Wednesday, March 31, 2027" in page
    assert "1 of 3 series ready." in page
    assert "within 30 days" in page and "December 31, 2026" in page
    assert page.count('data-done="no"') >= 3


@pytest.mark.parametrize(
    "today, year", [("2027-02-10", 2026), ("2027-04-01", 2027), ("2027-05-10", 2027)]
)
def test_the_office_home_opens_the_year_being_closed(client, office, today, year):
    with time_machine.travel(f"{today} 12:00Z", tick=False):
        client.force_login(office)
        assert client.get(reverse("pars_home"))["Location"] == reverse("pars_year", args=[year])
