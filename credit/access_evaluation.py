"""Who may see and define a series' evaluation (issue 17).

- The summary (aggregates and comments, never who answered what): the series' coordinators and
  owners, and the office (reviewers and administrators). Everybody else 404.
- Who responded (never what): the office only; the series' own people get 403.
- The form: the series' coordinators and the office; owners 403.
- The site-wide template: the office; other signed-in people 403.
"""

from django.core.exceptions import PermissionDenied

from activities.access import can_edit_parent, get_parent_for_user
from activities.models import ParentActivity


def is_office(user) -> bool:
    return user.is_authenticated and user.is_reviewer


def get_parent_for_evaluations(user, parent_id: int) -> ParentActivity:
    return get_parent_for_user(user, parent_id)


def get_parent_for_respondents(user, parent_id: int) -> ParentActivity:
    parent = get_parent_for_user(user, parent_id)
    if not is_office(user):
        raise PermissionDenied("Only the office sees who responded.")
    return parent


def get_parent_for_evaluation_form(user, parent_id: int) -> ParentActivity:
    parent = get_parent_for_user(user, parent_id)
    if not (is_office(user) or can_edit_parent(user, parent.pk)):
        raise PermissionDenied(
            "Only the series' coordinators and the office define its evaluation."
        )
    return parent


def check_template_editor(user) -> None:
    if not is_office(user):
        raise PermissionDenied("Only the office edits the site-wide evaluation template.")
