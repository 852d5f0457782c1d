"""Learner completion records: who is reported to which board, pre-validation, and the export
that remembers what it sent (adds and deletes, never edits)."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from credit.pars.codes import Board
from credit.pars.completions import ParsError, export_completions, plan_year, preview
from credit.pars.layouts import LEARNER_HEADER
from credit.pars.models import BoardIdentifier, CompletionExport, CompletionRecord, LearnerIdentity
from faculty.models import Profession
from tests.pars.conftest import (
    YEAR,
    attend,
    board_id,
    complete,
    identity,
    npi,
    people,
    register_moc,
    sessions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(series, office):
    """Grand rounds registered for ABIM (10 points) and ABP (3 points), reporting to state
    boards; four sessions. Learners: Ann (ABIM ID and license, all permitted), Ben (ABP ID),
    Cal (ABIM ID without permission, NPI with a bad check digit), Dee (no identifiers)."""
    report = complete(series, state_boards=True, accme_activity_id="202612345")
    register_moc(report, Board.ABIM, points="10")
    register_moc(report, Board.ABP, points="3", types="Lifelong Learning and Self-Assessment")
    ann, ben, cal, dee = people(4, Profession.PHYSICIAN, "doc")
    weekly = sessions(series, 4)
    attend([ann, ben, cal, dee], weekly)
    identity(ann, npi_value=npi())
    board_id(ann, Board.ABIM, "111111")
    identity(ben, license="", consent=False)
    board_id(ben, Board.ABP, "222222")
    identity(cal, npi_value="1234567890", license="")
    board_id(cal, Board.ABIM, "333333", consent=False)
    return {"ann": ann, "ben": ben, "cal": cal, "dee": dee, "weekly": weekly, "office": office}


def keys(planned, who):
    return sorted(
        (p.candidate.target, p.candidate.completed.isoformat(), str(p.candidate.amount))
        for p in planned
        if p.key[0] == who.pk
    )


def test_each_board_gets_what_it_takes(world):
    planned = plan_year(YEAR)
    ann = keys(planned, world["ann"])
    # ABIM: one record per session day; the state board: the CME credit of each day.
    assert [k for k in ann if k[0] == "ABIM"] == [
        ("ABIM", "2026-01-08", "1.00"),
        ("ABIM", "2026-01-15", "1.00"),
        ("ABIM", "2026-01-22", "1.00"),
        ("ABIM", "2026-01-29", "1.00"),
    ]
    assert len([k for k in ann if k[0] == "STATE"]) == 4
    # ABP: an RSS learner once for the series, with the registered points, when earned.
    assert keys(planned, world["ben"]) == [("ABP", "2026-01-22", "3.00")]
    assert keys(planned, world["dee"]) == []  # gave nothing: not reported, not listed


def test_pre_validation_holds_back_what_would_be_rejected(world):
    p = preview(YEAR)
    why = {(x.key[0], x.candidate.target): x.problems for x in p.invalid}
    cal = world["cal"].pk
    assert "No permission from the learner to share with ABIM." in why[(cal, "ABIM")]
    state = why[(cal, "STATE")]
    assert any("Bad NPI" in w for w in state) and not any("No permission" in w for w in state)
    assert (world["ann"].pk, "ABIM") not in why
    assert p.to_add == 4 + 4 + 1  # Ann: ABIM and state, four each; Ben: ABP once
    assert p.to_delete == 0


def test_the_export_remembers_and_the_second_sends_only_changes(world):
    office = world["office"]
    first = export_completions(year=YEAR, by=office)
    assert (first.added, first.deleted) == (9, 0)
    with pytest.raises(ParsError) as nothing:
        export_completions(year=YEAR, by=office)
    assert nothing.value.code == "nothing_to_export"

    # Ann corrects her ABIM ID: her four ABIM records go as deletes (as sent) and adds.
    BoardIdentifier.objects.filter(person=world["ann"]).update(board_id="111112")
    # Cal gives permission for ABIM: four new records.
    BoardIdentifier.objects.filter(person=world["cal"]).update(consent_at=timezone.now())
    # Ben takes back his ABP permission: his record is deleted.
    BoardIdentifier.objects.filter(person=world["ben"]).update(consent_at=None)
    second = export_completions(year=YEAR, by=office)
    rows = list(second.records.values_list("action", "learner_id", "target", "board_id"))
    ann, ben, cal = world["ann"].pk, world["ben"].pk, world["cal"].pk
    assert sorted(rows) == sorted(
        [("delete", ann, "ABIM", "111111")] * 4
        + [("add", ann, "ABIM", "111112")] * 4
        + [("add", cal, "ABIM", "333333")] * 4
        + [("delete", ben, "ABP", "222222")]
    )
    assert (second.added, second.deleted) == (8, 5)


def test_a_record_no_longer_earned_is_deleted(world):
    """A session deactivated after the export (its claims are kept, but earn nothing)."""
    from activities.models import ChildActivity

    export_completions(year=YEAR, by=world["office"])
    ChildActivity.objects.filter(pk=world["weekly"][3].pk).update(is_active=False)
    again = export_completions(year=YEAR, by=world["office"])
    assert sorted(again.records.values_list("action", "learner_id", "target")) == [
        ("delete", world["ann"].pk, "ABIM"),
        ("delete", world["ann"].pk, "STATE"),
    ]


def test_the_learner_files_open_as_acmes_template(client, world):
    export = export_completions(year=YEAR, by=world["office"])
    client.force_login(world["office"])
    xlsx = client.get(reverse("pars_batch_xlsx", args=[export.pk]))
    rows = list(
        load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert list(rows[0]) == LEARNER_HEADER
    assert len(rows) == 1 + 9
    by = {h.split(". ", 1)[1]: i for i, h in enumerate(LEARNER_HEADER)}
    abp = next(r for r in rows[1:] if r[by["Certifying Board"]] == "ABP")
    assert abp[by["Action"]] == "add"
    assert abp[by["Board ID"]] == "222222"
    assert abp[by["MOC Points"]] == 3
    assert abp[by["MOC Credit Type"]] == "Lifelong Learning and Self-Assessment"
    assert abp[by["Completion Date"]].date().isoformat() == "2026-01-22"  # a date, no time
    assert (abp[by["Birth Month"]], abp[by["Birth Day"]]) == ("04", "12")
    state = next(r for r in rows[1:] if r[by["License State"]] == "MI")
    assert (
        state[by["CME Credits"]] == 1
        and state[by["CME Credit Type"]] == "AMA PRA Category 1 Credit"
    )
    assert state[by["NPI"]] == npi()

    txt = b"".join(
        client.get(reverse("pars_batch_txt", args=[export.pk])).streaming_content
    ).decode()
    lines = [line.split("\t") for line in txt.split("\r\n") if line]
    assert len(lines) == 9 and all(len(f) == len(LEARNER_HEADER) for f in lines)
    assert {f[by["Action"]] for f in lines} == {"add"}
    assert {f[by["Completion Date"]] for f in lines} == {
        "01/08/2026",
        "01/15/2026",
        "01/22/2026",
        "01/29/2026",
    }


def test_the_page_lists_pre_validation_and_makes_the_file(client, world):
    client.force_login(world["office"])
    url = reverse("pars_learners", args=[YEAR])
    page = client.get(url).content.decode()
    assert "No permission from the learner to share with ABIM." in page
    assert "Bad NPI" in page
    assert client.post(url).status_code == 302
    assert CompletionExport.objects.get().added == 9
    page = client.get(url).content.decode()
    assert "<strong>0</strong> records to add" in page
    assert CompletionRecord.objects.count() == 9


def test_identifiers_given_after_the_year_started_are_reported_from_then_on(world):
    """A learner who gives their ID later is reported for every session of the year so far."""
    dee = world["dee"]
    LearnerIdentity.objects.create(person=dee, birth_month=1, birth_day=2)
    board_id(dee, Board.ABIM, "444444")
    records = [p for p in plan_year(YEAR) if p.key[0] == dee.pk and not p.problems]
    assert len(records) == 4
    assert records[0].candidate.completed == (world["weekly"][0].start - timedelta(hours=0)).date()


def test_the_learner_pages_take_the_same_queries_for_few_or_many_learners(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["office"])
    urls = [reverse("pars_learners", args=[YEAR]), reverse("pars_answers")]
    with CaptureQueriesContext(connection) as few:
        for url in urls:
            client.get(url)
    more = people(15, Profession.PHYSICIAN, "more")
    attend(more, world["weekly"])
    for i, who in enumerate(more):
        identity(who, consent=i % 2 == 0)
        board_id(who, Board.ABIM, f"5{i:05d}", consent=i % 3 == 0)
    export = export_completions(year=YEAR, by=world["office"])
    export.records.update(status="rejected", reason="No match")
    with django_assert_max_num_queries(len(few.captured_queries)):
        for url in urls:
            client.get(url)
