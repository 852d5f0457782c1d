from django.conf import settings
from django.utils.functional import SimpleLazyObject

from faculty.people import display_phone


def _shows_dashboard(user) -> bool:
    """Only people with a series (and the office) get the RSS Dashboard link: a learner's
    dashboard is empty (issue 14)."""
    from activities.access import has_a_series

    return user.is_authenticated and (user.is_reviewer or has_a_series(user))


def site(request):
    """Names and numbers every page may show; phone numbers in the one national format."""
    user = getattr(request, "user", None)
    return {
        # Lazy: one query, only on pages that print the navigation.
        "SHOWS_DASHBOARD": SimpleLazyObject(lambda: user is not None and _shows_dashboard(user)),
        "SITE_NAME": settings.SITE_NAME,
        "OFFICE_NAME": settings.OFFICE_NAME,
        "PROVIDER_NAME": settings.PROVIDER_NAME,
        "OFFICE_EMAIL": settings.OFFICE_EMAIL,
        "OFFICE_PHONE": display_phone(settings.OFFICE_PHONE),
        "OFFICE_PHONE_E164": settings.OFFICE_PHONE,
        "TWILIO_NUMBER": settings.TWILIO_NUMBER,
        "SMS_NUMBER": display_phone(settings.TWILIO_NUMBER),
    }
