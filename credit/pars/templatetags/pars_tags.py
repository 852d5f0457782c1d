"""The claim pages ask once for what a series reporting to boards needs (SPEC §13)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from credit.pars.codes import BOARD_SHORT, STATE_TARGET
from credit.pars.models import BoardIdentifier, LearnerIdentity, MocRegistration, SeriesReport

register = template.Library()


def needed(person, parent_id: int) -> list[str]:
    """What this series could report for the learner that the learner has neither given nor
    been asked for: board codes and STATE_TARGET."""
    wants = list(
        MocRegistration.objects.filter(report__parent_id=parent_id).values_list("board", flat=True)
    )
    if SeriesReport.objects.filter(parent_id=parent_id, state_boards=True).exists():
        wants.append(STATE_TARGET)
    if not wants:
        return []
    who = LearnerIdentity.objects.filter(person=person).first()
    asked = set(who.asked) if who else set()
    given = set(BoardIdentifier.objects.filter(person=person).values_list("board", flat=True))
    if who and (who.license_number or who.npi):
        given.add(STATE_TARGET)
    return [w for w in wants if w not in asked and w not in given]


@register.inclusion_tag("pars/_identifiers_prompt.html", takes_context=True)
def identifiers_prompt(context, parent_id: int):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"targets": []}
    targets = needed(user, parent_id)
    names = [
        "your state medical board" if t == STATE_TARGET else BOARD_SHORT.get(t, t) for t in targets
    ]
    return {
        "targets": targets,
        "names": names,
        "url": f"{reverse('my_identifiers')}?{urlencode({'ask': ','.join(targets), 'next': request.path})}",
    }
