"""Learner registration with the duplicate-account check (SPEC §1).

An address whose account exists (directly or through a domain alias) proposes signing in or
resetting the password and creates nothing. An address on an alias domain gets its account on the
canonical domain (jdoe@med.umich.edu -> jdoe@umich.edu), and the learner is told so.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from credit.forms import RegisterForm
from credit.services_phone_links import confirm_by_registration, phone_for_registration
from credit.services_phones import account_for_email
from faculty.models import HoldSource
from faculty.people import email_domain
from faculty.services import PersonError
from faculty.services_duplicates import person_admit
from rss_dashboard import ratelimit

from .common import safe_next, too_many

FIELD_FOR_CODE = {
    "invalid_email": "email",
    "exists": "email",
    "last_name_required": "last_name",
}


@require_http_methods(["GET", "POST"])
def register(request):
    next_path = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_path or "transcript")
    context = {"next": next_path, "existing": None}
    if request.method == "GET":
        token = request.GET.get("t", "")[:64]
        form = RegisterForm(initial={"phone_token": token})
        context["phone_ending"] = _proven_phone_ending(token)
        return render(request, "credit/register.html", {**context, "form": form})
    if ratelimit.over("register_ip", ratelimit.client_ip(request)):
        return too_many(request, "registrations")
    form = RegisterForm(request.POST)
    context["form"] = form
    context["phone_ending"] = _proven_phone_ending(request.POST.get("phone_token", "")[:64])
    if not form.is_valid():
        return render(request, "credit/register.html", context)
    data = form.cleaned_data
    context["typed_email"] = data["email"]
    existing = account_for_email(data["email"])
    if existing is not None:
        context["existing"] = existing
        context["login_url"] = _with_next(reverse("login"), next_path)
        return render(request, "credit/register.html", context)
    token = data["phone_token"]
    try:
        admitted = person_admit(
            source=HoldSource.SMS_REGISTER if token else HoldSource.REGISTER,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            credentials=data["credentials"],
            profession=data["profession"],
            password=data["password1"],
            details={"phone_token": token} if token else {},
        )
    except PersonError as exc:
        form.add_error(FIELD_FOR_CODE.get(exc.code), exc.message)
        return render(request, "credit/register.html", context)
    if admitted.hold is not None:
        # Resembles an existing person: held for the office, who emails what happens next.
        return render(request, "registration/held.html", {"hold": admitted.hold})
    person = admitted.person
    person.sign_in_method = "registration"
    login(request, person, backend="faculty.auth.RoleBackend")
    if person.email != data["email"]:
        messages.success(
            request,
            f"Welcome! Addresses at {email_domain(data['email'])} and {email_domain(person.email)} "
            f"are the same mailbox, so your one account is {person.email}.",
        )
    else:
        messages.success(request, f"Welcome! Your account is {person.email}.")
    if data["phone_token"]:
        linked = confirm_by_registration(data["phone_token"], person=person, now=timezone.now())
        if linked.outcome == "linked":
            ending = linked.person.mobile_phone[-4:]
            messages.info(request, f"Texts from the phone ending in {ending} now claim credit.")
            for done in linked.completed:
                messages.info(request, done.message)
    return redirect(next_path or "transcript")


def _proven_phone_ending(token: str) -> str:
    phone = phone_for_registration(token, timezone.now()) if token else None
    return phone[-4:] if phone else ""


def _with_next(url: str, next_path: str) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode({'next': next_path})}" if next_path else url
