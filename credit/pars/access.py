"""Who may do what with PARS (docs/pars.md): the series' page is read by whoever sees the series
and filled by its coordinators and the office (reviewers and administrators); everything else
(locking, exports, learners' files, board answers, the year's pages) is the office's. Outsiders
get 404, read-only people 403, anonymous visitors the sign-in page."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from activities.access import can_edit_parent, get_parent_for_user
from activities.models import ParentActivity

FIRST_YEAR, LAST_YEAR = 2000, 2100


def is_office(user) -> bool:
    return user.is_authenticated and user.is_reviewer


def office_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_office(request.user):
            raise Http404("No such page.")
        if "year" in kwargs and not FIRST_YEAR <= kwargs["year"] <= LAST_YEAR:
            raise Http404("No such year.")
        return view(request, *args, **kwargs)

    return wrapper


def can_fill(user, parent: ParentActivity) -> bool:
    return is_office(user) or can_edit_parent(user, parent.pk)


def get_parent_for_pars(user, parent_id: int, *, edit: bool = False) -> ParentActivity:
    parent = get_parent_for_user(user, parent_id)
    if edit and not can_fill(user, parent):
        raise PermissionDenied("Only the series' coordinators and the office fill its PARS fields.")
    return parent
