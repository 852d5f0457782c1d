"""Build an email from its template triple: emails/<name>/subject.txt, body.txt, body.html."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string


@dataclass(frozen=True)
class BuiltEmail:
    subject: str
    text: str
    html: str


def build_email(name: str, context: dict) -> BuiltEmail:
    ctx = {
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
        "office_name": settings.OFFICE_NAME,
        **context,
    }
    subject = " ".join(render_to_string(f"emails/{name}/subject.txt", ctx).split())
    text = render_to_string(f"emails/{name}/body.txt", ctx).strip() + "\n"
    html = render_to_string(f"emails/{name}/body.html", ctx)
    return BuiltEmail(subject=subject[:255], text=text, html=html)
