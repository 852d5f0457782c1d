"""Reports: attendance per child, per-series summary, the yearly PARS-shaped report; who may see."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from activities.models import ChildActivity
from activities.rules import ChildStatus
from credit.selectors_reports import csv_cell, pars_activity
from faculty.models import Profession
from tests import factories as f
from tests.pars.conftest import FIRST, attend, people, sessions  # the year's builders

pytestmark = pytest.mark.django_db


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def known(series):
    """20 physicians at all 52 approved sessions; 7 nurses and 3 people without a profession at
    10 of them; noise that must not count: a pending session, a rejected one, a deactivated one,
    and another series."""
    physicians = people(20, Profession.PHYSICIAN, "doc")
    nurses = people(7, Profession.NURSE, "nurse")
    unknown = people(3, "", "anon")
    weekly = sessions(series, 52)
    attend(physicians, weekly)
    attend(nurses + unknown, weekly[:10])
    pending = sessions(series, 1, ChildStatus.PENDING, start=FIRST + timedelta(hours=3))
    attend(physicians, pending, awarded=False)
    rejected = sessions(series, 1, ChildStatus.REJECTED, start=FIRST + timedelta(hours=5))
    attend(physicians[:5], rejected, awarded=True)
    gone = sessions(series, 1, start=FIRST + timedelta(hours=7))
    attend(physicians, gone)
    ChildActivity.objects.filter(pk=gone[0].pk).update(is_active=False)
    other = f.parent(name="Surgery Grand Rounds", year=2026)
    attend(physicians, sessions(other, 3))
    return {"weekly": weekly, "pending": pending[0], "rejected": rejected[0]}


def test_it_counts_learners_once_per_session_attended(series, known):
    pars = pars_activity(series)
    assert pars.physicians == 20 * 52 == 1040
    assert pars.other_learners == 10 * 10 == 100
    assert pars.sessions == 52
    assert pars.hours_of_instruction == Decimal("52.00")
    assert (pars.first_session.isoformat(), pars.last_session.isoformat()) == (
        "2026-01-08",
        "2026-12-31",
    )
    assert pars.pending == 20


def test_it_downloads_the_pars_csv(client, coordinator, series, known):
    client.force_login(coordinator)
    response = client.get(f"/parents/{series.pk}/reports/pars.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="pars-{series.pk}-2026.csv"'
    header, row = rows_of(response)
    record = dict(zip(header, row, strict=True))
    assert record["Activity ID"] == str(series.pk)
    assert record["Activity Title"] == "Medicine Grand Rounds"
    assert record["Activity Type"] == "Regularly Scheduled Series (RSS)"
    assert record["Number of Physician Learners"] == "1040"
    assert record["Number of Other Learners"] == "100"
    assert record["Sessions"] == "52"
    assert record["Hours of Instruction"] == "52.00"
    assert record["Designated for AMA PRA Category 1 Credit"] == "Yes"


def test_it_downloads_the_series_summary(client, owner, series, known):
    client.force_login(owner)
    response = client.get(f"/parents/{series.pk}/reports/summary.csv")
    rows = rows_of(response)
    header = rows[0]
    by_id = {int(r[0]): dict(zip(header, r, strict=True)) for r in rows[1:]}
    first = by_id[known["weekly"][0].pk]
    assert (first["Claims"], first["Physicians"], first["Other learners"]) == ("30", "20", "10")
    assert (first["Credit awarded"], first["Credit pending approval"]) == ("30", "0")
    assert by_id[known["pending"].pk]["Credit pending approval"] == "20"
    assert by_id[known["rejected"].pk]["No credit (not approved)"] == "5"
    assert by_id[known["rejected"].pk]["Credit awarded"] == "0"
    assert len(by_id) == 54  # the deactivated session is left out


def test_it_downloads_attendance_per_child(client, coordinator, known):
    child = known["weekly"][0]
    client.force_login(coordinator)
    response = client.get(f"/children/{child.pk}/attendance.csv")
    rows = rows_of(response)
    assert rows[0][:5] == ["Child ID", "Session", "Date", "Last name", "First name"]
    assert len(rows) == 1 + 30
    assert rows[1][3] == "Anon00"  # sorted by last name
    assert {r[7] for r in rows[1:]} == {"Physician", "Nurse", "Not given"}
    assert {r[11] for r in rows[1:]} == {"Credit awarded"}
    assert response["Content-Disposition"] == (
        f'attachment; filename="attendance-{child.pk}-2026-01-08.csv"'
    )


def test_it_shows_the_reports_page_with_links(client, coordinator, series, known):
    client.force_login(coordinator)
    page = client.get(f"/parents/{series.pk}/reports/").content.decode()
    assert f"/parents/{series.pk}/reports/pars.csv" in page
    assert f"/parents/{series.pk}/reports/summary.csv" in page
    assert f"/children/{known['weekly'][0].pk}/attendance.csv" in page
    assert 'data-figure="physicians">1040<' in page


def test_it_aggregates_in_a_fixed_number_of_queries(
    client, coordinator, series, known, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(9):
        client.get(f"/parents/{series.pk}/reports/")
    with django_assert_max_num_queries(5):
        client.get(f"/parents/{series.pk}/reports/pars.csv")
    with django_assert_max_num_queries(5):
        client.get(f"/parents/{series.pk}/reports/summary.csv")
    with django_assert_max_num_queries(5):
        client.get(f"/children/{known['weekly'][0].pk}/attendance.csv")


def test_it_neutralises_spreadsheet_formulas(client, coordinator, series):
    child = sessions(series, 1)[0]
    evil = f.person(last_name='=HYPERLINK("http://x")', first_name="+1", email="e@example.org")
    attend([evil], [child])
    client.force_login(coordinator)
    rows = rows_of(client.get(f"/children/{child.pk}/attendance.csv"))
    assert rows[1][3] == '\'=HYPERLINK("http://x")'
    assert rows[1][4] == "'+1"
    assert csv_cell("-2") == "'-2" and csv_cell("Smith") == "Smith"


PATHS = [
    "/parents/{p}/reports/",
    "/parents/{p}/reports/pars.csv",
    "/parents/{p}/reports/summary.csv",
    "/children/{c}/attendance.csv",
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("who", ["anonymous", "outsider", "learner", "office", "elsewhere"])
def test_others_get_404(client, request, series, path, who):
    child = sessions(series, 1)[0]
    if who == "elsewhere":
        elsewhere = f.person(last_name="Elsewhere")
        f.parent(year=2026, coordinators=[elsewhere])
        client.force_login(elsewhere)
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(path.format(p=series.pk, c=child.pk)).status_code == 404


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("who", ["coordinator", "owner", "admin"])
def test_coordinators_owners_and_administrators_may_read(client, request, series, path, who):
    child = sessions(series, 1)[0]
    user = f.administrator() if who == "admin" else request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(path.format(p=series.pk, c=child.pk)).status_code == 200
    assert client.post(path.format(p=series.pk, c=child.pk)).status_code == 405


def test_unknown_series_and_children_are_404_even_for_administrators(client):
    client.force_login(f.administrator())
    assert client.get("/parents/999999/reports/").status_code == 404
    assert client.get("/children/999999/attendance.csv").status_code == 404
