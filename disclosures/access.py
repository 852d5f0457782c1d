"""Whose disclosure form a request may open (SPEC §5): signed in for yourself, or a personal link.

Rules chosen (docs/disclosures.md):
- The link's token identifies the person; whoever holds a valid link may submit for that person
  without signing in, as often as they like until the link expires (30 days). A later submission
  is simply a newer disclosure.
- A tampered or malformed token: 400. An expired token: 400 with "expired" and how to get a new
  one. A token whose person no longer exists, was deactivated, or whose address changed since it
  was sent: 400 "no longer valid". None of these pages names anyone.
- A link for a person who was merged into another account opens the form of the kept account
  (the office decided they are the same human).
- Signed in as B with A's link: 403 that explains the link is someone else's and offers to sign
  out (and come back to the link) or to complete B's own disclosure; nothing of A is shown.
- No token and not signed in: the sign-in page, then back to the form.
"""

from dataclasses import dataclass

from django.core import signing

from faculty.models import Person

from .links import person_id_from_token

MAX_MERGE_HOPS = 10


@dataclass(frozen=True)
class FormAccess:
    person: Person | None
    token: str = ""
    problem: str = ""  # "", "tampered", "expired", "stale", "someone_else", "login"

    @property
    def status(self) -> int:
        return {"someone_else": 403}.get(self.problem, 400)


def _follow_merges(person: Person) -> Person | None:
    for _ in range(MAX_MERGE_HOPS):
        if person.merged_into_id is None:
            return person if person.is_active else None
        person = Person.objects.get(pk=person.merged_into_id)
    return None


def form_access(request) -> FormAccess:
    token = (request.GET.get("t") or "").strip()
    user = request.user
    if not token:
        if not user.is_authenticated:
            return FormAccess(None, problem="login")
        return FormAccess(user)
    try:
        person_id, email = person_id_from_token(token)
    except signing.SignatureExpired:
        return FormAccess(None, token, problem="expired")
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return FormAccess(None, token, problem="tampered")
    person = Person.objects.filter(pk=person_id).first()
    if person is None or person.email != email:
        return FormAccess(None, token, problem="stale")
    person = _follow_merges(person)
    if person is None:
        return FormAccess(None, token, problem="stale")
    if user.is_authenticated and user.pk != person.pk:
        return FormAccess(None, token, problem="someone_else")
    return FormAccess(person, token)
