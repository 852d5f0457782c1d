"""The admin index's "What is waiting" panel: the office home (disclosures/office_home.py)."""

from django import template
from django.utils.timesince import timesince

from ..office_home import office_waiting

register = template.Library()


@register.simple_tag
def office_work(user):
    return office_waiting(user)


@register.filter
def waited(since) -> str:
    """ "3 days" (the first unit of how long the oldest item has waited)."""
    return timesince(since).split(",")[0] if since else ""
