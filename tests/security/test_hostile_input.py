"""Malformed, oversized and hostile input gets a clear message or a 4xx, never a 500.

Every page's own form fields are found by reading the page (so new fields are covered too) and
sent back filled with each hostile value; every URL with an id is tried with ids that do not exist
or overflow the database's integers. The `server_errors` guard fails the test on any 500.
"""

import re

import pytest
from django.urls import reverse

from disclosures.links import disclosure_token
from tests.security.test_authorization_matrix import all_url_names, expectations, world  # noqa: F401

pytestmark = pytest.mark.django_db

HOSTILE = [
    "' OR 1=1 --",
    '<script>alert("x")</script>',
    "2026-02-30",
    "99999999999999999999",
    "-1",
    "0",
    "1e309",
    "\x00",
    "x" * 20_000,
    "😀 ünïcode",
]
QUERY_KEYS = ["page", "per_page", "month", "year", "q", "series", "focus", "qr", "t", "src"]
NAMES = re.compile(r'name="([A-Za-z0-9_\-]+)"')


def form_fields(client, url) -> list[str]:
    response = client.get(url, HTTP_HX_REQUEST="true")
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    return sorted(set(NAMES.findall(response.content.decode())) - {"csrfmiddlewaretoken"})


def targets(w):
    for name, (args, _get, _post, _payload) in expectations(w).items():
        if name in ("logout", "sms_inbound"):
            continue
        url = reverse(name, args=args)
        if name == "disclosure_form":
            url = f"{url}?t={disclosure_token(w['speaker'])}"
        yield name, url


@pytest.mark.parametrize("who", ["admin", "anonymous"])
def test_every_page_survives_hostile_query_strings_and_forms(client, world, who):  # noqa: F811
    person = world["people"][who]
    if person is not None:
        client.force_login(person)
    for name, url in targets(world):
        fields = form_fields(client, url)
        for value in HOSTILE:
            query = {key: value for key in QUERY_KEYS + fields}
            got = client.get(url, query, HTTP_HX_REQUEST="true")
            assert got.status_code < 500, (name, "GET", value[:20])
            posted = client.post(url, {key: value for key in fields}, HTTP_HX_REQUEST="true")
            assert posted.status_code < 500, (name, "POST", value[:20])
        if not client.session.get("_auth_user_id") and person is not None:
            client.force_login(person)  # a hostile value may have signed us out (login form)


def test_non_utf8_and_huge_query_strings_get_a_clean_answer(client, world):  # noqa: F811
    client.force_login(world["people"]["admin"])
    for url in ["/dashboard/", "/series/", "/transcript/", reverse("portal")]:
        assert client.get(url + "?q=%ff%fe%00&page=%c3%28").status_code < 500
        assert client.get(url + "?" + "a=1&" * 3000).status_code < 500
        assert client.get(url, {"q": "x" * 100_000}).status_code < 500


OVERFLOW = [0, 2**31, 2**63, 10**20]


def test_ids_that_do_not_exist_or_overflow_are_404(client, world):  # noqa: F811
    client.force_login(world["people"]["admin"])
    for name, (args, _get, _post, _payload) in expectations(world).items():
        if not any(isinstance(a, int) for a in args):
            continue
        for big in OVERFLOW:
            bad = [big if isinstance(a, int) else a for a in args]
            url = reverse(name, args=bad)
            for method in ("get", "post"):
                response = getattr(client, method)(url, HTTP_HX_REQUEST="true")
                assert response.status_code in (404, 405, 302), (name, big, method)


def test_a_nul_byte_is_a_plain_400_except_for_the_sms_webhook(client, world):  # noqa: F811
    response = client.post(reverse("login"), {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()
    assert client.get(reverse("portal"), {"q": "\x00"}).status_code == 400
