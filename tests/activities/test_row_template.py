"""The row template renders the same with Jinja2 (used for speed) and with Django's engine."""

import html
import re

import pytest
from django.template import engines

from activities.dashboard.html import ROW_TEMPLATE, render_row
from activities.dashboard.listing import dashboard_row
from tests import factories as f

pytestmark = pytest.mark.django_db


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def test_both_engines_render_the_same_row(coordinator, child):
    speaker = f.person(last_name="O'Brien", first_name="Pat <b>")
    f.disclosure(speaker, relationships=[("Acme & Sons", f.CONSULTANT)])
    f.assign(child, speaker)
    row = dashboard_row(coordinator, child.pk)
    fast = render_row(row)
    django = engines["django"].get_template(ROW_TEMPLATE).render({"row": row, "oob": False})
    assert normalized(fast) == normalized(django)
    assert "Pat &lt;b&gt;" in fast and "<b>" not in fast  # escaped
    assert "<svg" in fast  # icons are trusted markup
