""" "Email me a link" on the sign-in page, for people without a password (faculty a coordinator
added, planners): coming from the disclosure form, their personal disclosure link; otherwise the
link to set a password and sign in. The answer never says whether the address has an account."""

from django import forms
from django.contrib.auth.views import LoginView
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from activities.services.disclosure_requests import disclosure_link_send
from faculty.forms import EmailAuthenticationForm, OutboxPasswordResetForm
from faculty.services import find_person_by_email
from rss_dashboard import ratelimit
from rss_dashboard.http import safe_next, too_many

DISCLOSURE_PATHS = ("/disclosure/", "/form.aspx")


class EmailLinkForm(forms.Form):
    email = forms.EmailField(label="Email", max_length=254)


def wants_disclosure(next_url: str) -> bool:
    return next_url.lower().startswith(DISCLOSURE_PATHS)


@require_http_methods(["GET", "POST"])
def email_link(request):
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    disclosure = wants_disclosure(next_url)
    form = EmailLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ratelimit.over("email_link_ip", ratelimit.client_ip(request)):
            return too_many(request, "link requests")
        email = form.cleaned_data["email"]
        person = find_person_by_email(email)
        if (
            person is not None
            and person.is_active
            and not ratelimit.over("email_link_address", person.email)
        ):
            if disclosure:
                disclosure_link_send(person)
            else:
                reset = OutboxPasswordResetForm({"email": person.email})
                if reset.is_valid():
                    reset.save(request=request)
        return render(
            request,
            "registration/email_link.html",
            {"sent_to": email, "disclosure": disclosure, "next": next_url},
        )
    return render(
        request,
        "registration/email_link.html",
        {"form": form, "disclosure": disclosure, "next": next_url},
    )


class SignInView(LoginView):
    """Django's sign-in, saying "no password needed" to someone sent here by the disclosure
    form (the manual's Form.aspx link lands here when the person is not signed in)."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["for_disclosure"] = wants_disclosure(context.get("next") or "")
        return context
