"""Writes on parent activities (series): renewal for the next year (SPEC §2)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from activities.models import ParentActivity, ParentRole, ParentState
from activities.rules_renewal import shift_exception_dates, shift_recurrence
from rss_dashboard.errors import DomainError
from rss_dashboard.outbox import queue_email


class ParentError(DomainError):
    pass


def renewal_offered(parent: ParentActivity, *, today) -> bool:
    """Whether "Renew for <next year>" is offered: from RENEWAL_REMINDER_START of the series'
    year (the reminders' rule), for an approved series that has no renewal yet."""
    from activities.rules_monitoring import renewal_reminder_number

    return (
        parent.state == ParentState.APPROVED
        and renewal_reminder_number(
            today=today, year=parent.year, start=settings.RENEWAL_REMINDER_START
        )
        is not None
        and not ParentActivity.objects.filter(renewed_from=parent).exists()
    )


def office_admin_url(obj) -> str:
    meta = obj._meta
    return f"{settings.SITE_URL}/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"


@transaction.atomic
def parent_renew(parent: ParentActivity, *, by=None) -> ParentActivity:
    """Create next year's series as a draft for the office to approve.

    Copies the settings (department, location, default time and duration, time zone, credit), the
    people (owners, coordinators, planners), the audience (specialties, professions) and the
    recurrence moved to the next year. Sessions are not copied: they are generated for the new year
    once it is approved. A series is renewed once; the renewal stops the reminders.
    """
    locked = ParentActivity.objects.select_for_update().get(pk=parent.pk)
    existing = ParentActivity.objects.filter(renewed_from=locked).first()
    if existing is not None:
        raise ParentError(
            "already_renewed",
            f"{locked.name} was already renewed for {existing.year} (Parent ID {existing.pk}).",
        )
    if locked.state != ParentState.APPROVED:
        raise ParentError(
            "not_approved",
            f"{locked.name} ({locked.year}) is still a draft; it can be renewed once the "
            f"{settings.OFFICE_NAME} approves it.",
        )
    year = locked.year + 1
    renewal = ParentActivity(
        name=locked.name,
        department_id=locked.department_id,
        year=year,
        state=ParentState.DRAFT,
        default_location=locked.default_location,
        default_start_time=locked.default_start_time,
        default_duration_minutes=locked.default_duration_minutes,
        time_zone=locked.time_zone,
        recurrence=shift_recurrence(locked.recurrence),
        exception_dates=shift_exception_dates(list(locked.exception_dates or []), year),
        professions=list(locked.professions or []),
        credit_hours=locked.credit_hours,
        credit_type=locked.credit_type,
        renewed_from=locked,
    )
    if by is not None:
        renewal._history_user = by  # type: ignore[attr-defined]  # simple-history: who renewed
    try:
        with transaction.atomic():
            renewal.save()
    except IntegrityError:  # someone renewed it in the same instant (renewed_from is unique)
        raise ParentError("already_renewed", f"{locked.name} was already renewed.") from None
    renewal.specialties.set(locked.specialties.all())
    bulk_create_with_history(
        [
            ParentRole(parent=renewal, person_id=role.person_id, role=role.role)
            for role in locked.roles.all()
        ],
        ParentRole,
        default_user=by,
    )
    queue_email(
        event_key=f"renewal-submitted:{renewal.pk}",
        kind="renewal_submitted",
        to=[settings.OFFICE_EMAIL],
        template="renewal_submitted",
        context={
            "parent": locked,
            "renewal": renewal,
            "by": by,
            "admin_url": office_admin_url(renewal),
        },
    )
    return renewal
