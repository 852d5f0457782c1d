"""Reads for the duplicate check: who among the existing people a new account resembles.

Identifiers other apps keep (NPI, birth month and day: the PARS learner identifiers) join the
check through ONE function each, registered with `register_matcher` from that app's
`AppConfig.ready()`; faculty never imports them. A matcher takes the applicant's `Identity` and
returns {person id: Identity of that person with the identifiers it knows}; `match_reasons`
then decides. For example, once `LearnerIdentity(person, npi, birth_month, birth_day)` exists:

    def pars_identities(applicant):
        wanted = Q(birth_month=applicant.birth_month, birth_day=applicant.birth_day,
                   person__last_name_lower=applicant.last_name.strip().lower())
        if applicant.npi:
            wanted |= Q(npi=applicant.npi)
        rows = LearnerIdentity.objects.filter(wanted).select_related("person")
        return {r.person_id: Identity(r.person.email, r.person.last_name, r.person.first_name,
                                      r.npi, r.birth_month, r.birth_day) for r in rows}
"""

from collections.abc import Callable

from django.db.models import Q

from .models import DistinctPeople, Person
from .rules_duplicates import Identity, match_reasons

Matcher = Callable[[Identity], dict[int, Identity]]
_MATCHERS: list[Matcher] = []


def register_matcher(matcher: Matcher) -> None:
    if matcher not in _MATCHERS:
        _MATCHERS.append(matcher)


def unregister_matcher(matcher: Matcher) -> None:
    if matcher in _MATCHERS:
        _MATCHERS.remove(matcher)


def _same_last_name(applicant: Identity) -> dict[int, Identity]:
    """The built-in matcher: people with the applicant's last name (the name index)."""
    last = applicant.last_name.strip().lower()
    if not last:
        return {}
    people = Person.objects.filter(last_name_lower=last).only("email", "last_name", "first_name")
    return {p.pk: Identity(p.email, p.last_name, p.first_name) for p in people[:200]}


def _merge(known: Identity | None, more: Identity) -> Identity:
    if known is None:
        return more
    return Identity(
        email=known.email or more.email,
        last_name=known.last_name or more.last_name,
        first_name=known.first_name or more.first_name,
        npi=known.npi or more.npi,
        birth_month=known.birth_month or more.birth_month,
        birth_day=known.birth_day or more.birth_day,
    )


def likely_duplicates(
    applicant: Identity, *, person_id: int | None = None
) -> list[tuple[Person, list[str]]]:
    """Active people the applicant is likely to be, strongest reason first. With `person_id`
    (an existing person being checked), that person and the people the office confirmed are
    different from them are left out."""
    known: dict[int, Identity] = {}
    for matcher in [_same_last_name, *_MATCHERS]:
        for pk, identity in matcher(applicant).items():
            known[pk] = _merge(known.get(pk), identity)
    reasons = {pk: r for pk, identity in known.items() if (r := match_reasons(applicant, identity))}
    if person_id is not None:
        reasons.pop(person_id, None)
        distinct = DistinctPeople.objects.filter(
            Q(person_a_id=person_id) | Q(person_b_id=person_id)
        ).values_list("person_a_id", "person_b_id")
        for a, b in distinct:
            reasons.pop(a if b == person_id else b, None)
    if not reasons:
        return []
    people = Person.objects.filter(pk__in=reasons, is_active=True, merged_into__isnull=True)
    order = {"npi": 0, "name_birthday": 1, "name_email": 2}
    found = [(p, reasons[p.pk]) for p in people]
    found.sort(key=lambda row: (min(order.get(r, 9) for r in row[1]), row[0].pk))
    return found
