"""Writes on people and faculty assignments (SPEC §1, §4)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import ChildActivity
from activities.services.status import recompute_children
from disclosures.links import disclosure_link
from disclosures.models import DisclosureRequest, DisclosureRequestKind
from disclosures.reads import latest_disclosures
from disclosures.rules import is_active
from rss_dashboard.errors import DomainError
from rss_dashboard.outbox import queue_email

from .models import Assignment, EmailDomainAlias, FacultyRole, Person
from .people import canonical_email, email_candidates, normalize_email, to_e164


class PersonError(DomainError):
    pass


class AssignmentError(DomainError):
    pass


def domain_aliases() -> dict[str, str]:
    return dict(EmailDomainAlias.objects.values_list("alias_domain", "canonical_domain"))


def find_person_by_email(email: str) -> Person | None:
    """The existing account for an address, looking through domain aliases both ways."""
    aliases = domain_aliases()
    email = normalize_email(email)
    matches = list(Person.objects.filter(email__in=email_candidates(email, aliases)))
    if not matches:
        return None
    # Prefer the canonical spelling when, historically, both exist.
    canon = canonical_email(email, aliases)
    found = next((p for p in matches if p.email == canon), matches[0])
    # A merged duplicate keeps its address; it leads to the account it was merged into.
    for _ in range(10):
        if found.merged_into_id is None:
            break
        found = Person.objects.get(pk=found.merged_into_id)
    return found


@transaction.atomic
def person_create(
    *,
    email: str,
    last_name: str,
    first_name: str = "",
    credentials: str = "",
    affiliation: str = "",
    mobile_phone: str = "",
    profession: str = "",
    password: str | None = None,
) -> Person:
    """Create a person on the canonical domain; an existing account is refused, never duplicated."""
    email = normalize_email(email)
    if not email or "@" not in email:
        raise PersonError("invalid_email", "Enter a valid email address.")
    if not last_name.strip():
        raise PersonError("last_name_required", "Enter the last name.")
    existing = find_person_by_email(email)
    if existing is not None:
        raise PersonError(
            "exists",
            f"{existing.name} already has an account as {existing.email}; use that account "
            "instead of creating a second one.",
        )
    phone = None
    if mobile_phone.strip():
        phone = to_e164(mobile_phone)
        if phone is None:
            raise PersonError("invalid_phone", f"{mobile_phone!r} is not a valid phone number.")
        if Person.objects.filter(mobile_phone=phone).exists():
            raise PersonError("phone_taken", "That mobile phone is already on another account.")
    try:
        return Person.objects.create_user(
            canonical_email(email, domain_aliases()),
            password,
            last_name=last_name.strip(),
            first_name=first_name.strip(),
            credentials=credentials.strip(),
            affiliation=affiliation.strip(),
            mobile_phone=phone,
            profession=profession,
        )
    except IntegrityError:
        raise PersonError("exists", "That email address already has an account.") from None


def has_active_disclosure(person: Person, child: ChildActivity) -> bool:
    latest = latest_disclosures([person.pk]).get(person.pk)
    return latest is not None and is_active(latest.submitted_at, child.start)


@transaction.atomic
def assignment_add(
    *,
    child: ChildActivity,
    person: Person,
    role: str = FacultyRole.SPEAKER,
    request_disclosure: bool | None = None,
    request_presentation: bool = False,
    by=None,
) -> Assignment:
    """Assign faculty; email the disclosure request (or "no action needed") and the presentation
    request. Coordinators are not copied (SPEC §4)."""
    active = has_active_disclosure(person, child)
    if request_disclosure is None:
        request_disclosure = not active
    if Assignment.objects.current().filter(child=child, person=person).exists():
        raise AssignmentError(
            "already_assigned", f"{person.name} is already faculty on this session."
        )
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                child=child,
                person=person,
                role=role,
                request_disclosure=request_disclosure,
                request_presentation=request_presentation,
                added_by=by,
            )
    except IntegrityError:
        raise AssignmentError(
            "already_assigned", f"{person.name} is already faculty on this session."
        ) from None
    context = {"person": person, "child": child, "parent": child.parent, "assignment": assignment}
    if request_disclosure:
        if active:
            queue_email(
                event_key=f"disclosure-no-action:{assignment.pk}",
                kind="disclosure_no_action",
                to=[person.email],
                template="disclosure_no_action",
                context=context,
            )
        else:
            DisclosureRequest.objects.create(
                person=person, kind=DisclosureRequestKind.FACULTY, child=child, requested_by=by
            )
            queue_email(
                event_key=f"disclosure-request:{assignment.pk}",
                kind="disclosure_request",
                to=[person.email],
                template="disclosure_request",
                context={**context, "link": disclosure_link(person)},
            )
    if request_presentation:
        queue_email(
            event_key=f"presentation-request:{assignment.pk}",
            kind="presentation_request",
            to=[person.email],
            template="presentation_request",
            context={**context, "link": presentation_upload_link(assignment)},
        )
    recompute_children([child.pk])
    return assignment


@transaction.atomic
def assignment_remove(assignment: Assignment, *, by=None) -> Assignment:
    """Soft removal: the row and its COI decisions stay for audit; the status recomputes."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.removed_at is not None:
        raise AssignmentError("already_removed", "That person was already removed.")
    locked.removed_at = timezone.now()
    locked.removed_by = by
    locked.save(update_fields=["removed_at", "removed_by"])
    recompute_children([locked.child_id])
    return locked


def presentation_upload_link(assignment: Assignment) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}/presentations/upload/{assignment.presentation_token}/"
