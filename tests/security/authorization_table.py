"""Who may reach each URL of the project (tests/security/test_authorization_matrix.py): the
outcome per role of every URL name, GET and POST, with the payload a POST sends."""

ROLES = ("anonymous", "learner", "faculty", "owner", "coord_a", "coord_b", "reviewer", "admin")

# Outcomes. OK: served (2xx, or a 3xx that is not a sign-in redirect); LOGIN: 302 to sign in.
OK, LOGIN = "ok", "login"
REFUSED = {LOGIN, 403, 404, 405, 429}


def per_role(**by_role):
    missing = set(ROLES) - set(by_role)
    assert not missing, missing
    return by_role


def everyone(outcome):
    return {role: outcome for role in ROLES}


# Who may look at series A (SPEC §1): its coordinators and owners, reviewers, administrators.
SERIES_READ = per_role(
    anonymous=LOGIN,
    learner=404,
    faculty=404,
    owner=OK,
    coord_a=OK,
    coord_b=404,
    reviewer=OK,
    admin=OK,
)
# Who may change series A: its coordinators and administrators; readers get 403.
SERIES_EDIT = {**SERIES_READ, "owner": 403, "reviewer": 403}
# Reports and attendance: coordinators, owners and administrators (credit/access.py), 404 else.
REPORTS = {**SERIES_READ, "anonymous": 404, "reviewer": 404}
LATE_DECIDE = {**REPORTS, "owner": 403}
# Taking attendance (imports, confirmations, the kiosk's controls): as deciding late claims.
ATTENDANCE = LATE_DECIDE
SIGNED_IN = {**everyone(OK), "anonymous": LOGIN}
NO_POST = everyone(405)
# The office writes in the conversation too (SPEC §1: reviewers talk to coordinators).
COMMENT = {**SERIES_EDIT, "reviewer": OK}
# Any series' coordinator may ask for a new session (of their own series); nobody else.
NEW_CHILD = {**everyone(403), "anonymous": LOGIN, "coord_a": OK, "coord_b": OK, "admin": OK}
# The disclosure link of the speaker: the speaker, or anyone not signed in who holds it; signed in
# as somebody else, the link is refused (403) rather than filing a disclosure for the wrong person.
TOKEN_FORM = {**everyone(403), "anonymous": OK, "faculty": OK}
# Reporting to ACCME (pars/access.py): the office (reviewers and administrators) only; others 404.
OFFICE = {**everyone(404), "anonymous": LOGIN, "reviewer": OK, "admin": OK}
# The series' PARS fields: read as the series, filled by its coordinators and the office.
PARS_FILL = {**SERIES_EDIT, "reviewer": OK}
PARS_LOCK = {**SERIES_EDIT, "coord_a": 403, "reviewer": OK}
# Series A is not ready to close: the office's activity export refuses it with the list (409).
PARS_EXPORT = {**OFFICE, "reviewer": 409, "admin": 409}
# Evaluations (issue 17): the summary for whoever may see the series (the office included); who
# responded for the office only; the form for coordinators and the office; the template for the
# office. A claim's evaluation link works for whoever holds it (the link is the proof).
EVAL_EDIT = {**SERIES_EDIT, "reviewer": OK}
RESPONDENTS = {**SERIES_READ, "owner": 403, "coord_a": 403}
OFFICE_ONLY = {**everyone(403), "anonymous": LOGIN, "reviewer": OK, "admin": OK}
EVALUATION_POST = {**{f"kind_{i}": "rating" for i in range(1, 6)}, "text_1": "Useful?"}


# url name -> (args from the world, GET expectations, POST expectations, POST data)
def expectations(w):
    c, a, parent = w["child"], w["assignment"], w["child"].parent_id
    speaker = w["speaker"].pk
    return {
        # Public: the sign-in pages, registration, claim page, SMS webhook, attendee portal, ICS
        # feed, disclosure form with a token, presentation upload with a token, /healthz.
        "home": ([], {**SIGNED_IN, "anonymous": LOGIN}, NO_POST, {}),
        "healthz": ([], everyone(200), NO_POST, {}),
        "healthz_ready": ([], everyone(200), NO_POST, {}),
        # Signed-in people are sent on from the sign-in page.
        "login": ([], everyone(OK), everyone(OK), {"username": "x", "password": "y"}),
        "password_reset": ([], everyone(200), everyone(OK), {"email": "nobody@example.org"}),
        "password_reset_done": ([], everyone(200), NO_POST, {}),
        "password_reset_confirm": (
            ["MQ", "set-password"],
            everyone(200),
            everyone(200),
            {"new_password1": "x", "new_password2": "x"},
        ),
        "password_reset_complete": ([], everyone(200), NO_POST, {}),
        "password_change": ([], SIGNED_IN, SIGNED_IN, {"old_password": "wrong"}),
        "password_change_done": ([], SIGNED_IN, NO_POST, {}),
        # Sign-in through the institution: public when configured (tests/identity), 404 here
        # where it is not; the callbacks of OpenID Connect answer GET only.
        "saml_login": ([], everyone(404), everyone(404), {}),
        "saml_acs": ([], everyone(404), everyone(404), {"SAMLResponse": "x"}),
        "saml_metadata": ([], everyone(404), everyone(404), {}),
        "oidc_login": ([], everyone(404), NO_POST, {}),
        "oidc_callback": ([], everyone(404), NO_POST, {}),
        "register": ([], {**everyone(OK)}, {**everyone(OK)}, {"email": "bad"}),
        "email_link": ([], everyone(200), everyone(200), {"email": "nobody@example.org"}),
        "help": ([], everyone(200), NO_POST, {}),
        "help_contact": ([], everyone(200), everyone(200), {"message": ""}),
        "help_contact_done": ([], everyone(200), NO_POST, {}),
        "claim": ([w["closed_child"].pk], everyone(200), {**SIGNED_IN, "anonymous": LOGIN}, {}),
        "claim_result": ([c.pk], {**SIGNED_IN}, NO_POST, {}),
        "late_claim_request": ([c.pk], NO_POST, SIGNED_IN, {"reason": ""}),
        "sms_inbound": ([], NO_POST, everyone(200), "sms"),
        # A phone-link confirmation: the emailed token is the proof; a made-up one is 404.
        "phone_link_confirm": (["made-up-token"], everyone(404), everyone(404), {}),
        "portal": ([], everyone(200), NO_POST, {}),
        "series_ics": ([parent], everyone(200), NO_POST, {}),
        "disclosure_form": ([], TOKEN_FORM, TOKEN_FORM, {"attest": ""}),
        "disclosure_done": ([], {**everyone(OK)}, NO_POST, {}),
        "disclosure_legacy_form": ([], everyone(404), NO_POST, {}),
        "presentation_upload": ([a.presentation_token], everyone(200), everyone(200), {}),
        # The learner's own pages.
        "transcript": ([], SIGNED_IN, NO_POST, {}),
        "transcript_csv": ([], SIGNED_IN, NO_POST, {}),
        "transcript_print": ([], SIGNED_IN, NO_POST, {}),
        # The dashboard of series A.
        "dashboard": ([], SIGNED_IN, NO_POST, {}),
        "child_new": ([], NEW_CHILD, NEW_CHILD, {"parent": parent}),
        "child_row": ([c.pk], SERIES_READ, NO_POST, {}),
        "child_edit": ([c.pk], SERIES_EDIT, SERIES_EDIT, {"name": "Changed"}),
        "child_file_download": ([w["file"].pk], SERIES_READ, NO_POST, {}),
        "child_deactivate": ([c.pk], SERIES_EDIT, SERIES_EDIT, {}),
        "child_reactivate": ([c.pk], NO_POST, SERIES_EDIT, {}),
        "child_move": ([c.pk], NO_POST, SERIES_EDIT, {"date": "2030-01-01"}),
        "child_comments": ([c.pk], SERIES_READ, COMMENT, {"body": "Changed"}),
        "child_email_team": ([c.pk], SERIES_READ, SERIES_READ, {"subject": "Hi", "body": "x"}),
        "child_email_person": ([c.pk, speaker], SERIES_READ, SERIES_READ, {"subject": "Hi"}),
        "parent_calendar": ([parent], SERIES_READ, NO_POST, {}),
        "parent_recurrence": ([parent], SERIES_READ, SERIES_EDIT, {"frequency": "weekly"}),
        "parent_renew": ([parent], SERIES_EDIT, SERIES_EDIT, {}),
        "manage_faculty": ([c.pk], SERIES_EDIT, NO_POST, {}),
        "faculty_search": ([c.pk], SERIES_EDIT, NO_POST, {}),
        "faculty_pick": ([c.pk, speaker], SERIES_EDIT, NO_POST, {}),
        "faculty_add": ([c.pk], NO_POST, SERIES_EDIT, {"person": speaker}),
        "faculty_person_new": ([c.pk], SERIES_EDIT, SERIES_EDIT, {"email": "n@example.org"}),
        "faculty_remove": ([a.pk], NO_POST, SERIES_EDIT, {}),
        "presentation_form": ([a.pk], SERIES_EDIT, SERIES_EDIT, {}),
        "presentation_download": ([a.pk], SERIES_READ, NO_POST, {}),
        "presentation_delete": ([a.pk], NO_POST, SERIES_EDIT, {}),
        "person_detail": ([speaker], {**SERIES_READ, "faculty": OK}, NO_POST, {}),
        # Coordinators of the person's series and the office ask for a disclosure again.
        "disclosure_request": (
            [speaker],
            NO_POST,
            {**SERIES_EDIT, "faculty": 403, "reviewer": OK},
            {},
        ),
        # Flyers and QR codes: whoever may see the child.
        "flyer_preview": ([c.pk], SERIES_READ, NO_POST, {}),
        "flyer_docx": ([c.pk], SERIES_READ, NO_POST, {}),
        "qr_page": ([c.pk], SERIES_READ, NO_POST, {}),
        "qr_png": ([c.pk], SERIES_READ, NO_POST, {}),
        "qr_svg": ([c.pk], SERIES_READ, NO_POST, {}),
        # Reports and late claims.
        "child_attendance_csv": ([c.pk], REPORTS, NO_POST, {}),
        "parent_reports": ([parent], REPORTS, NO_POST, {}),
        "parent_summary_csv": ([parent], REPORTS, NO_POST, {}),
        "parent_pars_csv": ([parent], REPORTS, NO_POST, {}),
        "late_claims": (
            [parent],
            REPORTS,
            LATE_DECIDE,
            {"request_id": w["late"].pk, "decision": "refuse", "note": "x"},
        ),
        # Reporting to ACCME (PARS).
        "parent_pars": ([parent], SERIES_READ, PARS_FILL, {"pars-description": "x"}),
        "parent_pars_lock": ([parent], NO_POST, PARS_LOCK, {"lock": "1"}),
        "my_identifiers": ([], SIGNED_IN, SIGNED_IN, {"birth_month": "1", "birth_day": "2"}),
        "pars_home": ([], OFFICE, NO_POST, {}),
        "pars_year": ([w["year"]], OFFICE, NO_POST, {}),
        "pars_activities_xlsx": ([w["year"]], PARS_EXPORT, NO_POST, {}),
        "pars_activities_txt": ([w["year"]], PARS_EXPORT, NO_POST, {}),
        "pars_learners": ([w["year"]], OFFICE, OFFICE, {}),
        "pars_summary": ([w["year"]], OFFICE, OFFICE, {"grants": "1"}),
        "pars_checklist": ([w["year"]], OFFICE, NO_POST, {}),
        "pars_batch_xlsx": ([w["batch"].pk], OFFICE, NO_POST, {}),
        "pars_batch_txt": ([w["batch"].pk], OFFICE, NO_POST, {}),
        "pars_answers": ([], OFFICE, OFFICE, {}),
        "pars_answer_resolve": ([w["rejected"].pk], NO_POST, OFFICE, {}),
        "pars_learner_identifiers": ([w["people"]["learner"].pk], OFFICE, OFFICE, {"npi": ""}),
        # Evaluations and certificates (issue 17).
        "evaluation_by_link": (
            [w["evaluation_claim"].evaluation_token],
            everyone(200),
            everyone(400),
            {},
        ),
        "claim_evaluation": (
            [w["closed_child"].pk],
            {**everyone(404), "anonymous": LOGIN, "learner": 200},
            {**everyone(404), "anonymous": LOGIN, "learner": 400},
            {},
        ),
        "certificate_claim_pdf": ([w["closed_child"].pk], SIGNED_IN, NO_POST, {}),
        "certificate_year_pdf": ([2026], SIGNED_IN, NO_POST, {}),
        "verify": ([w["certificate"].code], everyone(200), NO_POST, {}),
        "verify_lookup": ([], everyone(200), NO_POST, {}),
        "evaluation_form_edit": ([parent], EVAL_EDIT, EVAL_EDIT, EVALUATION_POST),
        "evaluation_template_edit": ([], OFFICE_ONLY, OFFICE_ONLY, EVALUATION_POST),
        "evaluation_summary": ([parent], SERIES_READ, NO_POST, {}),
        "evaluation_figures_csv": ([parent], SERIES_READ, NO_POST, {}),
        "evaluation_comments_csv": ([parent], SERIES_READ, NO_POST, {}),
        "evaluation_respondents_csv": ([parent], RESPONDENTS, NO_POST, {}),
        # Attendance from Zoom, Teams, rosters and the kiosk (issue 18).
        "child_attendance": ([c.pk], REPORTS, NO_POST, {}),
        "attendance_preview": ([c.pk], NO_POST, ATTENDANCE, {"kind": "report"}),
        "attendance_import": ([c.pk], NO_POST, ATTENDANCE, {"token": "made-up"}),
        "attendance_import_detail": ([w["import"].pk], REPORTS, NO_POST, {}),
        "attendance_import_undo": ([w["import"].pk], NO_POST, ATTENDANCE, {}),
        "attendance_entry_confirm": (
            [w["entry"].pk],
            NO_POST,
            ATTENDANCE,
            {"email": "learner@umich.edu"},
        ),
        "attendance_minimum": ([parent], NO_POST, ATTENDANCE, {"minimum_percent": "80"}),
        "kiosk_open": ([c.pk], NO_POST, ATTENDANCE, {}),
        "kiosk_close": ([w["kiosk"].pk], NO_POST, ATTENDANCE, {}),
        "kiosk_check_in_confirm": (
            [w["check_in"].pk],
            NO_POST,
            ATTENDANCE,
            {"email": "learner@umich.edu"},
        ),
        # The kiosk's unguessable link is its credential (a made-up one is 404).
        "kiosk": ([w["kiosk_token"]], everyone(200), NO_POST, {}),
        "kiosk_check_in": (
            [w["kiosk_token"]],
            NO_POST,
            everyone(200),
            {"key": "matrix-check-in", "value": "learner@umich.edu"},
        ),
        "check_in_code": ([], SIGNED_IN, NO_POST, {}),
        # Last, as it ends the session: signing out leads back to the sign-in page.
        "logout": ([], NO_POST, everyone(LOGIN), {}),
    }
