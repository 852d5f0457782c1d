from django.urls import path, re_path

from . import views

urlpatterns = [
    path("disclosure/", views.disclosure_form, name="disclosure_form"),
    path("disclosure/done/", views.disclosure_done, name="disclosure_done"),
    # The manual's address for the form, matched without regard to case as IIS did.
    re_path(
        r"^[Ff][Oo][Rr][Mm]\.[Aa][Ss][Pp][Xx]$", views.legacy_form, name="disclosure_legacy_form"
    ),
]
