"""The disclosure form (SPEC §5): signed in or through the personal link, and what it records."""

from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from activities.rules import ChildStatus
from disclosures.links import SALT, disclosure_link, disclosure_token
from disclosures.models import Company, Disclosure, FinancialRelationship
from disclosures.rules import CoiStatus, Nature
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = "/disclosure/"


def rows(*relationships, extra=0):
    """POST data for the relationship formset: (company, nature, ended) triples."""
    data = {"rel-TOTAL_FORMS": str(len(relationships) + extra), "rel-INITIAL_FORMS": "0"}
    for i, (company, nature, ended) in enumerate(relationships):
        data[f"rel-{i}-company_name"] = company
        data[f"rel-{i}-nature"] = nature
        data[f"rel-{i}-state"] = "ended" if ended else "ongoing"
    for i in range(len(relationships), len(relationships) + extra):
        data[f"rel-{i}-state"] = "ongoing"
    return data


def answers(*relationships, nothing=False, owner="no", employee="no", attested=True, extra=1):
    data = rows(*relationships, extra=extra)
    data.update({"is_owner": owner, "is_employee": employee})
    if nothing:
        data["nothing_to_disclose"] = "on"
    if attested:
        data["attested"] = "on"
    return data


def link_url(person):
    return f"{URL}?t={quote(disclosure_token(person))}"


# --- reaching the form ------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_without_a_link_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/disclosure/" in response["Location"]


def test_it_shows_the_signed_in_persons_own_form(client, speaker):
    client.force_login(speaker)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Smith" in body and "jsmith@example.org" in body
    assert "Disclosure: NO DISCLOSURE ON FILE" in body
    assert "ineligible company" in body and "past 24 months" in body
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_redirects_the_manuals_address_to_the_form(client):
    response = client.get("/Form.aspx?FormID=42")
    assert response.status_code == 301
    assert response["Location"] == URL
    assert client.get("/form.aspx?FormID=42").status_code == 301
    assert client.get("/Form.aspx?FormID=7").status_code == 404


def test_it_keeps_a_personal_link_through_the_legacy_address(client, speaker):
    token = disclosure_token(speaker)
    response = client.get(f"/Form.aspx?FormID=42&t={quote(token)}")
    assert response["Location"] == f"{URL}?t={quote(token, safe='')}"


def test_it_opens_the_form_of_the_links_person_without_signing_in(client, speaker):
    assert disclosure_link(speaker).startswith("https://rss.example.org/disclosure/?t=")
    response = client.get(link_url(speaker))
    assert response.status_code == 200
    assert "Smith" in response.content.decode()


def test_it_refuses_a_tampered_link_without_naming_anyone(client, speaker):
    token = disclosure_token(speaker)
    forged = signing.TimestampSigner(salt="another-salt").sign_object({"p": speaker.pk, "e": "x"})
    for bad in (token[:-3] + "abc", "garbage", forged, token.replace(":", "", 1)):
        response = client.get(f"{URL}?t={quote(bad)}")
        assert response.status_code == 400, bad
        body = response.content.decode()
        assert "not valid" in body
        assert "Smith" not in body and "jsmith" not in body
    assert client.post(f"{URL}?t=garbage", answers(nothing=True)).status_code == 400
    assert not Disclosure.objects.exists()


def test_it_refuses_an_expired_link(client, speaker):
    with time_machine.travel(timezone.now() - timedelta(days=31), tick=False):
        token = disclosure_token(speaker)
    response = client.get(f"{URL}?t={quote(token)}")
    assert response.status_code == 400
    body = response.content.decode()
    assert "expired" in body and "Smith" not in body
    response = client.post(f"{URL}?t={quote(token)}", answers(nothing=True))
    assert response.status_code == 400
    assert not Disclosure.objects.exists()


def test_a_link_still_works_on_its_last_day(client, speaker):
    with time_machine.travel(timezone.now() - timedelta(days=29, hours=23), tick=False):
        token = disclosure_token(speaker)
    assert client.get(f"{URL}?t={quote(token)}").status_code == 200


def test_a_link_can_be_used_again_until_it_expires(client, speaker):
    url = link_url(speaker)
    assert client.post(url, answers(nothing=True)).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        response = client.post(url, answers(("Acme Pharma", Nature.CONSULTANT, False)))
    assert response.status_code == 302
    assert Disclosure.objects.filter(person=speaker).count() == 2
    latest = Disclosure.objects.filter(person=speaker).latest()
    assert [r.company_name for r in latest.relationships.all()] == ["Acme Pharma"]


def test_a_link_dies_when_the_persons_address_changes(client, speaker):
    url = link_url(speaker)
    speaker.email = "jane.smith@example.org"
    speaker.save()
    response = client.get(url)
    assert response.status_code == 400
    assert "no longer valid" in response.content.decode()


def test_a_link_of_a_merged_duplicate_opens_the_kept_account(client, speaker):
    duplicate = f.person(last_name="Smith", email="jsmith@med.example.org")
    url = link_url(duplicate)
    duplicate.merged_into = speaker
    duplicate.is_active = False
    duplicate.save()
    response = client.post(url, answers(nothing=True))
    assert response.status_code == 302
    assert Disclosure.objects.get().person == speaker


def test_someone_elses_link_shows_nothing_of_them_to_a_signed_in_person(client, speaker):
    other = f.person(last_name="Otherperson", email="other@example.org")
    client.force_login(other)
    url = link_url(speaker)
    response = client.get(url)
    assert response.status_code == 403
    body = response.content.decode()
    assert "someone else" in body and "Sign out and open the link" in body
    assert "Smith" not in body and "jsmith" not in body
    assert client.post(url, answers(nothing=True)).status_code == 403
    assert not Disclosure.objects.exists()


def test_signing_out_from_the_mismatch_page_returns_to_the_link(client, speaker):
    other = f.person(email="other@example.org")
    client.force_login(other)
    url = link_url(speaker)
    response = client.post(reverse("logout"), {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200


def test_a_signed_in_person_may_use_their_own_link(client, speaker):
    client.force_login(speaker)
    assert client.get(link_url(speaker)).status_code == 200


# --- submitting -------------------------------------------------------------------------------


def test_it_records_relationships_and_recomputes_the_persons_sessions(client, speaker, series):
    child = f.child(series)
    assignment = f.assign(child, speaker)
    assert assignment.coi_status == CoiStatus.INCOMPLETE
    Company.objects.create(name="Acme Pharma")
    response = client.post(
        link_url(speaker),
        answers(
            ("acme  pharma", Nature.CONSULTANT, False),
            ("Bolt Devices", Nature.ADVISORY_BOARD, True),
        ),
    )
    assert response.status_code == 302 and response["Location"] == reverse("disclosure_done")
    disclosure = Disclosure.objects.get(person=speaker)
    assert disclosure.submitted_by is None  # submitted through the link, not signed in
    rels = list(disclosure.relationships.order_by("company_name"))
    assert [(r.company_name, r.nature, r.has_ended) for r in rels] == [
        ("Acme Pharma", Nature.CONSULTANT, False),  # matched to the maintained list
        ("Bolt Devices", Nature.ADVISORY_BOARD, True),
    ]
    assert rels[0].company is not None and rels[1].company is None
    assignment.refresh_from_db()
    child.refresh_from_db()
    assert assignment.coi_status == CoiStatus.NEEDS_REVIEW
    assert child.status == ChildStatus.IN_REVIEW

    done = client.get(response["Location"])
    body = done.content.decode()
    assert "Acme Pharma (Consultant); Bolt Devices (Advisory board)" in body
    assert child.name in body and "NEEDS REVIEW" in body


def test_it_records_nothing_to_disclose_for_the_signed_in_person(client, speaker, series):
    child = f.child(series)
    f.assign(child, speaker)
    client.force_login(speaker)
    response = client.post(URL, answers(nothing=True))
    assert response.status_code == 302
    disclosure = Disclosure.objects.get(person=speaker)
    assert disclosure.nothing_to_disclose and disclosure.submitted_by == speaker
    child.refresh_from_db()
    assert child.status == ChildStatus.PENDING
    assert "Nothing to disclose" in client.get(reverse("disclosure_done")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (answers(nothing=True, attested=False), "Confirm the attestation"),
        (answers(), "List at least one relationship"),
        (answers(("Acme", Nature.CONSULTANT, False), nothing=True), "remove them or untick"),
        (answers(("Acme", "", False)), "Choose the nature"),
        (answers(("", Nature.CONSULTANT, False)), "Enter the company"),
        (answers(("Acme", "bribery", False)), "Select a valid choice"),
        (answers(("Acme", Nature.CONSULTANT, False), owner="yes"), "list that company"),
        (answers(("Acme", Nature.EMPLOYEE, False), employee="no"), "correct one of them"),
        ({**answers(nothing=True), "is_owner": ""}, "This field is required"),
    ],
    ids=[
        "no-attestation",
        "empty",
        "contradiction",
        "no-nature",
        "no-company",
        "bad-nature",
        "owner-not-listed",
        "employee-answer-contradicts",
        "question-unanswered",
    ],
)
def test_it_shows_errors_in_the_form_and_saves_nothing(client, speaker, data, message):
    response = client.post(link_url(speaker), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Disclosure.objects.exists()
    assert not FinancialRelationship.objects.exists()


def test_an_owner_answer_with_the_owner_row_is_accepted(client, speaker):
    data = answers(("Acme", Nature.OWNER, False), owner="yes")
    assert client.post(link_url(speaker), data).status_code == 302
    assert Disclosure.objects.get().relationships.get().nature == Nature.OWNER


def test_the_add_row_button_keeps_the_answers_and_saves_nothing(client, speaker):
    data = answers(("Acme", Nature.CONSULTANT, False), extra=0)
    data["add_row"] = "1"
    response = client.post(link_url(speaker), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="rel-TOTAL_FORMS" value="2"' in body
    assert 'name="rel-1-company_name"' in body and 'value="Acme"' in body
    assert "Confirm the attestation" not in body
    assert not Disclosure.objects.exists()


def test_it_prefills_the_previous_relationships(client, speaker):
    f.disclosure(speaker, relationships=[("Acme Pharma", Nature.CONSULTANT)])
    client.force_login(speaker)
    body = client.get(URL).content.decode()
    assert 'value="Acme Pharma"' in body
    assert "Disclosure: Acme Pharma (Consultant)" in body


def test_a_double_click_records_one_disclosure(client, speaker):
    url = link_url(speaker)
    data = answers(("Acme", Nature.CONSULTANT, False))
    client.post(url, data)
    client.post(url, data)
    assert Disclosure.objects.filter(person=speaker).count() == 1


def test_the_confirmation_page_needs_a_submission_from_this_browser(client, speaker):
    assert client.get(reverse("disclosure_done"))["Location"] == URL


def test_it_refuses_wrong_methods(client, speaker):
    client.force_login(speaker)
    assert client.put(URL).status_code == 405
    assert client.post(reverse("disclosure_done")).status_code == 405


def test_the_token_is_signed_with_its_own_salt(speaker):
    token = disclosure_token(speaker)
    data = signing.TimestampSigner(salt=SALT).unsign_object(token)
    assert data == {"p": speaker.pk, "e": speaker.email}


def test_it_shows_every_error_at_once(client, speaker):
    data = answers(("Acme", Nature.EMPLOYEE, False), employee="no", attested=False)
    body = client.post(link_url(speaker), data).content.decode()
    assert "Confirm the attestation" in body and "correct one of them" in body
    assert not Disclosure.objects.exists()


def test_the_same_relationship_typed_twice_is_recorded_once(client, speaker):
    data = answers(("Acme", Nature.CONSULTANT, False), ("ACME ", Nature.CONSULTANT, False))
    assert client.post(link_url(speaker), data).status_code == 302
    assert FinancialRelationship.objects.count() == 1
