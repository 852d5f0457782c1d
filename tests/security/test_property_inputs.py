"""Property-based: whatever a browser or a phone sends to the main forms, the answer is clean."""

import os

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import ChildActivity
from credit.rules import parse_sms
from disclosures.links import disclosure_token
from tests import factories as f
from tests.activities.test_editor_view import form_data
from tests.credit.helpers import TOKEN, sign

pytestmark = pytest.mark.django_db
FEW = settings(
    max_examples=int(os.environ.get("RSS_HYPOTHESIS_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(max_size=300)
junk = st.one_of(
    text,
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.dates().map(str),
    st.sampled_from(["2026-02-30", "24:61", "' OR 1=1 --", "<b>x</b>", "-1", "1e309", ""]),
)


@pytest.fixture
def people():
    coordinator = f.person(email="cora@umich.edu")
    child = f.child(f.parent(coordinators=[coordinator]), name="Sepsis bundles")
    speaker = f.person(email="speaker@umich.edu")
    f.assign(child, speaker)
    return {"coordinator": coordinator, "child": child, "speaker": speaker}


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.mark.parametrize(
    "url_name, params",
    [
        ("dashboard", {"page": "99999999999999999999"}),
        ("dashboard", {"per_page": "-1"}),
        ("dashboard", {"date_from": "2026-02-30", "date_to": "tomorrow"}),
        ("dashboard", {"child_id": "-99999999999999999999", "series": "abc"}),
        ("parent_calendar", {"month": "2026-13"}),
        ("parent_calendar", {"month": "99999-01", "focus": "-1"}),
        ("child_new", {"series": "99999999999999999999"}),
        ("faculty_search", {"q": "%' OR '1'='1"}),
        ("transcript", {"year": "-1"}),
        ("transcript", {"year": "99999999999999999999"}),
    ],
)
def test_named_hostile_parameters_get_a_clean_answer(people, url_name, params):
    child = people["child"]
    args = {"parent_calendar": [child.parent_id], "faculty_search": [child.pk]}.get(url_name, [])
    response = signed_in(people["coordinator"]).get(reverse(url_name, args=args), params)
    assert response.status_code in (200, 302, 400, 404)


@FEW
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "date_from",
                "date_to",
                "series",
                "department",
                "status",
                "flag",
                "faculty",
                "child_id",
                "q",
                "inactive",
                "per_page",
                "page",
            ]
        ),
        junk,
    )
)
def test_the_dashboard_filter_form_takes_anything(people, params):
    response = signed_in(people["coordinator"]).get(reverse("dashboard"), params)
    # A NUL byte is refused before any view (rss_dashboard.hostile); anything else is a search.
    has_nul = any("\x00" in value for value in params.values())
    assert response.status_code == (400 if has_nul else 200)


@FEW
@given(
    changes=st.dictionaries(
        st.sampled_from(
            [
                "version",
                "name",
                "location",
                "date",
                "start_time",
                "end_time",
                "objectives",
                "texting_minutes_prior",
                "texting_minutes_after",
                "specialties",
                "professions",
                "remove_files",
            ]
        ),
        junk,
        min_size=1,
    )
)
def test_the_editor_takes_anything_and_saves_only_valid_input(people, changes):
    child = ChildActivity.objects.get(pk=people["child"].pk)
    url = reverse("child_edit", args=[child.pk])
    response = signed_in(people["coordinator"]).post(
        url, form_data(child, **changes), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="window-content"
    )
    assert response.status_code in (200, 400)
    after = ChildActivity.objects.get(pk=child.pk)
    assert after.version in (child.version, child.version + 1)
    if after.version == child.version:
        assert (after.name, after.location, after.start) == (
            child.name,
            child.location,
            child.start,
        )


@FEW
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "nothing_to_disclose",
                "attest",
                "is_owner",
                "rel-TOTAL_FORMS",
                "rel-INITIAL_FORMS",
                "rel-0-company_name",
                "rel-0-nature",
                "rel-0-state",
                "rel-0-ended_on",
                "add_row",
            ]
        ),
        junk,
    )
)
def test_the_disclosure_form_takes_anything(people, fields):
    url = f"{reverse('disclosure_form')}?t={disclosure_token(people['speaker'])}"
    response = Client().post(url, fields)
    assert response.status_code in (200, 302, 400)  # 400: a NUL byte


@FEW
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "email",
                "first_name",
                "last_name",
                "credentials",
                "profession",
                "mobile_phone",
                "password1",
                "password2",
                "next",
            ]
        ),
        junk,
    )
)
def test_the_register_form_takes_anything(db, fields):
    response = Client().post(reverse("register"), fields)
    # 400: a NUL byte; 429: many examples are many registrations from one address (rate limit)
    assert response.status_code in (200, 302, 400, 429)


@settings(max_examples=200, deadline=None)
@given(body=st.text(max_size=400))
def test_the_sms_parser_never_raises(body):
    assert parse_sms(body).kind


@FEW
@given(body=st.text(max_size=400), phone=st.one_of(st.just("+17345550100"), text))
def test_the_sms_webhook_answers_any_signed_text_with_twiml(db, settings, body, phone):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    params = {"From": phone, "To": "+17345550000", "Body": body, "MessageSid": "SM1"}
    response = Client().post("/sms/inbound/", params, HTTP_X_TWILIO_SIGNATURE=sign(params))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
