"""The office's queue pages are laid out for a laptop (issue 15, item 1): no navigation sidebar,
the filters in a bar above the rows, the keyboard script loaded from a static file. The browser
test (tests/disclosures/test_e2e_office_morning.py) measures the result at 1366x768."""

import pytest
from django.urls import reverse

from rss_dashboard.admin_tools import clip
from tests import factories as f

pytestmark = pytest.mark.django_db

QUEUES = [
    "admin:activities_reviewqueueitem_changelist",
    "admin:activities_approvalqueueitem_changelist",
    "admin:activities_ticket_changelist",
    "admin:credit_lateclaimrequest_changelist",
    "admin:activities_plannerdisclosure_changelist",
]


@pytest.mark.parametrize("name", QUEUES)
def test_a_queue_page_has_a_filter_bar_and_no_sidebars(client, name):
    client.force_login(f.reviewer())
    body = client.get(reverse(name)).content.decode()
    assert 'id="nav-sidebar"' not in body
    assert 'id="changelist-filter"' not in body  # the admin's filter column
    assert 'class="office-filters"' in body and 'class="office-filter' in body
    assert 'src="/static/app/office.js"' in body and "<script>" not in body
    assert 'id="office-keys"' in body


def test_the_filter_bar_names_the_choice_in_force(client):
    client.force_login(f.reviewer())
    body = client.get(
        reverse("admin:activities_reviewqueueitem_changelist") + "?status=needs_review"
    ).content.decode()
    assert "COI status: <strong>NEEDS REVIEW</strong>" in body
    assert "Clear filters" in body


def test_other_admin_pages_keep_the_sidebar(client):
    client.force_login(f.administrator())
    body = client.get(reverse("admin:activities_childactivity_changelist")).content.decode()
    assert 'id="nav-sidebar"' in body


def test_clip_keeps_one_line_and_the_whole_text_on_hover():
    cell = clip("Heart failure <with> preserved ejection fraction", width="s")
    assert cell == (
        '<span class="clip clip-s" title="Heart failure &lt;with&gt; preserved ejection fraction">'
        "Heart failure &lt;with&gt; preserved ejection fraction</span>"
    )
    assert 'title="a\nb"' in clip("a", full="a\nb")
