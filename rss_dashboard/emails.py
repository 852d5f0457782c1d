"""Build an email from its template triple: emails/<name>/subject.txt, body.txt, body.html.

The one helper every email goes through (`rss_dashboard.outbox.queue_email` calls it). Two choices
that render_to_string would get wrong for email:
- Plain text is rendered without HTML escaping: "OCME&LL" stays "OCME&LL", not "OCME&amp;LL".
- Datetimes are shown in their own time zone, not converted to TIME_ZONE: pass local values
  (`child.local_start`), so a session in Los Angeles reads "10:00 AM PST" in every email.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, engines


@dataclass(frozen=True)
class BuiltEmail:
    subject: str
    text: str
    html: str


def _render(name: str, ctx: dict, *, autoescape: bool) -> str:
    template = engines["django"].engine.get_template(name)
    return template.render(Context(ctx, autoescape=autoescape, use_tz=False))


def build_email(name: str, context: dict) -> BuiltEmail:
    ctx = {
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
        "office_name": settings.OFFICE_NAME,
        "office_email": settings.OFFICE_EMAIL,
        **context,
    }
    # One line, whatever the template's whitespace: a newline in a subject would be a header break.
    subject = " ".join(_render(f"emails/{name}/subject.txt", ctx, autoescape=False).split())
    text = _render(f"emails/{name}/body.txt", ctx, autoescape=False)
    # Template tags on their own lines leave blank runs behind; a reader sees one blank line.
    text = re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip() + "\n"
    html = _render(f"emails/{name}/body.html", ctx, autoescape=True)
    return BuiltEmail(subject=subject[:255], text=text, html=html)
