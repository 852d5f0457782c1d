"""Administrators edit the site-wide statements in the admin; bad placeholders are refused."""

import pytest
from django.urls import reverse

from flyers.models import FlyerStatements, StatementKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    statements = FlyerStatements()
    data = {
        "accreditation_kind": statements.accreditation_kind,
        "provider": "Michigan Medicine",
        "joint_provider": "",
        "accreditation_direct": statements.accreditation_direct,
        "accreditation_joint_providership": statements.accreditation_joint_providership,
        "accreditation_joint_accreditation": statements.accreditation_joint_accreditation,
        "credit_designation": statements.credit_designation,
    }
    return {**data, **overrides}


@pytest.fixture
def change_url():
    return reverse("admin:flyers_flyerstatements_change", args=[FlyerStatements.current().pk])


def test_it_takes_the_provider_from_settings_for_the_first_row(settings):
    settings.PROVIDER_NAME = "University Hospital"
    assert FlyerStatements.current().provider == "University Hospital"
    assert FlyerStatements.objects.count() == 1


def test_it_goes_straight_to_the_one_row_and_shows_the_printed_statements(client, change_url):
    client.force_login(f.administrator())
    response = client.get(reverse("admin:flyers_flyerstatements_changelist"))
    assert response.status_code == 302 and response["Location"] == change_url
    page = client.get(change_url).content.decode()
    assert "Placeholders: {provider}, {joint_provider}, {credit_hours}, {credit_type}." in page
    assert "for a maximum of 1.0 AMA PRA Category 1 Credit(s)\u2122" in page


def test_it_saves_an_administrators_change(client, change_url):
    client.force_login(f.administrator())
    data = form_data(
        accreditation_kind=StatementKind.JOINT_PROVIDERSHIP,
        joint_provider="Ann Arbor Heart Society",
        credit_designation="{provider} designates {credit_hours} {credit_type} {{sic}}.",
    )
    response = client.post(change_url, data)
    assert response.status_code == 302
    statements = FlyerStatements.current()
    assert statements.accreditation_kind == StatementKind.JOINT_PROVIDERSHIP
    assert statements.credit_designation.endswith("{{sic}}.")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "credit_designation",
            "{provider} designates {hours}.",
            "Unknown placeholder {hours}. Use only {provider}, {joint_provider}, {credit_hours}, "
            "{credit_type}.",
        ),
        ("accreditation_direct", "{provider is accredited", "The braces do not match"),
        ("accreditation_joint_accreditation", "{0} is accredited", "Unknown placeholder {0}."),
    ],
)
def test_it_refuses_unknown_placeholders_with_a_clear_error(
    client, change_url, field, value, message
):
    client.force_login(f.administrator())
    before = getattr(FlyerStatements.current(), field)
    response = client.post(change_url, form_data(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert getattr(FlyerStatements.current(), field) == before


def test_it_requires_the_joint_provider_for_joint_providership(client, change_url):
    client.force_login(f.administrator())
    response = client.post(
        change_url, form_data(accreditation_kind=StatementKind.JOINT_PROVIDERSHIP)
    )
    assert response.status_code == 200
    assert "Name the joint provider" in " ".join(
        response.context["adminform"].form.errors["joint_provider"]
    )


def test_it_lets_reviewers_look_but_not_change(client, change_url):
    client.force_login(f.reviewer())
    assert client.get(change_url).status_code == 200
    response = client.post(change_url, form_data(provider="Someone Else"))
    assert response.status_code == 403
    assert FlyerStatements.current().provider != "Someone Else"


def test_it_keeps_coordinators_out(client, change_url):
    client.force_login(f.person())
    response = client.get(change_url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_offers_no_delete_and_no_second_row(client, change_url):
    client.force_login(f.administrator())
    statements = FlyerStatements.current()
    assert (
        client.get(reverse("admin:flyers_flyerstatements_delete", args=[statements.pk])).status_code
        == 403
    )
    assert client.get(reverse("admin:flyers_flyerstatements_add")).status_code == 403
