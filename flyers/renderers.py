"""Renderers return (filename, content_type, bytes); the views only wrap them in a response."""

from django.utils.text import slugify

from activities.models import ChildActivity

from .content import build_flyer
from .qr import claim_url, qr_claim_url, qr_png, qr_svg

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
SVG = "image/svg+xml"

Rendered = tuple[str, str, bytes]


def render_flyer_docx(child: ChildActivity, *, include_qr: bool = False) -> Rendered:
    """The Word flyer; raises content.FlyerError where SPEC §9 says there is none."""
    # python-docx (with lxml, ~8 MB) loads with the first flyer, not in every web worker.
    from .word import build_docx

    content = build_flyer(child)
    qr = qr_png(qr_claim_url(child.pk)) if include_qr else None
    name = slugify(content.session_name)[:60].strip("-") or "session"
    suffix = "-DRAFT" if content.draft else ""
    return f"flyer-{child.pk}-{name}{suffix}.docx", DOCX, build_docx(content, qr_png=qr)


def render_qr_png(child: ChildActivity) -> Rendered:
    return f"claim-qr-{child.pk}.png", PNG, qr_png(qr_claim_url(child.pk))


def render_qr_svg(child: ChildActivity) -> Rendered:
    title = f"Claim credit: {claim_url(child.pk)}"
    return f"claim-qr-{child.pk}.svg", SVG, qr_svg(qr_claim_url(child.pk), title=title)
