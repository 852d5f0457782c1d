"""The activity files in ACCME's formats: Excel and tab-delimited text, one row per series-year;
unready series are refused with the checker's list unless the office asks for a draft."""

import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from credit.pars.codes import Board, InKind
from credit.pars.layouts import ACTIVITY_COLUMNS, SUPPORT_COLUMNS, activity_header
from credit.pars.models import ActivityExport, CommercialSupport
from faculty.models import Profession
from tests import factories as f
from tests.pars.conftest import (
    AFTER_THE_YEAR,
    YEAR,
    attend,
    complete,
    people,
    register_moc,
    sessions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(series):
    """The grand rounds, complete: 20 physicians and 5 nurses at 52 sessions, ABIM MOC, two
    sources of commercial support. A tumor board with nothing filled in."""
    weekly = sessions(series, 52)
    attend(people(20, Profession.PHYSICIAN, "doc"), weekly)
    attend(people(5, Profession.NURSE, "rn"), weekly)
    report = complete(series, commercial_support="yes", accme_activity_id="202612345")
    register_moc(report)
    CommercialSupport.objects.create(
        report=report, source="Acme Pharmaceuticals", kind="monetary", amount=Decimal("5000")
    )
    CommercialSupport.objects.create(
        report=report, source="Beta Devices", kind="in_kind", in_kind=InKind.DURABLE
    )
    board = f.parent(name="Surgery Tumor Board", year=YEAR)
    sessions(board, 3)
    return series, board


@pytest.fixture
def office_client(client, office):
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        client.force_login(office)
        yield client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def column(name, header):
    return next(i for i, h in enumerate(header) if h.split(". ", 1)[1] == name)


def test_the_excel_file_has_acmes_headings_and_codes(office_client, year):
    series, _ = year
    response = office_client.get(
        reverse("pars_activities_xlsx", args=[YEAR]) + f"?parent={series.pk}"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(body(response))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, row = rows[0], rows[1]
    assert len(rows) == 2  # one row per series-year
    assert header == activity_header(2)  # two sources: the support group twice
    assert header[0] == "1. Template (DO NOT ALTER OR DELETE THIS COLUMN)"
    assert (
        header[len(ACTIVITY_COLUMNS)] == f"{len(ACTIVITY_COLUMNS) + 1}. Commercial Support Source"
    )
    assert header[len(ACTIVITY_COLUMNS) + len(SUPPORT_COLUMNS)].endswith(
        "Commercial Support Source (2nd)"
    )
    get = lambda name: row[column(name, header)]  # noqa: E731
    assert get("Activity Type") == "RSS"
    assert get("Provider Activity ID") == str(series.pk)
    assert get("ACCME Activity ID") == "202612345"
    assert get("Reporting Year") == YEAR
    assert get("Activity Start Date").date().isoformat() == "2026-01-08"
    assert get("Activity End Date").date().isoformat() == "2026-12-31"
    assert get("Hours of Instruction") == 52
    assert get("Number of AMA PRA Category 1 Credits Designated") == 52
    assert get("# of Physicians") == 1040  # 20 x 52
    assert get("# of Other Learners") == 260
    assert (get("City"), get("State"), get("Country")) == ("Ann Arbor", "MI", "USA")
    assert get("Providership") == "Direct"
    assert get("Delivery Method") == "In-Person;Live-Streamed"
    assert get("Commercial Support Received?") == "Yes"
    assert get("Designed to change Competence?") == "Yes"
    assert get("Changes in Performance evaluated?") == "No"
    assert get("Listed in CME Finder?") == "Yes"
    assert get("Fee for Participation") == "No, it\u2019s free"
    assert get("Activity Registration") == "Limited"
    assert get("ABIM MOC Registered?") == "Yes" and get("ABP MOC Registered?") == "No"
    assert get("ABIM MOC Points") == 52 and get("ABIM Credit Type(s)") == "Medical Knowledge"
    assert get("Commercial Support Source") == "Acme Pharmaceuticals"
    assert get("Monetary Amount Received (from Commercial Support)") == 5000
    second = len(ACTIVITY_COLUMNS) + len(SUPPORT_COLUMNS)
    assert row[second] == "Beta Devices"
    assert row[second + 2] == "Yes"  # durable equipment
    assert ActivityExport.objects.get().series == 1


def test_the_tab_delimited_file_has_the_same_fields_in_the_same_order(office_client, year):
    series, _ = year
    response = office_client.get(
        reverse("pars_activities_txt", args=[YEAR]) + f"?parent={series.pk}"
    )
    assert response.status_code == 200
    text = body(response).decode("utf-8")
    lines = text.split("\r\n")
    assert lines[-1] == "" and len(lines) == 2  # one record, no heading row (ACCME deletes it)
    fields = lines[0].split("\t")
    header = activity_header(2)
    assert len(fields) == len(header)
    get = lambda name: fields[column(name, header)]  # noqa: E731
    assert get("Template (DO NOT ALTER OR DELETE THIS COLUMN)") == "Template E"
    assert get("Activity Type") == "RSS"
    assert get("Activity Start Date") == "01/08/2026" and get("Activity End Date") == "12/31/2026"
    assert get("Hours of Instruction") == "52"
    assert get("# of Physicians") == "1040"
    assert get("ABIM Credit Claim Date") == "01/31/2027"


def test_an_unready_series_is_refused_with_what_it_lacks_unless_a_draft(office_client, year):
    series, board = year
    url = reverse("pars_activities_xlsx", args=[YEAR])
    refused = office_client.get(url)
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Surgery Tumor Board" in text and "Description is missing." in text
    assert "Medicine Grand Rounds" not in text  # the ready one is not listed
    assert not ActivityExport.objects.exists()

    draft = office_client.get(url + "?draft=1")
    assert draft.status_code == 200
    rows = list(load_workbook(io.BytesIO(body(draft))).active.iter_rows(values_only=True))
    assert len(rows) == 3  # header and both series

    ready = office_client.get(url + "?ready_only=1")
    rows = list(load_workbook(io.BytesIO(body(ready))).active.iter_rows(values_only=True))
    assert [r[4] for r in rows[1:]] == ["Medicine Grand Rounds"]
    one = office_client.get(url + f"?parent={board.pk}")
    assert one.status_code == 409


def test_a_name_that_looks_like_a_formula_stays_text(office_client, series):
    series.name = '=HYPERLINK("http://x")'
    series.save()
    complete(series)
    sessions(series, 1)
    response = office_client.get(reverse("pars_activities_xlsx", args=[YEAR]) + "?draft=1")
    sheet = load_workbook(io.BytesIO(body(response))).active
    cell = sheet.cell(row=2, column=5)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_only_the_office_exports(client, year, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("pars_activities_xlsx", args=[YEAR]) + "?draft=1").status_code == 404
    assert not ActivityExport.objects.exists()


def test_no_board_is_left_out_of_the_template():
    header = " | ".join(activity_header(1))
    for short in ("ABA", "ABIM", "ABOS", "ABOHNS", "ABPath", "ABP", "ABS", "ABTS"):
        assert f"{short} MOC Registered?" in header
    assert len(Board.values) == 8
