"""What a dashboard row is built from (`RowFacts`, rows.py builds it) and its content as a cache
key's part: a row's HTML is a function of these facts, what the viewer may do, the day and the
code."""

import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from activities.business_days import BusinessCalendar
from activities.selectors_calendar import business_calendar

from . import selectors_facts as facts
from .selectors_facts import ChildFacts, FacultyFacts, SeriesPeople


@dataclass(slots=True)
class RowFacts:
    """Everything the rows of some children are built from besides who looks (RowBuilder reads
    nothing else): their facts and those of their faculty, disclosures, series and specialties,
    read at once (four reads by id), and the business calendar."""

    faculty: dict[int, list[FacultyFacts]]
    relationships: dict[int, list[tuple[str, str]]]
    people: dict[int, SeriesPeople]  # parent id -> SeriesPeople
    specialties: dict[int, list[str]]
    calendar: BusinessCalendar

    def of(self, child: ChildFacts) -> tuple:
        """The facts one row of `child` is built from, as plain values (a cache key's part: two
        rows with equal facts, viewer and day are the same HTML)."""
        faculty = self.faculty.get(child.id, ())
        people = self.people.get(child.parent_id)
        return (
            _values(child),
            [_values(a) for a in faculty],
            [self.relationships.get(a.disclosure_id, ()) for a in faculty],
            (people.owners, people.coordinators, people.planners) if people else None,
            self.specialties.get(child.id, ()),
        )

    def calendar_key(self) -> tuple:
        """What the 3-by-5 flags read of the calendar."""
        calendar = self.calendar
        return (calendar.country, calendar.subdivision, tuple(sorted(calendar.closure_days)))


def _values(facts) -> tuple:
    return _getter(type(facts))(facts)


@functools.cache
def _getter(kind: type) -> Callable[[object], tuple]:
    """All the fields of a slotted facts class at once (attrgetter: no Python loop per row)."""
    return operator.attrgetter(*kind.__slots__)


def read_row_facts(children: Sequence[ChildFacts]) -> RowFacts:
    child_ids = [c.id for c in children]
    faculty = facts.faculty(child_ids)
    disclosure_ids = {f.disclosure_id for rows in faculty.values() for f in rows}
    return RowFacts(
        faculty=faculty,
        relationships=facts.relationships(disclosure_ids - {None}),
        people=facts.series_people({c.parent_id for c in children}),
        specialties=facts.specialties(child_ids),
        calendar=business_calendar(),
    )
