"""The dashboard's facts are mapped by name (activities/dashboard/selectors_facts.py): each fact
holds its own column's value, whatever order the columns are read in, on SQLite and PostgreSQL.

Issue 20's trap: swapping two same-typed names (`three_by_five_due` and `requirements_met_on`)
in a positional mapping removed the 3-by-5 warning from every unmet row and no test failed."""

from dataclasses import fields
from datetime import date, timedelta

import pytest
from django.utils import timezone

from activities.dashboard import selectors_facts
from activities.dashboard.selectors_facts import ChildFacts, FacultyFacts
from activities.models import ChildActivity, Comment
from faculty.models import Assignment
from rss_dashboard.compiled import ReadByIds
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def distinct_child(series, coordinator):
    """A child whose facts all differ from each other where they share a type."""
    c = f.child(series, name="Distinct topic", recompute=False)
    ChildActivity.objects.filter(pk=c.pk).update(
        three_by_five_due=date(2031, 1, 5),
        requirements_met_on=date(2030, 12, 1),
        planners_without_disclosure="Planner, Pat",
        decided_by=coordinator,
        decided_at=timezone.now() - timedelta(days=2),
    )
    Comment.objects.create(child=c, author=coordinator, body="First remark")
    Comment.objects.create(child=c, author=coordinator, body="Last remark", from_office=True)
    return ChildActivity.objects.select_related("parent__department", "decided_by").get(pk=c.pk)


def _expected_child(c: ChildActivity) -> dict:
    model_fields = {field.name: field for field in ChildActivity._meta.concrete_fields}
    expected = {}
    for fact in fields(ChildFacts):
        if fact.name in model_fields:
            expected[fact.name] = getattr(c, model_fields[fact.name].attname)
        elif fact.name == "parent_id" or fact.name == "decided_by_id":
            expected[fact.name] = getattr(c, fact.name)
    expected.update(
        series=c.parent.name,
        department=c.parent.department.name,
        decided_by_first=c.decided_by.first_name,
        decided_by_last=c.decided_by.last_name,
        comments_count=2,
        last_comment_body="Last remark",
        last_comment_from_office=True,
    )
    return expected


def test_every_fact_of_a_child_is_its_own_columns_value(distinct_child):
    (found,) = selectors_facts.children([distinct_child.pk])
    for name, value in _expected_child(distinct_child).items():
        assert getattr(found, name) == value, name
    # The two dates of the trap, by name.
    assert found.three_by_five_due == date(2031, 1, 5)
    assert found.requirements_met_on == date(2030, 12, 1)


def test_the_facts_do_not_depend_on_the_order_of_the_columns(distinct_child, monkeypatch):
    """Reversing the columns read changes nothing: values are matched to facts by name."""
    expected = selectors_facts.children([distinct_child.pk])
    reversed_columns = dict(reversed(list(selectors_facts.CHILD_COLUMNS.items())))
    monkeypatch.setattr(selectors_facts, "CHILD_COLUMNS", reversed_columns)
    fresh = ReadByIds(ChildActivity, selectors_facts._children_query)  # not the compiled one
    monkeypatch.setattr(selectors_facts, "_read_children", fresh)
    assert selectors_facts.children([distinct_child.pk]) == expected


def test_every_fact_has_a_column_and_every_column_a_fact():
    assert set(selectors_facts.CHILD_COLUMNS) == {x.name for x in fields(ChildFacts)}
    assert set(selectors_facts.FACULTY_COLUMNS) == {x.name for x in fields(FacultyFacts)}


def test_every_faculty_fact_is_its_own_value(child):
    who = f.person(last_name="Lastname", first_name="Firstname", email="first.last@example.org")
    disclosure = f.disclosure(who)
    a = f.assign(child, who, recompute=False)
    Assignment.objects.filter(pk=a.pk).update(
        presentation="files/slides.pdf", presentation_name="Slides.pdf"
    )
    (found,) = selectors_facts.faculty([child.pk])[child.pk]
    assert (found.id, found.child_id, found.person_id) == (a.pk, child.pk, who.pk)
    assert (found.first_name, found.last_name) == ("Firstname", "Lastname")
    assert found.email == "first.last@example.org"
    assert (found.presentation, found.presentation_name) == ("files/slides.pdf", "Slides.pdf")
    assert found.disclosure_id == disclosure.pk
    assert found.disclosure_at == disclosure.submitted_at


def test_an_unmet_3_by_5_shows_its_warning_on_the_row(coordinator, series):
    """What the trap broke, seen on the page's row: due, not met, a warning."""
    from activities.dashboard.listing import dashboard_row

    c = f.child(series, recompute=False)
    due = timezone.localdate() + timedelta(days=10)
    ChildActivity.objects.filter(pk=c.pk).update(three_by_five_due=due, requirements_met_on=None)
    row = dashboard_row(coordinator, c.pk)
    (flag,) = [x for x in row.flags if x.kind == "3x5"]
    assert flag.tone == "warn"
