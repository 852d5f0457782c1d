from django.urls import path

from .views import accounts, claim, learner, phone_link, portal, reports, sms

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
]
