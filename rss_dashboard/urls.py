from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from activities.views.email_link import SignInView, email_link
from faculty.forms import OutboxPasswordResetForm

from . import views

# The admin is the office's workplace: its name, not Django's, and its index is the office home.
admin.site.site_header = f"{settings.SITE_NAME}: {settings.OFFICE_NAME}"
admin.site.site_title = f"{settings.OFFICE_NAME} admin"
admin.site.index_title = "Office home"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ready", views.healthz_ready, name="healthz_ready"),
    path("admin/", admin.site.urls),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/email-link/", email_link, name="email_link"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("activities.urls")),
    path("", include("faculty.urls")),
    path("", include("disclosures.urls")),
    path("", include("credit.urls")),
    path("", include("flyers.urls")),
    path("", include("credit.pars.urls")),
]
