"""Twilio's messaging webhook: check the signature, answer the text in TwiML (SPEC §11)."""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from credit import messages as msg
from credit.rules import parse_sms
from credit.services_sms import handle_inbound, record_throttled
from rss_dashboard import ratelimit

log = logging.getLogger(__name__)


def signature_ok(request) -> bool:
    """Valid only for the public address Twilio was given (SITE_URL), so it works behind a proxy.

    With no auth token configured nothing validates: an empty HMAC key could be forged by anyone."""
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    # twilio loads with the first text message, not in every web worker.
    from twilio.request_validator import RequestValidator

    return RequestValidator(token).validate(url, request.POST, signature)


def twiml(text: str) -> HttpResponse:
    from twilio.twiml.messaging_response import MessagingResponse  # see signature_ok

    response = MessagingResponse()
    if text:
        response.message(text)
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


@csrf_exempt
@require_POST
def sms_inbound(request):
    # The signature first: Twilio posts every customer's webhooks from shared addresses, so
    # refusing an address for its bad requests would let one attacker stop all real claims.
    if not signature_ok(request):
        ip = ratelimit.client_ip(request)
        failures = ratelimit.hit("sms_forged_ip", ip)
        log.warning("sms: rejected a request without a valid Twilio signature from %s", ip)
        if failures == ratelimit.limit_for("sms_forged_ip")[0]:
            log.error("sms: %s sent %d requests with bad signatures in a minute", ip, failures)
        return HttpResponseForbidden("Invalid signature.", content_type="text/plain")
    phone = request.POST.get("From", "")
    body = request.POST.get("Body", "")
    sid = request.POST.get("MessageSid", "")
    now = timezone.now()
    try:
        count = ratelimit.hit("sms_phone", phone)
        limit = ratelimit.limit_for("sms_phone")[0]
        # STOP and START are honoured even from a phone that is over its limit.
        if count > limit and parse_sms(body).kind not in ("stop", "start"):
            return twiml(
                record_throttled(phone, body, now, first=count == limit + 1, message_sid=sid)
            )
        return twiml(handle_inbound(phone, body, now, message_sid=sid))
    except Exception:  # noqa: BLE001 - a learner gets a polite answer, never an error page
        log.exception("sms: failed to handle a text from %s", phone[:20])
        return twiml(msg.failure())


sms_inbound.accepts_nul_bytes = (
    True  # it strips what PostgreSQL cannot store (rss_dashboard/hostile.py)
)
