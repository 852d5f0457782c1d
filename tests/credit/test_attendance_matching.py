"""Matching a file's addresses to people in bulk (`match_emails`) agrees with the one-address
path it replaces (`faculty.services.find_person_by_email`), except that an address leading to two
accounts names both (for a coordinator to choose) instead of picking one; and its queries do not
grow with the number of addresses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credit.selectors_attendance import match_emails, name_suggestions
from faculty.models import EmailDomainAlias, Person
from faculty.services import find_person_by_email
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    EmailDomainAlias.objects.create(alias_domain="med.umich.edu", canonical_domain="umich.edu")
    EmailDomainAlias.objects.create(alias_domain="umich.org", canonical_domain="umich.edu")
    kept = f.person(email="kept@umich.edu", last_name="Kept")
    merged = f.person(email="old@med.umich.edu", last_name="Old")
    Person.objects.filter(pk=merged.pk).update(merged_into=kept, is_active=False)
    return {
        "plain": f.person(email="plain@umich.edu", last_name="Plain"),
        "on_alias": f.person(email="alias@med.umich.edu", last_name="Alias"),
        "kept": kept,
        "twice_canonical": f.person(email="twice@umich.edu", last_name="Twice"),
        "twice_alias": f.person(email="twice@med.umich.edu", last_name="Twice"),
    }


ADDRESSES = [
    "plain@umich.edu",
    "PLAIN@med.umich.edu",
    "plain@umich.org",
    "alias@umich.edu",
    "alias@umich.org",
    "old@med.umich.edu",
    "old@umich.edu",
    "nobody@umich.edu",
    "stranger@gmail.com",
]


def test_it_agrees_with_find_person_by_email(people):
    found = match_emails(a.lower() for a in ADDRESSES)
    for address in ADDRESSES:
        one = find_person_by_email(address)
        assert found[address.lower()] == ((one.pk,) if one else ()), address


def test_an_address_with_two_accounts_names_both(people):
    both = (people["twice_canonical"].pk, people["twice_alias"].pk)
    assert match_emails(["twice@umich.org"])["twice@umich.org"] == tuple(sorted(both))
    # The one-address path picks the canonical spelling silently; an import asks instead.
    assert find_person_by_email("twice@umich.org") == people["twice_canonical"]


def test_its_queries_do_not_grow_with_the_addresses(people):
    def queries(addresses):
        with CaptureQueriesContext(connection) as ctx:
            match_emails(addresses)
        return len(ctx)

    few = queries(ADDRESSES)
    many = queries([f"p{i}@umich.edu" for i in range(500)] + ADDRESSES)
    assert many == few


def test_names_only_suggest(people):
    f.person(email="jane.doe@umich.edu", last_name="Doe", first_name="Jane")
    f.person(email="john.doe@umich.edu", last_name="Doe", first_name="John")
    found = name_suggestions(["Jane Doe (Guest)", "J Doe", "Nobody Here"])
    assert [len(found["doe|jane"]), len(found["doe|j"]), found["here|nobody"]] == [1, 2, ()]
