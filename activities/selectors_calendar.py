"""The business calendar of the site: public holidays of the configured place plus closure days."""

from django.conf import settings
from django.core.cache import cache

from .business_days import BusinessCalendar

_CACHE_KEY = "closure-days-v1"


def business_calendar() -> BusinessCalendar:
    from .models import ClosureDay

    days = cache.get(_CACHE_KEY)
    if days is None:
        days = list(ClosureDay.objects.values_list("date", flat=True))
        cache.set(_CACHE_KEY, days, 300)
    return BusinessCalendar(
        country=settings.HOLIDAY_COUNTRY,
        subdivision=settings.HOLIDAY_SUBDIVISION,
        closure_days=days,
    )


def forget_closure_days() -> None:
    cache.delete(_CACHE_KEY)
