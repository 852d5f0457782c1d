"""Helpers the dashboard's views share: windows, rows updated in place, messages to the page."""

import json

from django.http import HttpResponse
from django.shortcuts import render

from activities.dashboard.html import render_row
from activities.dashboard.listing import dashboard_row

WINDOW_TARGET = "window-content"


def render_window(request, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    """A window: a Bootstrap modal for #modal-host, its content for a request from inside the
    window, or a page of its own when opened without htmx (the same template for all three)."""
    if not request.htmx:
        base, mode = "activities/window/page.html", "page"
    elif request.htmx.target == "modal-host":
        base, mode = "activities/window/modal.html", "modal"
    else:
        base, mode = "activities/window/inner.html", "inner"
    return render(
        request, template, {**context, "window_base": base, "window_mode": mode}, status=status
    )


def row_html(request, child_id: int, *, oob: bool = False) -> str:
    """The dashboard row of a child, re-rendered; with oob it replaces the row on the page."""
    row = dashboard_row(request.user, child_id)
    return render_row(row, oob=oob) if row is not None else ""


def with_row(response: HttpResponse, request, child_id: int) -> HttpResponse:
    """Append the child's row as an out-of-band swap so the dashboard updates behind a window."""
    if request.htmx:
        # In a <template> so the browser's parser keeps the <tr> (a table row after other markup
        # is dropped otherwise); htmx swaps out-of-band elements found inside templates.
        row = row_html(request, child_id, oob=True)
        response.content += f"<template>{row}</template>".encode()
    return response


def trigger(response: HttpResponse, **events) -> HttpResponse:
    """Client events for app.js: closeModal, showMessage."""
    existing = json.loads(response.get("HX-Trigger", "{}") or "{}")
    existing.update(events)
    response["HX-Trigger"] = json.dumps(existing)
    return response


def dashboard_url_for(child_id: int) -> str:
    from django.urls import reverse

    return f"{reverse('dashboard')}?child_id={child_id}"
