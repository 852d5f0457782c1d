"""Helpers for the credit tests: approved sessions, signed Twilio requests, TwiML replies."""

import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.conf import settings
from twilio.request_validator import RequestValidator

from activities.services.children import child_approve
from tests import factories as f
from tests.personas import PHONE  # the learner's phone (re-exported for the SMS tests)

TOKEN = "test-twilio-auth-token"
SMS_PATH = "/sms/inbound/"


def approved_child(series, office, *, start, minutes=60, name="Sepsis bundles in the first hour"):
    child = f.child(series, start=start, minutes=minutes, name=name)
    speaker = f.person(last_name="Speaker")
    f.disclosure(speaker, at=start - timedelta(days=30))
    f.assign(child, speaker)
    return child_approve(child, reviewer=office, now=start - timedelta(days=5))


def pending_child(series, *, start, minutes=60, name="Sepsis bundles in the first hour"):
    """Faculty with a disclosure, awaiting the office: status PENDING."""
    child = f.child(series, start=start, minutes=minutes, name=name)
    speaker = f.person(last_name="Speaker")
    f.disclosure(speaker, at=start - timedelta(days=30))
    f.assign(child, speaker)
    child.refresh_from_db()
    return child


def sign(params: dict, path: str = SMS_PATH, token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(f"{settings.SITE_URL}{path}", params)


def new_sid() -> str:
    """A MessageSid as Twilio makes them: "SM" and 32 hex digits, one per text."""
    return f"SM{uuid.uuid4().hex}"


def sms(client, body, phone=PHONE, *, signature=None, sid=None, **extra):
    """POST a text to the webhook as Twilio does, signed unless a signature is given. Each call is
    a new text (a new MessageSid) unless `sid` repeats one, as a Twilio retry does."""
    params = {"From": phone, "To": "+17345550000", "Body": body, "MessageSid": sid or new_sid()}
    return client.post(
        SMS_PATH,
        params,
        HTTP_X_TWILIO_SIGNATURE=sign(params) if signature is None else signature,
        **extra,
    )


def reply_of(response) -> str:
    """The text of the TwiML <Message>, or "" when the response says nothing."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1
    return messages[0].text if messages else ""


def text(client, body, phone=PHONE) -> str:
    return reply_of(sms(client, body, phone))
