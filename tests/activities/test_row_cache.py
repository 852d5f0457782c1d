"""Rendered rows are cached by content, so a change to anything a row shows renders anew."""

import dataclasses

import pytest
from django.core.cache import caches

from activities.dashboard.html import render_row, render_rows
from activities.dashboard.html import row_key as _row_key
from activities.dashboard.listing import dashboard_row
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def row():
    coordinator = f.person()
    child = f.child(f.parent(coordinators=[coordinator]), name="Heart failure")
    return dashboard_row(coordinator, child.pk)


def test_it_serves_the_same_html_from_the_cache(row, settings):
    settings.DEBUG = False
    first = render_rows([row])
    assert caches["rows"].get(_row_key(row)) == render_row(row)
    assert render_rows([row]) == first == render_row(row)


def test_a_changed_row_never_gets_the_old_html(row, settings):
    settings.DEBUG = False
    render_rows([row])
    renamed = dataclasses.replace(row, name="Sepsis", status_label="APPROVED")
    assert _row_key(renamed) != _row_key(row)
    html = render_rows([renamed])
    assert html == render_row(renamed) != render_row(row)
    assert ">Sepsis<" in html
