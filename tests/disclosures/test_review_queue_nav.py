"""The review page follows the queue the reviewer is in (its filters, search and order) and says
when it is done; it offers only the decisions the disclosure allows (issue 15, items 2-3)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from activities.selectors_queue_nav import (
    QueuePosition,
    next_after_decision,
    position,
    with_filters,
)
from disclosures.models import CoiReview
from disclosures.rules import CoiStatus, MitigationStep, Nature, ReviewDecision
from tests import factories as f

QUEUE = reverse("admin:activities_reviewqueueitem_changelist")


def review_url(pk, filters=""):
    return with_filters(reverse("admin:activities_reviewqueueitem_change", args=[pk]), filters)


# --- the plain functions ---------------------------------------------------------------------


def test_position_in_the_queue():
    assert position([5, 7, 9], 7) == QueuePosition(1, 3, 5, 9)
    assert position([5, 7, 9], 5) == QueuePosition(0, 3, None, 7)
    assert position([5, 7, 9], 9) == QueuePosition(2, 3, 7, None)
    # Opened from outside the queue: "next" is the queue's first item.
    assert position([5, 7, 9], 4) == QueuePosition(None, 3, None, 5)
    assert position([], 4) == QueuePosition(None, 0, None, None)


@pytest.mark.parametrize(
    ("before", "current", "after", "expected"),
    [
        ([1, 2, 3], 1, [2, 3], 2),  # decided and gone: the one after it
        ([1, 2, 3], 1, [1, 2, 3], 2),  # decided and still there (e.g. mitigated -> PENDING)
        ([1, 2, 3, 4], 1, [3, 4], 3),  # "apply to the series" took 2 away too
        ([1, 2, 3], 3, [1, 2], None),  # the end: no wrapping round to what was skipped
        ([1, 2, 3], 9, [1, 2, 3], 1),  # decided from outside the queue: its first item
        ([1, 2], 2, [1, 5], None),  # an item that arrived meanwhile is left for the list
    ],
)
def test_next_after_decision(before, current, after, expected):
    assert next_after_decision(before, current, after) == expected


# --- the pages -----------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def monday():
    with time_machine.travel(f.local(2026, 3, 2, 9), tick=False):
        yield


@pytest.fixture
def queue(monday, series):
    """In session order: a relationship (Ames), nothing to disclose (Bell), a relationship
    (Cole), nothing to disclose (Dunn), a relationship in another series (Eads)."""
    items = {}
    for day, name, relationships, where in (
        (3, "Ames", [("Acme", Nature.CONSULTANT)], series),
        (4, "Bell", [], series),
        (5, "Cole", [("Bolt", Nature.ADVISORY_BOARD)], series),
        (6, "Dunn", [], series),
        (9, "Eads", [("Cyto", Nature.ROYALTIES)], f.parent(name="Surgery Tumor Board")),
    ):
        who = f.person(last_name=name)
        f.disclosure(who, relationships=relationships)
        items[name] = f.assign(f.child(where, start=f.local(2026, 3, day, 12)), who)
    return items


def decide(client, item, filters, **data):
    payload = {
        "disclosure_id": item.person.disclosures.get().pk,
        "decision": ReviewDecision.APPROVED,
        "_next": "1",
        **data,
    }
    return client.post(review_url(item.pk, filters), payload)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytestmark_db
def test_the_queue_links_carry_its_filters(client, office, queue):
    client.force_login(office)
    body = client.get(QUEUE + "?status=needs_review&o=1").content.decode()
    expected = review_url(queue["Ames"].pk, "status=needs_review&o=1").replace("&", "&amp;")
    assert expected in body


@pytestmark_db
def test_record_and_next_stays_in_the_filter_and_says_when_done(client, office, queue):
    client.force_login(office)
    filters = "status=needs_review"
    # Ames -> Cole: Bell (nothing to disclose, PENDING) is outside the filter and skipped.
    response = decide(client, queue["Ames"], filters)
    assert response.status_code == 302
    assert response["Location"] == review_url(queue["Cole"].pk, filters)
    response = decide(client, queue["Cole"], filters)
    assert response["Location"] == review_url(queue["Eads"].pk, filters)
    response = decide(client, queue["Eads"], filters)
    assert response["Location"] == QUEUE + "?" + filters
    assert "Done: nothing is left in this queue." in messages_of(response)
    assert CoiReview.objects.count() == 3


@pytestmark_db
def test_it_follows_the_search_and_the_order(client, office, queue, series):
    client.force_login(office)
    filters = f"series={series.pk}&o=-1"  # this series, latest session first
    response = decide(client, queue["Dunn"], filters)
    assert response["Location"] == review_url(queue["Cole"].pk, filters)
    response = decide(client, queue["Cole"], filters)
    assert response["Location"] == review_url(queue["Bell"].pk, filters)


@pytestmark_db
def test_the_end_of_a_queue_with_skipped_items_says_so(client, office, queue):
    client.force_login(office)
    response = decide(client, queue["Eads"], "")
    assert response["Location"] == QUEUE
    assert any("That was the last one of the queue; 4 items" in m for m in messages_of(response))


@pytestmark_db
def test_the_review_page_shows_its_place_with_previous_and_next(client, office, queue):
    client.force_login(office)
    filters = "status=needs_review"
    body = client.get(review_url(queue["Cole"].pk, filters)).content.decode()
    assert "Item 2 of 3" in body and "COI status: NEEDS REVIEW" in body
    previous = review_url(queue["Ames"].pk, filters).replace("&", "&amp;")
    following = review_url(queue["Eads"].pk, filters).replace("&", "&amp;")
    assert f'href="{previous}" id="queue-previous"' in body
    assert f'href="{following}" id="queue-next"' in body
    assert f'href="{QUEUE}?{filters}" id="queue-back"' in body


@pytestmark_db
def test_a_tampered_filter_means_the_whole_queue(client, office, queue):
    client.force_login(office)
    body = client.get(review_url(queue["Ames"].pk, "bogus__field=1")).content.decode()
    assert "Item 1 of 5" in body
    response = decide(client, queue["Ames"], "bogus__field=1")
    assert urlsplit(response["Location"]).path == reverse(
        "admin:activities_reviewqueueitem_change", args=[queue["Bell"].pk]
    )
    assert parse_qs(urlsplit(response["Location"]).query) == {
        "_changelist_filters": ["bogus__field=1"]
    }


# --- item 3: the decisions a disclosure allows ------------------------------------------------


def offered(body):
    return {d.value for d in ReviewDecision if f'name="decision" value="{d.value}"' in body}


@pytestmark_db
def test_nothing_to_disclose_offers_only_approved(client, office, queue):
    client.force_login(office)
    body = client.get(review_url(queue["Bell"].pk)).content.decode()
    assert offered(body) == {ReviewDecision.APPROVED}
    assert 'name="relevant"' not in body and 'name="mitigation_steps"' not in body
    assert 'id="nothing-to-disclose"' in body


@pytestmark_db
def test_the_reported_nonsense_is_refused_with_a_message(client, office, queue):
    """Relevant + peer review + Mitigated on a "nothing to disclose" disclosure."""
    client.force_login(office)
    bell = queue["Bell"]
    response = client.post(
        review_url(bell.pk),
        {
            "disclosure_id": bell.person.disclosures.get().pk,
            "relevant": "on",
            "mitigation_steps": [MitigationStep.PEER_REVIEW],
            "decision": ReviewDecision.MITIGATED,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "not possible for a disclosure with nothing to disclose" in body
    assert not CoiReview.objects.exists()
    bell.refresh_from_db()
    assert bell.coi_status == CoiStatus.PENDING


@pytestmark_db
def test_relationships_offer_three_decisions_and_owners_two(client, office, queue):
    client.force_login(office)
    ames = client.get(review_url(queue["Ames"].pk)).content.decode()
    assert offered(ames) == {
        ReviewDecision.MITIGATED,
        ReviewDecision.APPROVED,
        ReviewDecision.REJECTED,
    }
    owner = f.person(last_name="Owner")
    f.disclosure(owner, relationships=[("Acme", Nature.OWNER)])
    item = f.assign(queue["Ames"].child, owner)
    body = client.get(review_url(item.pk)).content.decode()
    assert offered(body) == {ReviewDecision.APPROVED_WITH_EXCEPTIONS, ReviewDecision.REJECTED}
    assert 'name="exception"' in body
    # Each offered decision carries its fixed key (static/app/office.js).
    assert 'data-key="3"' in body and 'data-key="4"' in body and 'data-key="2"' not in body


@pytestmark_db
def test_mitigated_without_relevance_is_refused(client, office, queue):
    client.force_login(office)
    ames = queue["Ames"]
    response = client.post(
        review_url(ames.pk),
        {
            "disclosure_id": ames.person.disclosures.get().pk,
            "mitigation_steps": [MitigationStep.PEER_REVIEW],
            "decision": ReviewDecision.MITIGATED,
        },
    )
    assert "&#x27;Mitigated&#x27; is for relevant relationships" in response.content.decode()
    assert not CoiReview.objects.exists()
