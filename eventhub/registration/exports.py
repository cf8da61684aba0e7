"""Every registration of an event as CSV (UTF-8 with BOM, for Excel) or XLSX, one row each."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import Workbook
from sqlalchemy.orm import selectinload

from ..downloads import XLSX_MIMETYPE, file_response
from ..events.models import Event
from ..extensions import db
from ..i18n import format_datetime
from .models import Registration, SessionChoice

_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """Text that a spreadsheet would run as a formula gets a leading quote (plain numbers pass)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _answer_text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "x" if value else ""
    return "" if value is None else str(value)


def export_rows(event: Event) -> tuple[list[str], list[list]]:
    """Header and rows; every question ever answered gets a column (labelled as last asked)."""
    registrations = list(db.session.scalars(
        db.select(Registration).where(Registration.event_id == event.id)
        .options(selectinload(Registration.registration_type),
                 selectinload(Registration.session_choices).selectinload(SessionChoice.session))
        .order_by(Registration.sort_key, Registration.id)))
    question_columns: dict[str, str] = {}
    for reg in registrations:
        for answer in reg.answers or []:
            question_columns[answer["key"]] = answer["label"]
    header = ["id", "status", "type", "full_name", "email", "phone", "organization", "sessions",
              "ticket_code", "created_at", *question_columns.values()]
    rows = []
    for reg in registrations:
        answers = reg.answers_by_key
        rows.append([
            reg.id, reg.status.value, reg.registration_type.code, reg.full_name, reg.email,
            reg.phone or "", reg.organization or "",
            "; ".join(c.session.title for c in reg.session_choices),
            reg.ticket_code if reg.status.value == "confirmed" else "",
            format_datetime(reg.created_at, event.timezone),
            *(_answer_text(answers.get(key)) for key in question_columns),
        ])
    return header, rows


def to_csv(event: Event) -> bytes:
    header, rows = export_rows(event)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def to_xlsx(event: Event) -> bytes:
    header, rows = export_rows(event)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "registrations"
    sheet.append(header)
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=neutralize(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_download(event: Event):
    return file_response(to_csv(event), "text/csv", f"registrations-{event.slug}.csv")


def xlsx_download(event: Event):
    return file_response(to_xlsx(event), XLSX_MIMETYPE, f"registrations-{event.slug}.xlsx")
