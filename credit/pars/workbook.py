"""PARS's Excel workbooks, written with openpyxl in write-only mode (credit/pars/exports.py).

A module of its own so that openpyxl is imported with the first Excel export only."""

import tempfile
from collections.abc import Iterable
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font


def write_only_file(title: str, header: list[str], rows: Iterable[list]):
    """A workbook with one sheet: the header row, then the rows. Written to a temporary file
    (openpyxl's write-only mode keeps one row in memory); returned open at its start."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    bold = Font(bold=True)
    sheet.append([_cell(sheet, h, font=bold) for h in header])
    for row in rows:
        sheet.append([_plain(sheet, value) for value in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    book.save(out)
    out.seek(0)
    return out


def _plain(sheet, value):
    """Most cells go in as plain values (openpyxl's fast path); only dates (a format) and text
    that openpyxl would take for a formula need a cell of their own."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return _cell(sheet, value) if value.startswith("=") else value
    if isinstance(value, date):
        return _cell(sheet, value)
    return value


def _cell(sheet, value, font=None):
    cell = WriteOnlyCell(sheet)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        cell.value = value
        cell.number_format = "mm/dd/yyyy"
    elif isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        # A text cell, always: a name or description starting with "=" is never a formula.
        cell.data_type = "s"
    else:
        cell.value = value
    if font is not None:
        cell.font = font
    return cell
