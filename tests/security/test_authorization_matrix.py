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
from disclosures.links import disclosure_token
from faculty.models import Assignment, Person
from tests import factories as f
from tests.activities import uploads_data as data
from tests.credit.helpers import TOKEN, sign

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
SIGNED_IN = {**everyone(OK), "anonymous": LOGIN}
NO_POST = everyone(405)
# The office writes in the conversation too (SPEC §1: reviewers talk to coordinators).
COMMENT = {**SERIES_EDIT, "reviewer": OK}
# Any series' coordinator may ask for a new session (of their own series); nobody else.
NEW_CHILD = {**everyone(403), "anonymous": LOGIN, "coord_a": OK, "coord_b": OK, "admin": OK}
# The disclosure link of the speaker: the speaker, or anyone not signed in who holds it; signed in
# as somebody else, the link is refused (403) rather than filing a disclosure for the wrong person.
TOKEN_FORM = {**everyone(403), "anonymous": OK, "faculty": OK}


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
        "child_deactivate": ([c.pk], NO_POST, SERIES_EDIT, {}),
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
    learner = f.person(email="learner@umich.edu", last_name="Learner", mobile_phone="+17345550100")
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
    people = {
        "anonymous": None,
        "learner": learner,
        "faculty": speaker,
        "owner": owner,
        "coord_a": coord_a,
        "coord_b": coord_b,
        "reviewer": f.reviewer(email="rita@umich.edu"),
        "admin": f.administrator(email="ada@umich.edu"),
    }
    return {
        "child": child,
        "closed_child": closed_child,
        "assignment": assignment,
        "speaker": speaker,
        "file": stored,
        "late": late,
        "people": people,
        "series_b": series_b,
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
        list(Claim.objects.order_by("pk").values_list("child", "awarded_at")),
        list(Person.objects.order_by("pk").values_list("email", "is_active", "password")),
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
    "disclosures_reviewqueueitem",
    "disclosures_approvalqueueitem",
    "disclosures_plannerdisclosure",
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
