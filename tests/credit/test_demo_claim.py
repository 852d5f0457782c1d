"""Done when: tried as a new user would, texting the demo session's Child ID from the demo phone
gives credit, a second text says already claimed, and the transcript shows it."""

import pytest
from django.core.management import call_command

from credit.models import Claim
from faculty.models import Person
from rss_dashboard.demo import DEMO_LEARNER_PHONE, DEMO_PASSWORD
from tests.credit.helpers import text

pytestmark = pytest.mark.django_db


def test_the_demo_learner_claims_by_text_and_sees_it_on_the_transcript(client, capsys):
    call_command("seed_demo", "--seed", "3")
    out = capsys.readouterr().out
    child_id = int(out.split("Session open for claiming now: Child ID ")[1].split()[0])

    first = text(client, str(child_id), phone=DEMO_LEARNER_PHONE)
    assert first.startswith("Credit claimed: Demo: sepsis recognition in the first hour")
    second = text(client, str(child_id), phone=DEMO_LEARNER_PHONE)
    assert second.startswith("You already claimed Demo: sepsis recognition")
    learner = Person.objects.get(mobile_phone=DEMO_LEARNER_PHONE)
    assert Claim.objects.filter(learner=learner, child_id=child_id).count() == 1

    assert client.login(username=learner.email, password=DEMO_PASSWORD)
    page = client.get("/transcript/").content.decode()
    assert f'data-child="{child_id}" data-state="awarded"' in page
