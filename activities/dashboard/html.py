"""Rows to HTML with the second template engine ("rows" in settings.TEMPLATES: Jinja2, the same
markup about five times faster than Django's engine, which keeps a 100-row page well inside its
time budget). With PostgreSQL the rendered rows are shared between users and kept by content
(shared.py); here they are only rendered."""

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .rows import ChildRow

ROW_TEMPLATE = "activities/_child_row.html"
ROW_ENGINE = "rows"


def render_row(row: ChildRow, *, oob: bool = False) -> SafeString:
    html = render_to_string(ROW_TEMPLATE, {"row": row, "oob": oob}, using=ROW_ENGINE)
    return mark_safe(html.strip())


def render_rows(rows: Sequence[ChildRow]) -> SafeString:
    """The rows' HTML, joined."""
    return mark_safe("".join(render_row(row) for row in rows))
