"""Two coordinators edit one session at once in the editor: the second is told, nothing is lost."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from activities.models import ChildActivity
from tests import factories as f
from tests.activities.test_editor_view import form_data

pytestmark = pytest.mark.django_db
INSIDE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "window-content"}


def opened_version(client, url) -> int:
    html = client.get(url, **INSIDE).content.decode()
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def test_the_second_of_two_coordinators_is_told_and_changes_nothing():
    first, second = f.person(email="ann@umich.edu"), f.person(email="ben@umich.edu")
    child = f.child(f.parent(coordinators=[first, second]), name="Sepsis bundles")
    url = reverse("child_edit", args=[child.pk])
    ann, ben = Client(), Client()
    ann.force_login(first)
    ben.force_login(second)
    ann_version, ben_version = opened_version(ann, url), opened_version(ben, url)
    assert ann_version == ben_version == child.version

    saved = ann.post(url, form_data(child, name="Ann's title", version=ann_version), **INSIDE)
    assert saved.status_code == 200 and b"changed by someone else" not in saved.content
    after_first = ChildActivity.objects.get(pk=child.pk)
    assert after_first.name == "Ann's title" and after_first.version == ann_version + 1
    history = after_first.history.count()

    stale = ben.post(
        url, form_data(child, name="Ben's title", location="Room 2", version=ben_version), **INSIDE
    )
    assert stale.status_code in (200, 409)
    assert b"changed by someone else" in stale.content
    after_second = ChildActivity.objects.get(pk=child.pk)
    assert (after_second.name, after_second.location, after_second.version) == (
        "Ann's title",
        after_first.location,
        after_first.version,
    )
    assert after_second.history.count() == history
