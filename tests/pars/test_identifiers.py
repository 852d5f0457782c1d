"""Learner identifiers with consent: NPI, birth month and day, license, board IDs, each with the
learner's permission and its date; the claim pages ask once for what a series needs."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from credit.models import Claim, ClaimChannel
from credit.pars.codes import Board
from credit.pars.models import BoardIdentifier, LearnerIdentity
from tests import factories as f
from tests.pars.conftest import complete, npi, register_moc

pytestmark = pytest.mark.django_db
URL = reverse("my_identifiers")


def form(**extra):
    return {
        "birth_month": "4",
        "birth_day": "12",
        "license_state": "",
        "license_number": "",
        "npi": "",
        **extra,
    }


def test_a_learner_records_ids_and_each_permission_with_its_date(client, learner):
    client.force_login(learner)
    with time_machine.travel("2026-03-01 10:00Z", tick=False):
        response = client.post(
            URL,
            form(
                npi=npi(),
                license_state="MI",
                license_number="4301012345",
                state_consent="on",
                id_ABIM="123456",
                consent_ABIM="on",
                id_ABP="777",
            ),
        )
    assert response.status_code == 302
    who = LearnerIdentity.objects.get(person=learner)
    assert (who.npi, who.birth_month, who.birth_day, who.license_state) == (npi(), 4, 12, "MI")
    assert who.state_consent_at.isoformat().startswith("2026-03-01T10:00")
    ids = {b.board: b for b in BoardIdentifier.objects.filter(person=learner)}
    assert ids["ABIM"].consent_at is not None and ids["ABP"].consent_at is None

    # Saving again later keeps the date permission was first given; unticking takes it back.
    with time_machine.travel("2026-06-01 10:00Z", tick=False):
        client.post(
            URL,
            form(
                npi=npi(),
                license_state="MI",
                license_number="4301012345",
                state_consent="on",
                id_ABIM="123456",
            ),
        )
    who.refresh_from_db()
    assert who.state_consent_at.isoformat().startswith("2026-03-01T10:00")
    abim = BoardIdentifier.objects.get(person=learner, board="ABIM")
    assert abim.consent_at is None
    assert abim.history.count() == 2  # audited
    assert not BoardIdentifier.objects.filter(person=learner, board="ABP").exists()


@pytest.mark.parametrize(
    "data, error",
    [
        (form(npi="1234567890"), "This is not a valid NPI"),
        (form(npi="12345"), "This is not a valid NPI"),
        (form(birth_month="2", birth_day="30"), "That day does not exist in that month."),
        (form(birth_month="", birth_day="3"), "Give both the month and the day"),
        (form(license_number="123"), "Which state issued the license?"),
    ],
)
def test_bad_identifiers_are_refused_and_nothing_changes(client, learner, data, error):
    client.force_login(learner)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not LearnerIdentity.objects.exists()


@pytest.fixture
def moc_session(series, office):
    register_moc(complete(series), Board.ABIM)
    child = f.child(series, start=timezone.now() - timedelta(minutes=10))
    return child


def test_the_claim_pages_ask_once_for_what_a_moc_series_needs(client, learner, moc_session):
    Claim.objects.create(
        learner=learner, child=moc_session, channel=ClaimChannel.WEB, credit_hours=1
    )
    client.force_login(learner)
    result = client.get(reverse("claim_result", args=[moc_session.pk])).content.decode()
    assert 'id="identifiers-prompt"' in result and "ABIM" in result
    claim_page = client.get(reverse("claim", args=[moc_session.pk])).content.decode()
    assert 'id="identifiers-prompt"' in claim_page

    # "Not now": never asked again for ABIM.
    response = client.post(URL + "?ask=ABIM", {**form(), "decline": "1", "ask": "ABIM"})
    assert response.status_code == 302
    assert LearnerIdentity.objects.get(person=learner).asked == ["ABIM"]
    assert (
        'id="identifiers-prompt"'
        not in client.get(reverse("claim_result", args=[moc_session.pk])).content.decode()
    )


def test_a_learner_who_gave_the_id_is_not_asked(client, learner, moc_session):
    Claim.objects.create(
        learner=learner, child=moc_session, channel=ClaimChannel.WEB, credit_hours=1
    )
    BoardIdentifier.objects.create(person=learner, board="ABIM", board_id="1")
    client.force_login(learner)
    assert (
        'id="identifiers-prompt"'
        not in client.get(reverse("claim_result", args=[moc_session.pk])).content.decode()
    )


def test_series_without_moc_ask_nothing(client, learner, series):
    child = f.child(series, start=timezone.now() - timedelta(minutes=10))
    Claim.objects.create(learner=learner, child=child, channel=ClaimChannel.WEB, credit_hours=1)
    client.force_login(learner)
    assert (
        'id="identifiers-prompt"'
        not in client.get(reverse("claim_result", args=[child.pk])).content.decode()
    )


def test_the_office_fixes_a_learners_id_others_cannot(client, learner, office, coordinator):
    url = reverse("pars_learner_identifiers", args=[learner.pk])
    client.force_login(coordinator)
    assert client.get(url).status_code == 404
    client.force_login(office)
    assert client.get(url).status_code == 200
    assert client.post(url, form(id_ABIM="42", consent_ABIM="on")).status_code == 302
    assert BoardIdentifier.objects.get(person=learner).board_id == "42"


def test_the_prompt_leads_to_the_form_and_back_to_the_claim(client, learner, moc_session):
    import html
    import re

    Claim.objects.create(
        learner=learner, child=moc_session, channel=ClaimChannel.WEB, credit_hours=1
    )
    client.force_login(learner)
    result_url = reverse("claim_result", args=[moc_session.pk])
    page = client.get(result_url).content.decode()
    link = html.unescape(re.search(r'id="identifiers-prompt".*?href="([^"]+)"', page, re.S)[1])
    form_page = client.get(link).content.decode()
    assert 'name="ask" value="ABIM"' in form_page
    response = client.post(
        link, {**form(id_ABIM="123456", consent_ABIM="on"), "ask": "ABIM", "next": result_url}
    )
    assert response["Location"] == result_url
    assert BoardIdentifier.objects.get(person=learner).consent_at is not None
    assert 'id="identifiers-prompt"' not in client.get(result_url).content.decode()


def test_merging_two_accounts_keeps_one_set_of_identifiers(learner, admin):
    """Both accounts gave identifiers: the kept one's win, the duplicate's fill the gaps, and the
    merge goes through (a person has one set)."""
    from faculty.services_merge import person_merge

    duplicate = f.person(last_name="Learner", first_name="Lee", email="lee@med.example.org")
    LearnerIdentity.objects.create(person=learner, birth_month=4, birth_day=12)
    LearnerIdentity.objects.create(
        person=duplicate, npi=npi(), license_state="MI", license_number="43"
    )
    BoardIdentifier.objects.create(person=learner, board="ABIM", board_id="111")
    BoardIdentifier.objects.create(person=duplicate, board="ABIM", board_id="999")
    BoardIdentifier.objects.create(person=duplicate, board="ABP", board_id="222")
    result = person_merge(keep=learner, duplicate=duplicate, by=admin)
    who = LearnerIdentity.objects.get(person=learner)
    assert (who.birth_month, who.npi, who.license_number) == (4, npi(), "43")
    ids = dict(BoardIdentifier.objects.filter(person=learner).values_list("board", "board_id"))
    assert ids == {"ABIM": "111", "ABP": "222"}
    assert not LearnerIdentity.objects.filter(person=duplicate).exists()
    assert not BoardIdentifier.objects.filter(person=duplicate).exists()
    assert any("ABP" in note for note in result.notes)
