from django.urls import path

from .views import (
    accounts,
    attendance,
    certificates,
    claim,
    evaluate,
    evaluations,
    kiosk,
    learner,
    phone_link,
    portal,
    reports,
    sms,
)

urlpatterns = [
    path("sms/inbound/", sms.sms_inbound, name="sms_inbound"),
    path("sms/link/<str:token>/", phone_link.phone_link_confirm, name="phone_link_confirm"),
    path("claim/<int:child_id>/", claim.claim, name="claim"),
    path("claim/<int:child_id>/done/", claim.claim_result, name="claim_result"),
    path("claim/<int:child_id>/late/", claim.late_claim_request_view, name="late_claim_request"),
    path("accounts/register/", accounts.register, name="register"),
    path("transcript/", learner.transcript_view, name="transcript"),
    path("transcript/transcript.csv", learner.transcript_csv_view, name="transcript_csv"),
    path("transcript/print/", learner.transcript_print, name="transcript_print"),
    path("series/", portal.portal, name="portal"),
    path("series/<int:parent_id>/calendar.ics", portal.series_ics, name="series_ics"),
    path(
        "children/<int:child_id>/attendance.csv",
        reports.child_attendance_csv,
        name="child_attendance_csv",
    ),
    path("parents/<int:parent_id>/reports/", reports.parent_reports, name="parent_reports"),
    path(
        "parents/<int:parent_id>/reports/summary.csv",
        reports.parent_summary_csv,
        name="parent_summary_csv",
    ),
    path(
        "parents/<int:parent_id>/reports/pars.csv", reports.parent_pars_csv, name="parent_pars_csv"
    ),
    path("parents/<int:parent_id>/late-claims/", reports.late_claims, name="late_claims"),
    # Evaluations and certificates (issue 17).
    path("e/<str:token>/", evaluate.evaluation_by_link, name="evaluation_by_link"),
    path("claim/<int:child_id>/evaluation/", evaluate.claim_evaluation, name="claim_evaluation"),
    path(
        "transcript/certificates/<int:child_id>.pdf",
        certificates.certificate_claim_pdf,
        name="certificate_claim_pdf",
    ),
    path(
        "transcript/certificates/year/<int:year>.pdf",
        certificates.certificate_year_pdf,
        name="certificate_year_pdf",
    ),
    path("verify/", certificates.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", certificates.verify, name="verify"),
    path(
        "parents/<int:parent_id>/evaluation/",
        evaluations.evaluation_form_edit,
        name="evaluation_form_edit",
    ),
    path(
        "evaluations/template/",
        evaluations.evaluation_template_edit,
        name="evaluation_template_edit",
    ),
    path(
        "parents/<int:parent_id>/evaluations/",
        evaluations.evaluation_summary_view,
        name="evaluation_summary",
    ),
    path(
        "parents/<int:parent_id>/evaluations/figures.csv",
        evaluations.evaluation_figures_csv,
        name="evaluation_figures_csv",
    ),
    path(
        "parents/<int:parent_id>/evaluations/comments.csv",
        evaluations.evaluation_comments_csv,
        name="evaluation_comments_csv",
    ),
    path(
        "parents/<int:parent_id>/evaluations/respondents.csv",
        evaluations.evaluation_respondents_csv,
        name="evaluation_respondents_csv",
    ),
    # Attendance from Zoom, Teams, sign-in rosters and the kiosk (issue 18).
    path(
        "children/<int:child_id>/attendance/", attendance.child_attendance, name="child_attendance"
    ),
    path(
        "children/<int:child_id>/attendance/preview/",
        attendance.attendance_preview_view,
        name="attendance_preview",
    ),
    path(
        "children/<int:child_id>/attendance/import/",
        attendance.attendance_import_view,
        name="attendance_import",
    ),
    path(
        "attendance/imports/<int:import_id>/",
        attendance.attendance_import_detail,
        name="attendance_import_detail",
    ),
    path(
        "attendance/imports/<int:import_id>/undo/",
        attendance.attendance_import_undo_view,
        name="attendance_import_undo",
    ),
    path(
        "attendance/entries/<int:entry_id>/confirm/",
        attendance.attendance_entry_confirm_view,
        name="attendance_entry_confirm",
    ),
    path(
        "parents/<int:parent_id>/attendance-minimum/",
        attendance.attendance_minimum,
        name="attendance_minimum",
    ),
    path("children/<int:child_id>/kiosk/", attendance.kiosk_open_view, name="kiosk_open"),
    path("kiosks/<int:kiosk_id>/close/", attendance.kiosk_close_view, name="kiosk_close"),
    path(
        "kiosk-check-ins/<int:check_in_id>/confirm/",
        attendance.kiosk_check_in_confirm_view,
        name="kiosk_check_in_confirm",
    ),
    path("kiosk/<str:token>/", kiosk.kiosk_page, name="kiosk"),
    path("kiosk/<str:token>/check-in/", kiosk.kiosk_check_in_view, name="kiosk_check_in"),
    path("transcript/check-in-code/", kiosk.check_in_code_view, name="check_in_code"),
]
