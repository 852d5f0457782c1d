"""Reads for screens: one queryset method per screen, with everything the screen shows loaded up
front so a page costs the same number of queries whatever its size (STYLE: reads)."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

FLAG_NAME = "name"
FLAG_3X5_DUE = "3x5_due"
FLAG_3X5_MISSED = "3x5_missed"
FLAG_PLANNERS = "planners"
FLAG_CHOICES = [
    (FLAG_NAME, "Name needs update"),
    (FLAG_3X5_DUE, "3 by 5 due"),
    (FLAG_3X5_MISSED, "3 by 5 missed"),
    (FLAG_PLANNERS, "Planners with COI"),
]
DEFAULT_DAYS = 60


@dataclass(frozen=True)
class DashboardFilters:
    """What a dashboard search asks for. Dates are the site's local dates, both inclusive."""

    date_from: date
    date_to: date
    parent_id: int | None = None
    department_id: int | None = None
    statuses: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    faculty: str = ""
    child_id: int | None = None
    text: str = ""
    include_inactive: bool = False
    today: date | None = field(default=None, compare=False)

    @classmethod
    def default(cls, today: date | None = None) -> "DashboardFilters":
        today = today or timezone.localdate()
        return cls(date_from=today, date_to=today + timedelta(days=DEFAULT_DAYS), today=today)

    def only_child(self, child_id: int) -> "DashboardFilters":
        return replace(self, child_id=child_id, include_inactive=True)


def _local_midnight(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min), timezone.get_default_timezone())


class ChildActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """SPEC §1: reviewers and administrators see all; owners and coordinators their series."""
        from .rules import VIEW_ROLES, sees_everything

        ParentRole = apps.get_model("activities", "ParentRole")  # noqa: N806 - no import loop

        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(
            Exists(
                ParentRole.objects.filter(
                    parent=OuterRef("parent_id"), person=user, role__in=VIEW_ROLES
                )
            )
        )

    def matching(self, filters: DashboardFilters):
        """The search of the dashboard. A Child ID finds the session whatever the other filters."""
        from faculty.models import Assignment
        from faculty.people import split_search

        if filters.child_id is not None:
            return self.filter(pk=filters.child_id)
        qs = self.filter(
            start__gte=_local_midnight(filters.date_from),
            start__lt=_local_midnight(filters.date_to + timedelta(days=1)),
        )
        if not filters.include_inactive:
            qs = qs.filter(is_active=True)
        if filters.parent_id:
            qs = qs.filter(parent_id=filters.parent_id)
        if filters.department_id:
            qs = qs.filter(parent__department_id=filters.department_id)
        if filters.statuses:
            qs = qs.filter(status__in=filters.statuses)
        if filters.flags:
            today = filters.today or timezone.localdate()
            unmet = Q(requirements_met_on__isnull=True, three_by_five_due__isnull=False)
            wanted = {
                FLAG_NAME: Q(name_needs_update=True),
                FLAG_3X5_DUE: unmet & Q(three_by_five_due__gte=today),
                FLAG_3X5_MISSED: unmet & Q(three_by_five_due__lt=today),
                FLAG_PLANNERS: ~Q(planners_without_disclosure=""),
            }
            any_flag = Q()
            for flag in filters.flags:
                any_flag |= wanted.get(flag, Q())
            qs = qs.filter(any_flag)
        if filters.faculty.strip():
            last, first = split_search(filters.faculty)
            people = Q(person__last_name_lower__startswith=last)
            if first:
                people &= Q(person__first_name__istartswith=first)
            qs = qs.filter(
                Exists(Assignment.objects.current().filter(people, child_id=OuterRef("pk")))
            )
        if filters.text.strip():
            words = filters.text.split()[:6]
            for word in words:
                qs = qs.filter(
                    Q(name__icontains=word)
                    | Q(location__icontains=word)
                    | Q(parent__name__icontains=word)
                )
        return qs

    def dashboard_facts(self):
        """What a dashboard row prints of each child, as plain values in `CHILD_FACTS` order:
        the child's columns, its series and department names, who decided, the comment count,
        the last comment and the last review reason (one statement for the whole page)."""
        ChildReview = apps.get_model("activities", "ChildReview")  # noqa: N806
        Comment = apps.get_model("activities", "Comment")  # noqa: N806

        last_comment = Comment.objects.filter(child_id=OuterRef("pk")).order_by(
            "-created_at", "-id"
        )
        last_review = ChildReview.objects.filter(child_id=OuterRef("pk")).order_by("-at", "-id")
        comment_count = (
            Comment.objects.filter(child_id=OuterRef("pk"))
            .order_by()
            .values("child_id")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            self.annotate(
                series=F("parent__name"),
                department=F("parent__department__name"),
                decided_by_first=F("decided_by__first_name"),
                decided_by_last=F("decided_by__last_name"),
                comments_count=Subquery(comment_count, output_field=models.IntegerField()),
                last_comment_body=Subquery(last_comment.values("body")[:1]),
                last_comment_at=Subquery(last_comment.values("created_at")[:1]),
                last_comment_from_office=Subquery(last_comment.values("from_office")[:1]),
                last_review_reason=Subquery(last_review.values("reason")[:1]),
            )
            .order_by()
            .values_list(*CHILD_FACTS)
        )


# The columns of `dashboard_facts`, in the order of activities.presenters.ChildFacts.
CHILD_FACTS = (
    "id",
    "parent_id",
    "name",
    "start",
    "end",
    "time_zone",
    "location",
    "professions",
    "is_active",
    "version",
    "status",
    "name_needs_update",
    "three_by_five_due",
    "requirements_met_on",
    "planners_without_disclosure",
    "decision",
    "decided_by_id",
    "decided_at",
    "series",
    "department",
    "decided_by_first",
    "decided_by_last",
    "comments_count",
    "last_comment_body",
    "last_comment_at",
    "last_comment_from_office",
    "last_review_reason",
)
