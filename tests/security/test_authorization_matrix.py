"""The authorization matrix: every URL pattern of the project, every role, GET and POST.

Roles: anonymous, learner, faculty (speaker on a child of series A), owner of series A,
coordinator of series A, coordinator of series B, reviewer, administrator. Every request targets
an object of series A. The expectation of each URL name is written out in tests/security/authorization_table.py; a URL
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
from tests.security.authorization_table import LOGIN, OK, REFUSED, ROLES, expectations

pytestmark = pytest.mark.django_db


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
