"""The series' PARS page: coordinators fill, the office completes and locks, owners read."""

import pytest
import time_machine
from django.urls import reverse

from credit.pars.models import MocRegistration, SeriesReport
from faculty.models import Profession
from tests.pars.conftest import AFTER_THE_YEAR, attend, complete, people, sessions

pytestmark = pytest.mark.django_db


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def filled(**extra):
    data = {
        "pars-description": "Weekly grand rounds on current evidence.",
        "pars-delivery": ["In-Person"],
        "pars-city": "Ann Arbor",
        "pars-state": "MI",
        "pars-country": "usa",
        "pars-providership": "Direct",
        "pars-designed": ["competence"],
        "pars-evaluated": ["competence"],
        "pars-commercial_support": "yes",
        "pars-cme_finder": "no",
        **management("support", total=1),
        "support-0-source": "Acme Pharmaceuticals",
        "support-0-kind": "monetary",
        "support-0-amount": "5000",
        **management("moc"),
    }
    data.update(extra)
    return data


def test_a_coordinator_fills_what_they_know_and_sees_what_is_missing(client, series, coordinator):
    url = reverse("parent_pars", args=[series.pk])
    client.force_login(coordinator)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Not ready to close" in text and "Description is missing." in text
    assert 'name="office-accme_activity_id"' not in text  # the office's part is read-only

    response = client.post(url, filled())
    assert response.status_code == 302
    report = SeriesReport.objects.get(parent=series)
    assert report.country == "USA" and report.delivery == ["In-Person"]
    assert report.supporters.get().amount == 5000
    text = client.get(url).content.decode()
    assert "Description is missing." not in text
    assert "No approved session yet" in text
    assert "The office has not checked and locked the PARS fields yet." in text


def test_a_coordinator_cannot_set_the_offices_part(client, series, coordinator):
    client.force_login(coordinator)
    data = filled(**{"office-accme_activity_id": "999", "office-state_boards": "on"})
    data.update({**management("moc", total=1), "moc-0-board": "ABIM", "moc-0-points": "12"})
    client.post(reverse("parent_pars", args=[series.pk]), data)
    report = SeriesReport.objects.get(parent=series)
    assert report.accme_activity_id == "" and not report.state_boards
    assert not MocRegistration.objects.exists()


def test_the_office_registers_moc_and_locks_then_coordinators_cannot_change_it(
    client, series, coordinator, office
):
    url = reverse("parent_pars", args=[series.pk])
    client.force_login(office)
    data = filled(**{"office-accme_activity_id": "202612345", "office-state_boards": "on"})
    data.update(
        {
            **management("moc", total=1),
            "moc-0-board": "ABIM",
            "moc-0-practice_areas": "Internal Medicine",
            "moc-0-credit_types": "Medical Knowledge",
            "moc-0-points": "52.25",
            "moc-0-fee": "No, it\u2019s free",
            "moc-0-registration": "Limited",
            "moc-0-url": "https://cme.example.org/gr",
            "moc-0-claim_date": "2027-01-31",
        }
    )
    assert client.post(url, data).status_code == 302
    moc = MocRegistration.objects.get()
    assert (moc.board, str(moc.points)) == ("ABIM", "52.25")
    assert SeriesReport.objects.get(parent=series).accme_activity_id == "202612345"
    assert (
        client.post(reverse("parent_pars_lock", args=[series.pk]), {"lock": "1"}).status_code == 302
    )
    assert SeriesReport.objects.get(parent=series).locked_at is not None

    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Locked by the office" in page and "Save PARS fields" not in page
    before = SeriesReport.objects.get(parent=series).description
    assert client.post(url, filled(**{"pars-description": "Changed"})).status_code == 403
    assert SeriesReport.objects.get(parent=series).description == before
    assert (
        client.post(reverse("parent_pars_lock", args=[series.pk]), {"lock": "0"}).status_code == 403
    )


def test_moc_points_must_be_in_quarter_steps(client, series, office):
    client.force_login(office)
    data = filled()
    data.update({**management("moc", total=1), "moc-0-board": "ABP", "moc-0-points": "10.1"})
    response = client.post(reverse("parent_pars", args=[series.pk]), data)
    assert response.status_code == 200
    assert "steps of 0.25" in response.content.decode()
    assert not SeriesReport.objects.filter(parent=series).exists()  # nothing saved


def test_a_description_over_2500_characters_is_refused(client, series, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("parent_pars", args=[series.pk]), filled(**{"pars-description": "x" * 2501})
    )
    assert response.status_code == 200
    assert not SeriesReport.objects.filter(parent=series).exists()


def test_owners_read_outsiders_get_404(client, series, owner, outsider):
    url = reverse("parent_pars", args=[series.pk])
    client.force_login(owner)
    page = client.get(url)
    assert page.status_code == 200 and "Save PARS fields" not in page.content.decode()
    assert client.post(url, filled()).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert not SeriesReport.objects.exists()


def test_the_page_shows_counts_from_claims_and_ready_once_complete(client, series, office):
    attend(people(3, Profession.PHYSICIAN, "doc"), sessions(series, 4))
    complete(series)
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        client.force_login(office)
        page = client.get(reverse("parent_pars", args=[series.pk])).content.decode()
    assert 'data-ready="yes"' in page
    assert 'data-figure="physicians">12<' in page
    assert 'data-figure="hours">4.00<' in page
