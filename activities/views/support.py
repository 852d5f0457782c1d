"""The Help page (who to contact for what, how to claim credit, the manual's tips in short) and
"Contact the office", which files a ticket. Both open to everyone: a learner who cannot sign in
needs help most."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from activities.services.contact import TOPICS, ticket_contact
from rss_dashboard import ratelimit
from rss_dashboard.http import too_many


class HelpContactForm(forms.Form):
    topic = forms.ChoiceField(label="About", choices=list(TOPICS.items()))
    name = forms.CharField(label="Your name", max_length=120)
    email = forms.EmailField(
        label="Your email", max_length=254, help_text="The office answers here."
    )
    child_id = forms.IntegerField(
        label="Child ID (if it is about one session)",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
    )
    message = forms.CharField(
        label="Your message", max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )


@require_GET
def help_page(request):
    return render(request, "help/help.html", {"contact_url": reverse("help_contact")})


@require_http_methods(["GET", "POST"])
def help_contact(request):
    user = request.user if request.user.is_authenticated else None
    initial = {"name": user.display_name, "email": user.email} if user else {}
    if request.GET.get("child_id", "").isdigit():
        initial["child_id"] = request.GET["child_id"]
    form = HelpContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if ratelimit.over("contact_ip", ratelimit.client_ip(request)):
            return too_many(request, "messages")
        data = form.cleaned_data
        ticket = ticket_contact(
            topic=data["topic"],
            message=data["message"],
            name=data["name"],
            email=data["email"],
            child_id=data["child_id"],
            by=user,
        )
        request.session["contact_ticket"] = ticket.pk
        return redirect("help_contact_done")
    return render(request, "help/contact.html", {"form": form})


@require_GET
def help_contact_done(request):
    return render(
        request, "help/contact_done.html", {"ticket_id": request.session.get("contact_ticket")}
    )
