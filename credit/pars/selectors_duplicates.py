"""The PARS learner identifiers join the duplicate check (faculty/selectors_duplicates.py): a new
account with a known NPI, or with a known name and birth month and day, is held for the office."""

from django.db.models import Q

from faculty.rules_duplicates import Identity

from .models import LearnerIdentity


def pars_identities(applicant: Identity) -> dict[int, Identity]:
    """People whose identifiers could match the applicant's, with what they know of them."""
    wanted = Q(pk__in=[])
    if applicant.npi:
        wanted |= Q(npi=applicant.npi)
    last = applicant.last_name.strip().lower()
    if last and applicant.birth_month and applicant.birth_day:
        wanted |= Q(
            birth_month=applicant.birth_month,
            birth_day=applicant.birth_day,
            person__last_name_lower=last,
        )
    rows = LearnerIdentity.objects.filter(wanted).select_related("person")[:200]
    return {
        r.person_id: Identity(
            r.person.email,
            r.person.last_name,
            r.person.first_name,
            r.npi,
            r.birth_month,
            r.birth_day,
        )
        for r in rows
    }
