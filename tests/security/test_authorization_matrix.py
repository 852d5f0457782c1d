"""The authorization matrix: every URL pattern of the project, every role, GET and POST.

Roles: anonymous, learner, faculty (speaker on a child of series A), owner of series A,
coordinator of series A, coordinator of series B, reviewer, administrator. Every request targets
an object of series A. The expectation of each URL name is written out in EXPECT below; a URL
name nobody classified fails the test, so a new page cannot ship without a decision about who may
reach it. A refused request (3xx to sign in, 403, 404, 405, 429) must change nothing: a snapshot of
every table's row count (history tables included, so updates count) and of the mutable columns of
the main rows is compared before and after. Allowed writes run inside a rolled-back savepoint so
one role's change cannot hide another role's refusal.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.admin.sites import site as admin_site
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from activities.models import ChildActivity, ChildFile, ParentActivity
from credit.models import Claim, ClaimChannel, LateClaimRequest
from credit.models_attendance import AttendanceEntry, AttendanceImport, KioskCheckIn
from credit.pars.models import CompletionExport, CompletionRecord
from credit.services_kiosk import kiosk_open
from disclosures.links import disclosure_token
from faculty.models import Assignment, Person
from tests import factories as f
from tests.activities import uploads_data as data
from tests.credit.helpers import TOKEN, sign
from tests.personas import make_admin, make_learner, make_reviewer

pytestmark = pytest.mark.django_db

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


def all_url_names(patterns=None, prefix=""):
    """Every named URL of the project; the admin is one group ("admin:*") checked separately."""
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                names.add("admin:*")
                continue
            names |= all_url_names(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            names.add(entry.name or f"unnamed:{entry.pattern}")
    return names


@pytest.fixture
def world(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    now = timezone.now()
    coord_a = f.person(email="coord.a@umich.edu", last_name="Acoord")
    owner = f.person(email="owner.a@umich.edu", last_name="Aowner")
    coord_b = f.person(email="coord.b@umich.edu", last_name="Bcoord")
    learner = make_learner()
    speaker = f.person(email="speaker@umich.edu", last_name="Speaker")
    series_a = f.parent(name="Series A", coordinators=[coord_a], owners=[owner])
    series_b = f.parent(name="Series B", coordinators=[coord_b])
    child = f.child(series_a, start=now + timedelta(days=10), name="Sepsis bundles")
    closed_child = f.child(series_a, start=now - timedelta(days=60), name="Old session")
    f.child(series_b, start=now + timedelta(days=10), name="Whipple")
    f.disclosure(speaker)
    assignment = f.assign(child, speaker)
    assignment.presentation.save("x", data.upload("talk.pdf", data.PDF), save=True)
    stored = ChildFile(child=child, kind="supporting", original_name="a.pdf", size=1)
    stored.file.save("y", data.upload("a.pdf", data.PDF), save=False)
    stored.save()
    Claim.objects.create(
        learner=learner, child=closed_child, channel=ClaimChannel.WEB, credit_hours=Decimal(1)
    )
    late = LateClaimRequest.objects.create(learner=learner, child=closed_child, reason="Sick")
    batch = CompletionExport.objects.create(year=series_a.year)
    rejected = CompletionRecord.objects.create(
        export=batch,
        action="add",
        learner=learner,
        parent=series_a,
        target="ABIM",
        completed=closed_child.start.date(),
        accme_activity_id="202612345",
        provider_activity_id=str(series_a.pk),
        first_name="Lee",
        last_name="Learner",
        birth_month=4,
        birth_day=12,
        board="ABIM",
        board_id="123456",
        moc_points=Decimal(1),
        status="rejected",
        reason="No match",
    )
    # Series A requires an evaluation: a claim waiting for it (its link), a certificate to verify.
    from credit.models import Certificate, EvaluationForm, EvaluationQuestion

    form = EvaluationForm.objects.create(parent=series_a, required=True)
    EvaluationQuestion.objects.create(form=form, position=1, kind="rating", text="Useful?")
    evaluation_claim = Claim.objects.create(
        learner=f.person(email="evaluator@umich.edu"),
        child=child,
        channel=ClaimChannel.SMS,
        credit_hours=Decimal(1),
        evaluation_required=True,
        evaluation_token="MatrixToken1",
    )
    certificate = Certificate.objects.create(
        code="ABCDEFGHJK", kind="claim", claim=evaluation_claim, learner=evaluation_claim.learner
    )
    record = AttendanceImport.objects.create(
        child=child, source="zoom", original_name="p.csv", sha256="0" * 64, size=1
    )
    entry = AttendanceEntry.objects.create(import_run=record, name="Guest", outcome="unmatched")
    kiosk, kiosk_token = kiosk_open(child=child, by=coord_a)
    check_in = KioskCheckIn.objects.create(
        kiosk=kiosk,
        key="matrix-0",
        typed="nobody@example.org",
        outcome="unmatched",
        checked_in_at=now,
    )
    people = {
        "anonymous": None,
        "learner": learner,
        "faculty": speaker,
        "owner": owner,
        "coord_a": coord_a,
        "coord_b": coord_b,
        "reviewer": make_reviewer(),
        "admin": make_admin(),
    }
    return {
        "child": child,
        "closed_child": closed_child,
        "assignment": assignment,
        "speaker": speaker,
        "file": stored,
        "late": late,
        "evaluation_claim": evaluation_claim,
        "certificate": certificate,
        "import": record,
        "entry": entry,
        "kiosk": kiosk,
        "kiosk_token": kiosk_token,
        "check_in": check_in,
        "people": people,
        "series_b": series_b,
        "year": series_a.year,
        "batch": batch,
        "rejected": rejected,
    }


def _tables():
    skip = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
    names = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table not in skip:
            names.append(table)
    return sorted(set(names))


def snapshot():
    """Row counts of every table (one query) and the mutable columns of the main rows."""
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in _tables())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        rows = cursor.fetchone()
    return (
        rows,
        list(ChildActivity.objects.order_by("pk").values_list("version", "is_active", "name")),
        list(Assignment.objects.order_by("pk").values_list("removed_at", "presentation")),
        list(ParentActivity.objects.order_by("pk").values_list("recurrence", "name")),
        list(ChildFile.objects.order_by("pk").values_list("removed_at", "file")),
        list(LateClaimRequest.objects.order_by("pk").values_list("state", "decided_at")),
        list(
            Claim.objects.order_by("pk").values_list(
                "child", "awarded_at", "evaluated_at", "revoked_at", "evaluation_required"
            )
        ),
        list(Person.objects.order_by("pk").values_list("email", "is_active", "password")),
        list(CompletionRecord.objects.order_by("pk").values_list("status", "resolved_at")),
    )


def outcome(response) -> object:
    if response.status_code in (301, 302, 303):
        target = response["Location"]
        login = reverse("login")
        if target.startswith(login) or target.startswith("/admin/login/"):
            return LOGIN
        return OK
    if 200 <= response.status_code < 300:
        return response.status_code if response.status_code != 204 else OK
    return response.status_code


def matches(expected, got, role) -> bool:
    if expected == 405 and role == "anonymous" and got == LOGIN:
        return True  # sign-in is asked before the method is looked at
    if expected == OK:
        return got == OK or got == 200
    return expected == got


def request(client, method, url, payload, role):
    if payload == "sms" and method == "POST":
        params = {"From": "+17345550100", "To": "+1734", "Body": "HELP", "MessageSid": "SM1"}
        return client.post(url, params, HTTP_X_TWILIO_SIGNATURE=sign(params))
    if method == "GET":
        return client.get(url, HTTP_HX_REQUEST="true")
    return client.post(url, payload, HTTP_HX_REQUEST="true")


def check(client, w, role, name, method, url, expected, payload, problems):
    before = snapshot() if expected in REFUSED else None
    with transaction.atomic():
        response = request(client, method, url, payload, role)
        transaction.set_rollback(True)
    got = outcome(response)
    if not matches(expected, got, role):
        problems.append(f"{name} {method} as {role}: expected {expected}, got {got}")
    if before is not None and snapshot() != before:
        problems.append(f"{name} {method} as {role}: refused but the data changed")


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_classified(client, world, role):
    person = world["people"][role]
    if person is not None:
        client.force_login(person)
    table = expectations(world)
    unclassified = sorted(all_url_names() - set(table) - {"admin:*"})
    assert not unclassified, f"unclassified URL: {', '.join(unclassified)}"
    problems = []
    for name, (args, on_get, on_post, payload) in table.items():
        url = reverse(name, args=args)
        if name == "disclosure_form":
            url = f"{url}?t={disclosure_token(world['speaker'])}"
        for method, rule in (("GET", on_get), ("POST", on_post)):
            check(client, world, role, name, method, url, rule[role], payload, problems)
    assert not problems, "\n".join(problems)


OFFICE_SCREENS = (
    "activities_reviewqueueitem",
    "activities_approvalqueueitem",
    "activities_plannerdisclosure",
    "activities_ticket",
    "credit_lateclaimrequest",
    "faculty_likelyduplicate",
    "faculty_personmerge",
    "faculty_signinrecord",
)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_the_office(client, world, role):
    person = world["people"][role]
    if person is not None:
        client.force_login(person)
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{screen}_changelist") for screen in OFFICE_SCREENS
    ]
    before = snapshot()
    for url in urls:
        response = client.get(url)
        if role in ("reviewer", "admin"):
            assert response.status_code == 200, (url, response.status_code)
        else:
            assert outcome(response) == LOGIN, (url, response.status_code)
    assert admin_site.has_permission  # the one AdminSite serves all of it
    if role not in ("reviewer", "admin"):
        response = client.post(
            reverse("admin:credit_claim_changelist"),
            {"action": "delete_selected", "_selected_action": [1]},
        )
        assert outcome(response) == LOGIN
        assert snapshot() == before


def test_a_new_url_nobody_classified_fails():
    """The walker sees every route, the admin as one group, and unnamed routes by pattern."""
    names = all_url_names()
    assert {"dashboard", "sms_inbound", "healthz", "admin:*"} <= names
    assert not [n for n in names if n.startswith("unnamed:")]


def test_the_snapshot_sees_a_quiet_change(world):
    before = snapshot()
    ChildActivity.objects.filter(pk=world["child"].pk).update(name="Quietly renamed")
    assert snapshot() != before
    after = snapshot()
    LateClaimRequest.objects.filter(pk=world["late"].pk).update(state="refused")
    assert snapshot() != after
