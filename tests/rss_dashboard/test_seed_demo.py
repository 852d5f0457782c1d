import json
from io import StringIO

import pytest
from django.core.management import call_command

from activities.models import ChildActivity
from activities.rules import ChildStatus
from credit.rules import claim_window, window_state
from disclosures.rules import CoiStatus
from faculty.models import Assignment, Person

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # builds a whole demo institution


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        out = StringIO()
        call_command("seed_demo", "--seed", "7", stdout=out)
        yield out.getvalue()
        from django.core.management import call_command as cc

        cc("flush", "--no-input", verbosity=0)


def test_it_produces_every_status_and_flag(seeded):
    statuses = set(ChildActivity.objects.values_list("status", flat=True))
    assert statuses == set(ChildStatus.values)
    coi = set(Assignment.objects.values_list("coi_status", flat=True))
    assert coi == set(CoiStatus.values)
    out = StringIO()
    call_command("status_report", "--json", stdout=out)
    counts = json.loads(out.getvalue())
    assert counts["children"] > 1500
    for flag in (
        "name_needs_update",
        "3_by_5_met",
        "3_by_5_due",
        "3_by_5_missed",
        "planners_with_coi",
    ):
        assert counts["flags"][flag] > 0, flag
    assert counts["claims"]["total"] > 0


def test_it_prints_the_demo_logins_and_an_open_session(seeded):
    for who in ("admin", "reviewer", "coordinator", "owner", "faculty", "learner"):
        assert f"{who}@example.org" in seeded
        assert Person.objects.get(email=f"{who}@example.org").check_password("rss-demo")
    assert Person.objects.get(email="learner@example.org").mobile_phone == "+17345550100"
    child_id = int(seeded.split("Child ID ")[1].split()[0])
    child = ChildActivity.objects.get(pk=child_id)
    assert child.status == ChildStatus.APPROVED
    from django.utils import timezone

    window = claim_window(
        start=child.start,
        end=child.end,
        minutes_prior=child.texting_minutes_prior,
        minutes_after=child.texting_minutes_after,
    )
    assert window_state(window, timezone.now()) == "open"


def test_the_coordinator_sees_only_some_series(seeded):
    from activities.access import visible_parents

    coordinator = Person.objects.get(email="coordinator@example.org")
    assert 0 < visible_parents(coordinator).count() < 40


def test_it_reports_to_accme(seeded):
    """Series with PARS fields (some unfinished), MOC registrations, learners' identifiers: the
    office's pages have something to show and the pre-validation something to hold back."""
    from activities.models import ParentActivity
    from credit.pars.completions import preview
    from credit.pars.models import LearnerIdentity, MocRegistration, SeriesReport

    # Every series of the demo year has its PARS fields (the office's renewal draft for next
    # year, seeded with the office's work, has none yet).
    year = ParentActivity.objects.order_by("year").first().year
    assert SeriesReport.objects.count() == ParentActivity.objects.filter(year=year).count()
    assert SeriesReport.objects.filter(description="").exists()
    assert MocRegistration.objects.filter(board="ABIM").exists()
    assert LearnerIdentity.objects.filter(person__email="learner@example.org").exists()
    waiting = preview(year)
    assert waiting.to_add > 0
    assert waiting.invalid


def test_the_demo_is_coherent_with_today(seeded):
    """Issue 14: approvals and "3 by 5 met" in the future, and past approved sessions named
    "TBD" or "Grand Rounds" on a learner's transcript."""
    from django.utils import timezone

    from activities.models import ChildReview
    from activities.rules import name_needs_update
    from credit.models import Claim
    from credit.selectors_transcripts import transcript
    from disclosures.models import CoiReview

    now = timezone.now()
    assert not ChildActivity.objects.filter(decided_at__gt=now).exists()
    assert not ChildReview.objects.filter(at__gt=now).exists()
    assert not CoiReview.objects.filter(decided_at__gt=now).exists()
    assert not Claim.objects.filter(claimed_at__gt=now).exists()
    assert not ChildActivity.objects.filter(requirements_met_on__gt=timezone.localdate()).exists()
    for name, series in ChildActivity.objects.filter(status=ChildStatus.APPROVED).values_list(
        "name", "parent__name"
    ):
        assert not name_needs_update(name, series), name
    learner = Person.objects.get(email="learner@example.org")
    names = {row.child.name for year in transcript(learner) for row in year.rows}
    assert names and not {"TBD", "Grand Rounds", "Topic", "Lecture"} & names
