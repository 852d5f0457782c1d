"""Build an email from its template triple: emails/<name>/subject.txt, body.txt, body.html.

The one helper every email goes through (`rss_dashboard.outbox.queue_email` calls it). Two choices
that render_to_string would get wrong for email:
- Plain text is rendered without HTML escaping: "OCME&LL" stays "OCME&LL", not "OCME&amp;LL".
- Datetimes are shown in the time zone of the session the email is about (`context["child"]`), else
  in TIME_ZONE, whatever zone the calling request activated: a session in Los Angeles reads
  "10:00 AM PDT" in its emails. Add the zone to times ("g:i A T") where several zones can meet.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, engines
from django.utils import timezone


@dataclass(frozen=True)
class BuiltEmail:
    subject: str
    text: str
    html: str


def _render(name: str, ctx: dict, *, autoescape: bool) -> str:
    template = engines["django"].engine.get_template(name)
    return template.render(Context(ctx, autoescape=autoescape))


def build_email(name: str, context: dict) -> BuiltEmail:
    ctx = {
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
        "office_name": settings.OFFICE_NAME,
        "office_email": settings.OFFICE_EMAIL,
        **context,
    }
    zone = getattr(context.get("child"), "time_zone", None) or settings.TIME_ZONE
    with timezone.override(zone):
        # One line, whatever the template's whitespace: a newline would be a header break.
        subject = " ".join(_render(f"emails/{name}/subject.txt", ctx, autoescape=False).split())
        text = _render(f"emails/{name}/body.txt", ctx, autoescape=False)
        html = _render(f"emails/{name}/body.html", ctx, autoescape=True)
    # Template tags on their own lines leave blank runs behind; a reader sees one blank line.
    text = re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip() + "\n"
    return BuiltEmail(subject=subject[:255], text=text, html=html)
