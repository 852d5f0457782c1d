"""The comment thread of a child between its coordinators and the office (SPEC §3)."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from activities.access import can_edit_parent
from activities.models import ChildActivity, Comment, ParentRole, ParentRoleKind
from rss_dashboard.errors import DomainError
from rss_dashboard.outbox import queue_email

MAX_LENGTH = 2000


class CommentError(DomainError):
    pass


def dashboard_link(child: ChildActivity) -> str:
    return f"{settings.SITE_URL}/dashboard/?child_id={child.pk}"


@transaction.atomic
def comment_add(*, child: ChildActivity, author, body: str, now: datetime | None = None) -> Comment:
    """Add a comment and email the other side: the office for a coordinator's comment, the
    series' coordinators for the office's."""
    body = (body or "").strip()
    if not body:
        raise CommentError("empty", "Write the comment first.")
    if len(body) > MAX_LENGTH:
        raise CommentError("too_long", f"Keep the comment under {MAX_LENGTH} characters.")
    from_office = bool(author.is_reviewer)
    if not from_office and not can_edit_parent(author, child.parent_id):
        raise CommentError("forbidden", "Only the series' coordinators and the office comment.")
    comment = Comment.objects.create(
        child=child,
        author=author,
        from_office=from_office,
        body=body,
        created_at=now or timezone.now(),
    )
    if from_office:
        to = list(
            ParentRole.objects.filter(
                parent_id=child.parent_id, role=ParentRoleKind.COORDINATOR
            ).values_list("person__email", flat=True)
        )
        why = "you coordinate this series and the office commented on one of its sessions"
    else:
        to = [settings.OFFICE_EMAIL]
        why = f"you are the {settings.OFFICE_NAME} office and a coordinator commented on a session"
    queue_email(
        event_key=f"child-comment:{comment.pk}",
        kind="child_comment",
        to=to,
        reply_to=[author.email],
        template="child_comment",
        context={
            "comment": comment,
            "child": child,
            "parent": child.parent,
            "author": author,
            "why": why,
            "link": dashboard_link(child),
        },
    )
    return comment
