"""The boards' answers: accepted or rejected per record, into the office's worklist; a malformed
file, or one naming records never exported, is refused with line numbers and changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from credit.pars.codes import Board
from credit.pars.completions import export_completions
from credit.pars.layouts import LEARNER_HEADER, learner_cells, text_of
from credit.pars.models import AnswerImport, BoardIdentifier, CompletionRecord
from faculty.models import Profession
from tests.pars.conftest import (
    YEAR,
    attend,
    board_id,
    complete,
    identity,
    people,
    register_moc,
    sessions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(series, office):
    report = complete(series, accme_activity_id="202612345")
    register_moc(report, Board.ABIM, points="10")
    ann, bob = people(2, Profession.PHYSICIAN, "doc")
    attend([ann, bob], sessions(series, 2))
    for who, value in ((ann, "111111"), (bob, "999999")):
        identity(who)
        board_id(who, Board.ABIM, value)
    export = export_completions(year=YEAR, by=office)
    return {"export": export, "ann": ann, "bob": bob, "office": office}


def results(export, status_of, *, extra=(), header=None):
    """The exported rows with Status and Reason appended, as a board's results file."""
    rows = [header or [*LEARNER_HEADER, "Status", "Reason"]]
    for record in export.records.order_by("id"):
        status, reason = status_of(record)
        rows.append([text_of(v) for v in learner_cells(record)] + [status, reason])
    rows += list(extra)
    return "\r\n".join("\t".join(r) for r in rows).encode("utf-8")


def upload(client, data, name="results.txt"):
    return client.post(reverse("pars_answers"), {"results": SimpleUploadedFile(name, data)})


def test_answers_are_recorded_and_rejections_wait_on_the_worklist(client, sent):
    bob = sent["bob"].pk

    def answer(r):
        return (
            ("Rejected", "No match on the board's records")
            if r.learner_id == bob
            else ("Accepted", "")
        )

    client.force_login(sent["office"])
    assert upload(client, results(sent["export"], answer)).status_code == 302
    statuses = dict(CompletionRecord.objects.values_list("learner_id", "status").distinct())
    assert statuses == {sent["ann"].pk: "accepted", bob: "rejected"}
    done = AnswerImport.objects.get()
    assert (done.accepted, done.rejected) == (2, 2)
    page = client.get(reverse("pars_answers")).content.decode()
    assert page.count("No match on the board&#x27;s records") == 2
    assert reverse("pars_learner_identifiers", args=[bob]) in page

    # The one-click path: fix the learner's ID, make the next file: only Bob's records, added.
    BoardIdentifier.objects.filter(person_id=bob).update(board_id="999998")
    again = export_completions(year=YEAR, by=sent["office"])
    assert sorted(again.records.values_list("action", "board_id")) == [("add", "999998")] * 2
    worklist = CompletionRecord.objects.filter(status="rejected", resolved_at__isnull=True)
    assert not worklist.exists()  # sent again: off the worklist


def test_an_excel_results_file_works_too(client, sent):
    book = Workbook()
    sheet = book.active
    sheet.append([*LEARNER_HEADER, "Status", "Reason"])
    for record in sent["export"].records.order_by("id"):
        cells = learner_cells(record)
        cells[-5] = int(cells[-5])  # a board ID typed as a number by Excel
        sheet.append([*cells, "accepted", ""])
    out = io.BytesIO()
    book.save(out)
    client.force_login(sent["office"])
    assert upload(client, out.getvalue(), "results.xlsx").status_code == 302
    assert set(CompletionRecord.objects.values_list("status", flat=True)) == {"accepted"}


@pytest.mark.parametrize(
    "mangle, expected",
    [
        (lambda d: b"\r\n\r\n", "Line 1: the file is empty"),
        (lambda d: d.replace(b"Status", b"Outcome", 1), "Line 1: missing column(s) status"),
        (
            lambda d: d.replace(b"\tAccepted\t", b"\tMaybe\t", 1),
            "Line 2: status 'Maybe' is neither Accepted nor Rejected.",
        ),
        (
            lambda d: d.replace(b"01/08/2026", b"2026-13-45", 1),
            "Line 2: completion date '2026-13-45' is not MM/DD/YYYY.",
        ),
        (
            lambda d: d.replace(b"\tABIM\t", b"\tABXYZ\t", 1),
            "Line 2: 'ABXYZ' is not a certifying board PARS knows.",
        ),
        (lambda d: d.replace(b"111111", b"555555", 1), "Line 2: no record was exported for series"),
        (lambda d: b"\xff\xfe\x00\x00junk", "neither an Excel workbook nor UTF-8 text"),
        (lambda d: b"PK\x03\x04 not really a zip", "not a readable Excel workbook"),
    ],
)
def test_a_bad_file_is_refused_with_line_numbers_and_changes_nothing(
    client, sent, mangle, expected
):
    data = mangle(results(sent["export"], lambda r: ("Accepted", "")))
    client.force_login(sent["office"])
    response = upload(client, data)
    assert response.status_code == 200
    text = response.content.decode().replace("&#x27;", "'")
    assert "nothing was changed" in text
    assert expected in text, text[text.find("answer-errors") :][:800]
    assert set(CompletionRecord.objects.values_list("status", flat=True)) == {""}
    assert not AnswerImport.objects.exists()


def test_a_record_answered_twice_in_one_file_is_refused(client, sent):
    data = results(sent["export"], lambda r: ("Accepted", ""))
    lines = data.split(b"\r\n")
    client.force_login(sent["office"])
    response = upload(client, b"\r\n".join([*lines, lines[1]]))
    assert "Line 6: the same record as line 2." in response.content.decode()
    assert not AnswerImport.objects.exists()


def test_the_office_takes_a_record_off_the_worklist(client, sent):
    record = sent["export"].records.first()
    client.force_login(sent["office"])
    url = reverse("pars_answer_resolve", args=[record.pk])
    assert client.post(url).status_code == 404  # not rejected: nothing to resolve
    CompletionRecord.objects.filter(pk=record.pk).update(status="rejected", reason="x")
    assert client.post(url).status_code == 302
    record.refresh_from_db()
    assert record.resolved_at is not None and record.resolved_by == sent["office"]


def test_only_the_office_imports(client, sent, coordinator):
    client.force_login(coordinator)
    data = results(sent["export"], lambda r: ("Accepted", ""))
    assert upload(client, data).status_code == 404
    assert not AnswerImport.objects.exists()
