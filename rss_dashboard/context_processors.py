from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "OFFICE_NAME": settings.OFFICE_NAME,
        "PROVIDER_NAME": settings.PROVIDER_NAME,
        "OFFICE_EMAIL": settings.OFFICE_EMAIL,
        "TWILIO_NUMBER": settings.TWILIO_NUMBER,
    }
