"""One person per human (SPEC §16): a new account that resembles an existing person is held
for the office, who decides "different people" (remembered) or "same person"."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from credit.services_phone_links import start_phone_link
from faculty.models import DistinctPeople, LikelyDuplicate, Person
from faculty.rules_duplicates import Identity, match_reasons
from faculty.selectors_duplicates import likely_duplicates, register_matcher, unregister_matcher
from faculty.services_duplicates import HoldError, hold_decide, person_admit
from rss_dashboard.models import OutboxEmail
from tests import factories as f
from tests.browser_checks import assert_valid_html

REGISTER = "/accounts/register/"


# --- the rule, without the database ------------------------------------------------------------


@pytest.mark.parametrize(
    "applicant, reasons",
    [
        (Identity("jdoe@gmail.com", "Doe", "Jane"), ["name_email"]),
        (Identity("JDoe+cme@Mayo.edu", "DOE", "jane a."), ["name_email"]),
        (Identity("jdoe@gmail.com", "Doé", "Jane"), ["name_email"]),
        (Identity("jane.doe@gmail.com", "Doe", "Jane"), []),  # another mailbox name
        (Identity("jdoe@gmail.com", "Doe", "John"), []),  # another first name
        (Identity("x@y.org", "Doe", "Jane", birth_month=4, birth_day=12), ["name_birthday"]),
        (Identity("x@y.org", "Doe", "Jane", birth_month=4, birth_day=13), []),
        (Identity("x@y.org", "Roe", "Ray", npi="1234567893"), ["npi"]),
    ],
)
def test_the_rule(applicant, reasons):
    known = Identity("jdoe@umich.edu", "Doe", "Jane", "1234567893", 4, 12)
    assert match_reasons(applicant, known) == reasons


def test_the_same_address_is_not_a_likely_duplicate_but_the_account():
    same = Identity("jdoe@umich.edu", "Doe", "Jane")
    assert match_reasons(same, same) == []


# --- the paths that create people --------------------------------------------------------------


@pytest.fixture
def jane(db):
    return f.person(email="jdoe@umich.edu", last_name="Doe", first_name="Jane")


def register(client, **data):
    form = {
        "email": "jdoe@gmail.com",
        "first_name": "Jane",
        "last_name": "Doe",
        "credentials": "RN",
        "profession": "nurse",
        "password1": "a-long-unusual-passphrase-42",
        "password2": "a-long-unusual-passphrase-42",
    }
    return client.post(REGISTER, {**form, **data})


def test_registration_is_held_and_says_what_happens_next(client, jane):
    people = Person.objects.count()
    response = register(client)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="held"' in page
    assert "will compare the two and email" in page and "jdoe@gmail.com" in page
    assert_valid_html(page, page_name="registration held for the office")
    assert Person.objects.count() == people
    assert client.get("/transcript/").status_code == 302  # nobody signed in
    hold = LikelyDuplicate.objects.get()
    assert (hold.candidate, hold.source, hold.reasons) == (jane, "register", ["name_email"])
    assert hold.password_hash and "passphrase" not in hold.password_hash
    office = OutboxEmail.objects.get(kind="likely_duplicate_office")
    assert "jdoe@gmail.com" in office.text_body

    # Asking again does not make a second hold.
    register(client)
    assert LikelyDuplicate.objects.count() == 1


def test_different_people_creates_the_account_and_remembers_the_pair(client, jane, office):
    register(client)
    hold = LikelyDuplicate.objects.get()
    hold_decide(hold_id=hold.pk, same_person=False, by=office, note="Two Jane Does")
    created = Person.objects.get(email="jdoe@gmail.com")
    assert created.check_password("a-long-unusual-passphrase-42")  # the password they chose
    assert (created.credentials, created.profession) == ("RN", "nurse")
    hold.refresh_from_db()
    assert (hold.state, hold.created_person, hold.decided_by) == ("different", created, office)
    assert DistinctPeople.objects.filter(person_a=jane, person_b=created).exists()
    told = OutboxEmail.objects.get(kind="likely_duplicate_decided")
    assert "created it" in told.text_body and "jdoe@gmail.com" in told.to

    # Remembered: checked again, the pair is never held again; a third lookalike still is.
    again = Identity(created.email, created.last_name, created.first_name)
    assert likely_duplicates(again) and not likely_duplicates(again, person_id=created.pk)
    assert client.login(username="jdoe@gmail.com", password="a-long-unusual-passphrase-42")


def test_same_person_creates_nothing_and_fills_the_gaps(client, jane, office):
    register(client)
    hold = LikelyDuplicate.objects.get()
    hold_decide(hold_id=hold.pk, same_person=True, by=office)
    assert not Person.objects.filter(email="jdoe@gmail.com").exists()
    jane.refresh_from_db()
    assert (jane.credentials, jane.profession) == ("RN", "nurse")
    told = OutboxEmail.objects.get(kind="likely_duplicate_decided")
    assert "you already have one, jdoe@umich.edu" in told.text_body
    with pytest.raises(HoldError) as err:
        hold_decide(hold_id=hold.pk, same_person=False, by=office)
    assert err.value.code == "decided"


def test_only_the_office_decides(jane, coordinator):
    hold = person_admit(
        source="register", email="jdoe@gmail.com", last_name="Doe", first_name="Jane"
    ).hold
    with pytest.raises(HoldError) as err:
        hold_decide(hold_id=hold.pk, same_person=False, by=coordinator)
    assert err.value.code == "forbidden"


def test_the_text_message_link_registration_gets_its_phone_after_the_decision(client, jane, office):
    phone = "+17345550142"
    started = start_phone_link(phone=phone, email="jdoe@gmail.com", now=timezone.now())
    response = register(client, phone_token=started.register_token)
    assert 'id="held"' in response.content.decode()
    hold = LikelyDuplicate.objects.get()
    assert hold.source == "sms_register"
    hold_decide(hold_id=hold.pk, same_person=True, by=office)
    jane.refresh_from_db()
    assert jane.mobile_phone == phone  # the phone the link proved, on the account they have


def test_manage_faculty_holds_a_lookalike(client, coordinator, child, office, jane):
    client.force_login(coordinator)
    url = reverse("faculty_person_new", args=[child.pk])
    response = client.post(
        url,
        {"email": "jdoe@mayo.edu", "last_name": "Doe", "first_name": "Jane"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert 'id="held-person"' in page and "jdoe@umich.edu" in page
    assert_valid_html(page, page_name="Manage Faculty: a new person held")
    assert not Person.objects.filter(email="jdoe@mayo.edu").exists()
    hold = LikelyDuplicate.objects.get()
    assert (hold.source, hold.requested_by, hold.details) == (
        "manage_faculty",
        coordinator,
        {"child_id": child.pk},
    )
    mail.outbox.clear()
    hold_decide(hold_id=hold.pk, same_person=False, by=office)
    to_coordinator = next(e for e in OutboxEmail.objects.all() if coordinator.email in e.to)
    assert "created the account jdoe@mayo.edu" in to_coordinator.text_body


def test_an_identifier_kept_by_another_app_joins_the_check(client, jane):
    """The seam for NPI and birth month/day (PARS identifiers): one registered function."""

    def birthdays(applicant):
        if (applicant.birth_month, applicant.birth_day) == (4, 12):
            return {jane.pk: Identity(jane.email, jane.last_name, jane.first_name, "", 4, 12)}
        return {}

    register_matcher(birthdays)
    try:
        admitted = person_admit(
            source="register",
            email="jane.d@example.org",
            last_name="Doe",
            first_name="Jane",
            birth_month=4,
            birth_day=12,
        )
        assert admitted.hold.reasons == ["name_birthday"]
        other = person_admit(
            source="register", email="j.d@example.org", last_name="Doe", first_name="Jane"
        )
        assert other.person is not None  # no birthday, another mailbox name: created
    finally:
        unregister_matcher(birthdays)


# --- the office's queue -------------------------------------------------------------------------


def test_the_queue_shows_both_records_side_by_side(client, jane, office, coordinator):
    register(client)
    hold = LikelyDuplicate.objects.get()
    client.force_login(office)
    listing = client.get(reverse("admin:faculty_likelyduplicate_changelist")).content.decode()
    assert "jdoe@gmail.com" in listing and "jdoe@umich.edu" in listing
    page = client.get(reverse("admin:faculty_likelyduplicate_change", args=[hold.pk]))
    html = page.content.decode()
    assert 'id="side-by-side"' in html and "the same name and the same email before the @" in html
    response = client.post(
        reverse("admin:faculty_likelyduplicate_change", args=[hold.pk]),
        {"decision": "different", "note": "Checked with both"},
    )
    assert response.status_code == 302
    assert Person.objects.filter(email="jdoe@gmail.com").exists()

    client.force_login(coordinator)
    assert client.get(reverse("admin:faculty_likelyduplicate_changelist")).status_code == 302
