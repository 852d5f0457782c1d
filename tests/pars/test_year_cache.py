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


# --- per series: after a change only the series that changed are checked again ------------------


@pytest.fixture
def two_series(client):
    office = make_reviewer()
    ready = f.parent(name="Cardiology Grand Rounds", year=YEAR)
    ready_weekly = sessions(ready, 2)
    complete(ready)
    lacking = f.parent(name="Medicine Grand Rounds", year=YEAR)
    lacking_weekly = sessions(lacking, 2)
    complete(lacking, description="")
    return {
        "office": office,
        "client": client,
        "ready": ready,
        "ready_weekly": ready_weekly,
        "lacking": lacking,
        "lacking_weekly": lacking_weekly,
        "learner": people(1, Profession.PHYSICIAN, "doc")[0],
    }


@pytest.fixture
def checked(monkeypatch):
    """The series each load checks again (pars.year reads the rest from the cache)."""
    from credit.pars import year

    calls: list[list[int] | None] = []
    real = year.year_checks_until

    def spy(y, now, only=None):
        calls.append(None if only is None else sorted(only))
        return real(y, now, only)

    monkeypatch.setattr(year, "year_checks_until", spy)
    return calls


def row_of(html: str, parent) -> str:
    start = html.index(f'data-parent="{parent.pk}"')
    return html[start : html.index("</tr>", start)]


def load(w) -> str:
    return w["client"].get(reverse("pars_year", args=[YEAR])).content.decode()


def something_changed():
    """What the benchmark's change does (benchmarks/figures.py): `everything` moves."""
    from activities.dashboard.triggers import TABLE

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET n = n + 1, everything = n + 1")


def test_a_change_to_one_series_checks_only_that_series_again(two_series, checked):
    w = two_series
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        w["client"].force_login(w["office"])
        first = load(w)
        assert checked == [[w["ready"].pk, w["lacking"].pk]]  # all, the first time
        assert 'data-ready="yes"' in row_of(first, w["ready"])
        # A session of the ready series is rejected: it has none left approved but one.
        ChildActivity.objects.filter(pk__in=[c.pk for c in w["ready_weekly"]]).update(
            is_active=False
        )
        later = load(w)
    assert checked[1:] == [[w["ready"].pk]]  # the other series' check came from the cache
    assert 'data-ready="no"' in row_of(later, w["ready"])
    assert row_of(later, w["lacking"]) == row_of(first, w["lacking"])


def test_a_change_everywhere_else_checks_nothing_again(two_series, checked):
    """`everything` moves with roles, specialties, closure days...: none of them is on this page;
    what is (the series' own row, its department) is in each series' key."""
    w = two_series
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        w["client"].force_login(w["office"])
        first = load(w)
        something_changed()
        again = load(w)
        assert len(checked) == 1
        assert again.split("</form>")[-1] == first.split("</form>")[-1]
        # A series renamed (which moves `everything` too) is checked again, alone.
        type(w["lacking"]).objects.filter(pk=w["lacking"].pk).update(name="Medicine Rounds")
        renamed = load(w)
    assert checked[1:] == [[w["lacking"].pk]]
    assert "Medicine Rounds<" in row_of(renamed, w["lacking"])


def test_every_check_is_read_again_after_ten_minutes_whatever_the_keys(two_series, checked):
    """A transaction touching more sessions than the triggers note one by one moves only
    `everything` (which the keys leave out): the checks are still read again within ten minutes."""
    from credit.pars.year import CHECK_SECONDS

    w = two_series
    with time_machine.travel(AFTER_THE_YEAR, tick=False) as clock:
        w["client"].force_login(w["office"])
        load(w)
        clock.shift(CHECK_SECONDS - 60)
        load(w)
        assert len(checked) == 1
        clock.shift(61)
        from django.core.cache import caches

        caches["dashboard"].clear()  # the page itself is kept at most as long (CACHE_SECONDS)
        load(w)
    assert checked[1:] == [[w["ready"].pk, w["lacking"].pk]]


def test_a_new_claim_shows_in_the_counts(two_series, checked):
    w = two_series
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        w["client"].force_login(w["office"])
        first = load(w)
        Claim.objects.create(
            learner=w["learner"],
            child=w["lacking_weekly"][0],
            channel=ClaimChannel.WEB,
            credit_hours=Decimal(1),
            awarded_at=timezone.now(),
        )
        later = load(w)
    assert len(checked) == 1  # claims are not in the check, only in the counts
    cells = row_of(later, w["lacking"]).split('<td class="text-end">')
    assert cells[3].startswith("1<"), cells  # physicians
    assert row_of(first, w["lacking"]).split('<td class="text-end">')[3].startswith("0<")


@pytest.mark.parametrize("how", ["saved", "updated in place", "a source added", "MOC removed"])
def test_a_change_to_the_pars_fields_shows(two_series, checked, how):
    from credit.pars.codes import SupportKind
    from credit.pars.models import CommercialSupport, MocRegistration
    from tests.pars.conftest import register_moc

    w = two_series
    report = SeriesReport.objects.get(parent=w["lacking"])
    if how == "MOC removed":
        register_moc(report)
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        w["client"].force_login(w["office"])
        first = load(w)
        if how == "saved":
            report.description = "Now described."
            report.save()
        elif how == "updated in place":  # no `updated_at`, no signal: the row's xmin moves
            SeriesReport.objects.filter(pk=report.pk).update(description="Now described.")
        elif how == "a source added":
            CommercialSupport.objects.create(
                report=report, source="Acme", kind=SupportKind.MONETARY, amount=Decimal(100)
            )
        else:
            MocRegistration.objects.filter(report=report).delete()
        later = load(w)
    assert checked[1:] == [[w["lacking"].pk]]  # its key moved, and only its key
    if how in ("saved", "updated in place"):
        assert "description" in row_of(first, w["lacking"]).lower()
        assert "description" not in row_of(later, w["lacking"]).lower()
    assert row_of(later, w["ready"]) == row_of(first, w["ready"])


def test_the_queries_of_a_load_are_bounded_whatever_changed(two_series):
    w = two_series
    extra = f.parent(name="Surgery Grand Rounds", year=YEAR)
    sessions(extra, 3)
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        w["client"].force_login(w["office"])
        counts = []
        for change in (
            lambda: None,  # the first load: every series checked
            lambda: ChildActivity.objects.filter(parent=extra).update(is_active=False),
            something_changed,
            lambda: Claim.objects.create(
                learner=w["learner"],
                child=w["ready_weekly"][0],
                channel=ClaimChannel.WEB,
                credit_hours=Decimal(1),
            ),
        ):
            change()
            with CaptureQueriesContext(connection) as ctx:
                load(w)
            counts.append(len(ctx))
    # session, user, generation, the keys; then the checks (4), dates and credit, counts.
    assert max(counts) <= 10, counts
    assert counts[2] <= 4, counts  # nothing on the page changed


def test_a_claim_awarded_later_shows_in_the_counts_within_a_minute(two_series, checked):
    """Awarding, revoking or voiding changes no marker (no new claim): the counts are read again
    each minute."""
    w = two_series
    claim = Claim.objects.create(
        learner=w["learner"],
        child=w["lacking_weekly"][0],
        channel=ClaimChannel.WEB,
        credit_hours=Decimal(1),
    )
    with time_machine.travel(AFTER_THE_YEAR, tick=False) as clock:
        w["client"].force_login(w["office"])
        physicians = row_of(load(w), w["lacking"]).split('<td class="text-end">')[3]
        assert physicians.startswith("0<")
        Claim.objects.filter(pk=claim.pk).update(awarded_at=timezone.now())
        clock.shift(timedelta(minutes=1))
        later = load(w)
    assert row_of(later, w["lacking"]).split('<td class="text-end">')[3].startswith("1<")
    assert len(checked) == 1  # the checks themselves stayed
