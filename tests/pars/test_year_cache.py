"""The office's year page comes from the dashboard's cache while nothing it shows has changed,
and shows every change on the next load (pars.year.year_page)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import ChildActivity
from credit.models import Claim, ClaimChannel
from credit.pars.models import SeriesReport
from faculty.models import Profession
from tests import factories as f
from tests.pars.conftest import AFTER_THE_YEAR, YEAR, complete, people, sessions
from tests.personas import make_reviewer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def year_page(client):
    office = make_reviewer()
    series = f.parent(name="Medicine Grand Rounds", year=YEAR)
    weekly = sessions(series, 3)
    complete(series, description="")
    learner = people(1, Profession.PHYSICIAN, "doc")[0]
    return {
        "office": office,
        "series": series,
        "weekly": weekly,
        "learner": learner,
        "client": client,
    }


CHANGES = {
    "the PARS fields": lambda w: SeriesReport.objects.get(parent=w["series"]).save(),
    "a claim": lambda w: Claim.objects.create(
        learner=w["learner"],
        child=w["weekly"][0],
        channel=ClaimChannel.WEB,
        credit_hours=Decimal(1),
        awarded_at=timezone.now(),
    ),
    "a session": lambda w: ChildActivity.objects.filter(pk=w["weekly"][0].pk).update(
        is_active=False
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_cached_year_page_shows_a_change_on_the_next_load(year_page, change):
    client = year_page["client"]
    url = reverse("pars_year", args=[YEAR])
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        client.force_login(year_page["office"])
        first = client.get(url).content.decode()
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(url).content.decode()
        assert len(ctx) <= 4, [q["sql"][:80] for q in ctx]  # session, user, generation, markers
        assert again.split("</form>")[-1] == first.split("</form>")[-1]
        if change == "the PARS fields":
            SeriesReport.objects.filter(parent=year_page["series"]).update(
                description="Now described."
            )
        CHANGES[change](year_page)
        later = client.get(url).content.decode()
    assert later.split("</form>")[-1] != first.split("</form>")[-1]


def test_what_is_still_to_come_follows_the_clock(year_page):
    client, series = year_page["client"], year_page["series"]
    f.child(series, start=AFTER_THE_YEAR - timedelta(days=20, hours=1), name="Late session")
    url = reverse("pars_year", args=[YEAR])
    with time_machine.travel(AFTER_THE_YEAR - timedelta(days=21), tick=False):
        client.force_login(year_page["office"])
        assert "still to come" in client.get(url).content.decode()
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        client.force_login(year_page["office"])
        assert "still to come" not in client.get(url).content.decode()
