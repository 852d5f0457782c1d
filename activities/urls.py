from django.urls import path

from .views import calendar, conversation, dashboard, editor, lifecycle, renewal, support

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
]
