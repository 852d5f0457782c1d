"""The page behind the link of a phone-link email (credit/services_phone_links.py).

Opening the link shows what it will do; only the Confirm button links the phone, so a mail
scanner that follows links changes nothing. The token is the proof: no sign-in is needed.
"""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from credit.services_phone_links import confirm_by_token, request_for_token

STATUS_FOR_STATE = {"open": 200, "unknown": 404, "expired": 410, "used": 410, "locked": 410}


@require_http_methods(["GET", "POST"])
def phone_link_confirm(request, token: str):
    now = timezone.now()
    link, state = request_for_token(token, now)
    context = {"state": state, "phone_ending": link.phone[-4:] if link else ""}
    if state == "open" and request.method == "POST":
        result = confirm_by_token(token, now)
        context.update(state=result.outcome, result=result)
        status = 200 if result.outcome == "linked" else 409
        return render(request, "credit/phone_link.html", context, status=status)
    if state == "open":
        context["email"] = link.person.email if link.person else link.email
    return render(
        request, "credit/phone_link.html", context, status=STATUS_FOR_STATE.get(state, 404)
    )
