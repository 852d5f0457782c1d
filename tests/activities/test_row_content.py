"""Dashboard rows are shared by content (activities/dashboard/shared.py): after a change that makes
rows be read again (one that moves `everything`, say), a row whose facts did not change is not
built again, and a change to anything a row is built from gives new HTML."""

import dataclasses
import zlib
from datetime import date

import pytest
from django.core.cache import caches
from django.utils import timezone

from activities.business_days import BusinessCalendar
from activities.dashboard import shared
from activities.dashboard.rows import RowBuilder
from activities.models import Specialty
from disclosures.models import FinancialRelationship
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_shared_rows():
    caches["dashboard_rows"].clear()
    yield
    caches["dashboard_rows"].clear()


@pytest.fixture
def built(monkeypatch) -> list[int]:
    """The ids of the rows built (not taken from the shared cache)."""
    ids: list[int] = []
    row = RowBuilder.row

    def counting(self, child):
        ids.append(child.id)
        return row(self, child)

    monkeypatch.setattr(RowBuilder, "row", counting)
    return ids


@pytest.fixture
def coordinator():
    return f.person(last_name="Coordinator", first_name="Cora")


@pytest.fixture
def staffed(coordinator):
    series = f.parent(name="Medicine Grand Rounds", coordinators=[coordinator])
    child = f.child(series, name="Heart failure")
    speaker = f.person(last_name="Speaker", first_name="Sam")
    f.disclosure(speaker, relationships=[("Acme Pharma", "consultant")])
    f.assign(child, speaker)
    return child


def html_of(child_id: int, *, editable: bool = True) -> str:
    found = shared.rows_by_content(
        [child_id],
        editable_ids=None if editable else set(),
        report_ids=None,
        office=False,
        today=timezone.localdate(),
        prefix="/",
    )
    return zlib.decompress(found[child_id][0]).decode()


def test_a_row_whose_facts_did_not_change_is_built_once(staffed, built):
    first = html_of(staffed.pk)
    assert html_of(staffed.pk) == first
    assert built == [staffed.pk]
    assert ">Heart failure<" in first


def _rename_child(child):
    child.name = "Sepsis bundles"
    child.save()
    return "Sepsis bundles"


def _rename_speaker(child):
    speaker = child.assignments.get().person
    speaker.last_name = "Renamed"
    speaker.save()
    return "Renamed"


def _new_relationship(child):
    disclosure = child.assignments.get().person.disclosures.get()
    FinancialRelationship.objects.create(
        disclosure=disclosure, company_name="Globex Devices", nature="speaker"
    )
    return "Globex Devices"


def _rename_coordinator(child):
    coordinator = child.parent.roles.get().person
    coordinator.last_name = "Newname"
    coordinator.save()
    return "Newname"


def _add_specialty(child):
    child.specialties.add(Specialty.objects.create(name="Cardiology"))
    return "Cardiology"


def _rename_series(child):
    child.parent.name = "Surgery Grand Rounds"
    child.parent.save()
    return "Surgery Grand Rounds"


def _rename_department(child):
    department = child.parent.department
    department.name = "Surgery"
    department.save()
    return "Surgery"


@pytest.mark.parametrize(
    "change",
    [
        _rename_child,
        _rename_speaker,
        _new_relationship,
        _rename_coordinator,
        _add_specialty,
        _rename_series,
        _rename_department,
    ],
)
def test_a_change_to_anything_a_row_shows_builds_it_anew(staffed, built, change):
    before = html_of(staffed.pk)
    shown = change(staffed)
    after = html_of(staffed.pk)
    assert built == [staffed.pk, staffed.pk]
    assert shown not in before
    assert shown in after


def test_viewers_who_may_do_different_things_share_no_row(staffed, built):
    editable, readonly = html_of(staffed.pk), html_of(staffed.pk, editable=False)
    assert editable != readonly
    assert built == [staffed.pk, staffed.pk]


def test_the_calendar_and_every_fact_are_part_of_the_content(staffed):
    from activities.dashboard.row_facts import read_row_facts
    from activities.dashboard.selectors_facts import children

    (child,) = children([staffed.pk])
    facts = read_row_facts([child])
    closed = dataclasses.replace(
        facts, calendar=BusinessCalendar(closure_days=[date(2026, 12, 24)])
    )
    assert closed.calendar_key() != facts.calendar_key()
    for name in child.__slots__:  # a new fact of the child is covered without a change here
        value = getattr(child, name)
        other = dataclasses.replace(child, **{name: _another(value)})
        assert facts.of(other) != facts.of(child), name


def _another(value):
    if isinstance(value, bool):
        return not value
    if value is None:
        return "something"
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, (list, tuple)):
        return [*value, "x"]
    return None
