"""Certificates (the learner's own, as PDF) and the public verification page (issue 17)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from credit.selectors_certificate import verification
from credit.services_certificate import (
    CertificateError,
    certificate_for_claim,
    certificate_for_year,
    normalize_code,
)
from rss_dashboard import ratelimit

from .common import file_response, too_many


@login_required
@require_GET
def certificate_claim_pdf(request, child_id: int):
    try:
        certificate = certificate_for_claim(learner=request.user, child_id=child_id)
    except CertificateError as exc:
        messages.error(request, exc.message)
        return redirect("transcript")
    # reportlab and qrcode load with the first certificate, not in every web worker.
    from credit.certificate_pdf import claim_certificate_pdf

    return file_response(claim_certificate_pdf(certificate))


@login_required
@require_GET
def certificate_year_pdf(request, year: int):
    try:
        certificate = certificate_for_year(learner=request.user, year=year)
    except CertificateError as exc:
        messages.error(request, exc.message)
        return redirect("transcript")
    from credit.certificate_pdf import year_certificate_pdf  # see certificate_claim_pdf

    return file_response(year_certificate_pdf(certificate))


@require_GET
def verify(request, code: str):
    if ratelimit.over("verify_ip", ratelimit.client_ip(request)):
        return too_many(request, "verifications")
    found = verification(code)
    response = render(
        request,
        "credit/verify.html",
        {"verification": found, "code": code[:40]},
        status=200 if found is not None else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def verify_lookup(request):
    """/verify/?code=ABCDE-FGHJK (the code typed off a printed certificate)."""
    code = normalize_code(request.GET.get("code", ""))
    if code:
        return redirect(reverse("verify", args=[code]))
    return render(request, "credit/verify.html", {"lookup": True})
