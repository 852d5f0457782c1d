"""Talking about a child: its comment thread and emails to its people."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import dateformat, timezone
from django.views.decorators.http import require_http_methods

from activities.access import can_edit_parent, get_child_for_user
from activities.forms_conversation import CommentForm, EmailForm
from activities.models import Comment
from activities.services.comments import CommentError, comment_add, dashboard_link
from activities.services.messages import MessageError, message_send, reachable_person, team

from .common import dashboard_url_for, render_window, trigger, with_row


def may_comment(user, child) -> bool:
    return user.is_reviewer or can_edit_parent(user, child.parent_id)


@login_required
@require_http_methods(["GET", "POST"])
def child_comments(request, child_id: int):
    child = get_child_for_user(request.user, child_id)
    allowed = may_comment(request.user, child)
    form = CommentForm()
    added = False
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied("Only the series' coordinators and the office comment.")
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment_add(child=child, author=request.user, body=form.cleaned_data["body"])
            except CommentError as exc:
                form.add_error("body", exc.message)
            else:
                added = True
                form = CommentForm()
    thread = [
        {
            "author": c.author.name,
            "side": settings.OFFICE_NAME if c.from_office else "Coordinator",
            "from_office": c.from_office,
            "when": dateformat.format(timezone.localtime(c.created_at), "M j, Y, g:i A"),
            "body": c.body,
        }
        for c in Comment.objects.filter(child=child).select_related("author")
    ]
    other_side = "the coordinators" if request.user.is_reviewer else "the office"
    context = {
        "child": child,
        "thread": thread,
        "form": form,
        "may_comment": allowed,
        "added": added,
        "other_side": other_side,
    }
    response = render_window(request, "activities/comments.html", context)
    if added:
        if not request.htmx:
            messages.success(request, f"Comment added; {other_side} will get an email.")
            return redirect(dashboard_url_for(child.pk))
        trigger(response, showMessage=f"Comment added; {other_side} will get an email.")
        with_row(response, request, child.pk)
    return response


def _compose(request, child, recipients, *, title: str, why: str, link: str = ""):
    if request.method == "POST":
        form = EmailForm(request.POST)
        if form.is_valid():
            try:
                message_send(
                    child=child,
                    sender=request.user,
                    recipients=recipients,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    nonce=form.cleaned_data["nonce"],
                    why=why,
                    link=link,
                )
            except MessageError as exc:
                form.add_error(None, exc.message)
            else:
                text = f"Email queued to {', '.join(p.name for p in recipients)}."
                if not request.htmx:
                    messages.success(request, text)
                    return redirect(dashboard_url_for(child.pk))
                return trigger(HttpResponse(""), closeModal=True, showMessage=text)
    else:
        subject = f"{child.parent.name}: session {child.pk}"
        if child.name:
            subject += f" ({child.name})"
        form = EmailForm(initial={"subject": subject[:200], "nonce": secrets.token_urlsafe(18)})
    return render_window(
        request,
        "activities/email.html",
        {"child": child, "form": form, "recipients": recipients, "title": title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_email_team(request, child_id: int):
    child = get_child_for_user(request.user, child_id)  # owners may email too (SPEC §1)
    recipients = [p for p in team(child) if p.pk != request.user.pk] or team(child)
    why = (
        f"you are an owner or coordinator of {child.parent.name} and "
        f"{request.user.name} wrote to all of them about session {child.pk}"
    )
    return _compose(
        request,
        child,
        recipients,
        title="Email all owners and coordinators",
        why=why,
        link=dashboard_link(child),
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_email_person(request, child_id: int, person_id: int):
    child = get_child_for_user(request.user, child_id)
    person = reachable_person(child, person_id)
    if person is None:
        raise Http404("That person is not on this session.")
    why = f"{request.user.name} works on {child.parent.name} and wrote to you about session {child.pk}"
    return _compose(request, child, [person], title=f"Email {person.name}", why=why)
