"""The children's queryset: who may see which (SPEC §1). The dashboard's search and reads are in
activities/dashboard/."""

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef


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
