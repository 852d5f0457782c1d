"""The series a person may pick on the dashboard, with what they may do in each."""

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, OuterRef, Value

from .access import VIEW_ROLES, visible_parents
from .models import ParentRole, ParentRoleKind


@dataclass(frozen=True)
class SeriesOption:
    pk: int
    name: str
    year: int
    department_id: int
    department_name: str
    can_edit: bool
    sees_reports: bool  # attendance, reports, late claims: owners, coordinators (credit/access.py)


def dashboard_series_options(user, since_year: int | None = None) -> list[SeriesOption]:
    """The series a user may pick in the search, with whether they may change each and read its
    reports (one query, plain values: an administrator has hundreds). `since_year`: only the
    series of that year and later (the dashboard's picker: with years of history an
    administrator's list grew by 400 series a year, and every page carried all of them)."""
    can_edit: Value | Exists
    sees_reports: Value | Exists
    if user.is_authenticated and user.is_administrator:
        can_edit = sees_reports = Value(True, output_field=BooleanField())
    else:
        mine = ParentRole.objects.filter(parent=OuterRef("pk"), person=user)
        can_edit = Exists(mine.filter(role=ParentRoleKind.COORDINATOR))
        sees_reports = Exists(mine.filter(role__in=VIEW_ROLES))
    parents = visible_parents(user)
    if since_year is not None:
        parents = parents.filter(year__gte=since_year)
    rows = (
        parents.annotate(can_edit=can_edit, sees_reports=sees_reports)
        .order_by("name", "-year")
        .values_list(
            "id", "name", "year", "department_id", "department__name", "can_edit", "sees_reports"
        )
    )
    return [SeriesOption(*row) for row in rows]
