from django.urls import path

from .views import (
    calendar,
    conversation,
    dashboard,
    disclosure_requests,
    editor,
    faculty,
    lifecycle,
    people,
    presentations,
    renewal,
    support,
)

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("help/", support.help_page, name="help"),
    path("help/contact/", support.help_contact, name="help_contact"),
    path("help/contact/sent/", support.help_contact_done, name="help_contact_done"),
    path("children/new/", lifecycle.child_new, name="child_new"),
    path("children/<int:child_id>/row/", dashboard.child_row, name="child_row"),
    path("children/<int:child_id>/edit/", editor.child_edit, name="child_edit"),
    path("children/files/<int:file_id>/", editor.child_file_download, name="child_file_download"),
    path(
        "children/<int:child_id>/deactivate/", lifecycle.child_deactivate, name="child_deactivate"
    ),
    path(
        "children/<int:child_id>/reactivate/", lifecycle.child_reactivate, name="child_reactivate"
    ),
    path("children/<int:child_id>/move/", calendar.child_move_view, name="child_move"),
    path("children/<int:child_id>/comments/", conversation.child_comments, name="child_comments"),
    path("children/<int:child_id>/email/", conversation.child_email_team, name="child_email_team"),
    path(
        "children/<int:child_id>/email/<int:person_id>/",
        conversation.child_email_person,
        name="child_email_person",
    ),
    path("parents/<int:parent_id>/calendar/", calendar.parent_calendar, name="parent_calendar"),
    path(
        "parents/<int:parent_id>/recurrence/", calendar.parent_recurrence, name="parent_recurrence"
    ),
    path("parents/<int:parent_id>/renew/", renewal.parent_renew_view, name="parent_renew"),
    # Faculty on a child (Manage Faculty), presentations, the person page, disclosure requests.
    path("children/<int:child_id>/faculty/", faculty.manage_faculty, name="manage_faculty"),
    path("children/<int:child_id>/faculty/search/", faculty.faculty_search, name="faculty_search"),
    path(
        "children/<int:child_id>/faculty/pick/<int:person_id>/",
        faculty.faculty_pick,
        name="faculty_pick",
    ),
    path("children/<int:child_id>/faculty/add/", faculty.faculty_add, name="faculty_add"),
    path(
        "children/<int:child_id>/faculty/new-person/",
        faculty.faculty_person_new,
        name="faculty_person_new",
    ),
    path("assignments/<int:assignment_id>/remove/", faculty.faculty_remove, name="faculty_remove"),
    path(
        "assignments/<int:assignment_id>/presentation/",
        presentations.presentation_form,
        name="presentation_form",
    ),
    path(
        "assignments/<int:assignment_id>/presentation/download/",
        presentations.presentation_download,
        name="presentation_download",
    ),
    path(
        "assignments/<int:assignment_id>/presentation/delete/",
        presentations.presentation_delete,
        name="presentation_delete",
    ),
    path(
        "presentations/upload/<str:token>/",
        presentations.presentation_upload,
        name="presentation_upload",
    ),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path(
        "people/<int:person_id>/request-disclosure/",
        disclosure_requests.disclosure_request_view,
        name="disclosure_request",
    ),
]
