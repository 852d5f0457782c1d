"""The PARS identifiers take part in the duplicate check (issue 19 item 3): the same NPI, or the
same name with the same birth month and day, makes a new account a likely duplicate."""

import pytest

from credit.pars.models import LearnerIdentity
from faculty.rules_duplicates import Identity
from faculty.selectors_duplicates import likely_duplicates
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    person = f.person(email="jane.doe@umich.edu", last_name="Doe", first_name="Jane")
    LearnerIdentity.objects.create(person=person, npi="1234567893", birth_month=4, birth_day=12)
    return person


def test_the_same_npi_is_a_likely_duplicate(known):
    applicant = Identity("someone@gmail.com", "Smith", "Pat", npi="1234567893")
    assert likely_duplicates(applicant) == [(known, ["npi"])]


def test_the_same_name_and_birthday_is_a_likely_duplicate(known):
    applicant = Identity("jd@gmail.com", "Doe", "Jane", birth_month=4, birth_day=12)
    [(person, reasons)] = likely_duplicates(applicant)
    assert person == known and "name_birthday" in reasons
    assert (
        likely_duplicates(Identity("jd@gmail.com", "Doe", "Jane", birth_month=4, birth_day=13))
        == []
    )
