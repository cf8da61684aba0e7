"""Every registration of an event as CSV (UTF-8 with BOM, for Excel) or XLSX, one row each.

Both go through `eventhub.spreadsheets`, which neutralizes formula-like text. The CSV is for other
programs (api.md): its header holds codes (`full_name`, `status`, …), its values codes too, phones in
E.164. The XLSX is for people (`spreadsheets.write_table`): its header in the reader's language,
statuses and types as words, phones as typed in Viet Nam (0912 345 678), yes/no answers as words, the
registration time a real date in the event's time zone, numbers as numbers; fitted columns, a frozen
header and a filter; ticket codes grouped as printed (the CSV keeps the code itself).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from .. import spreadsheets
from ..downloads import XLSX_MIMETYPE, file_response
from ..events.models import Event
from ..extensions import db
from .labels import STATUS_LABELS
from .models import Registration, SessionChoice
from .tickets import grouped_ticket_code

CODES = ("id", "status", "type", "full_name", "email", "phone", "organization", "sessions", "ticket_code",
         "created_at")


def _labels() -> list[str]:
    return [_("Registration no."), _("Status"), _("Registration type"), _("Full name"), _("E-mail"),
            _("Phone"), _("Organization"), _("Sessions"), _("Ticket code"), _("Registered at")]


def _answer(value):
    """An answer as a cell: a list as text, numbers and yes/no kept as they are."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def _ticket(code: str | None, for_people: bool) -> str:
    """The CSV keeps the code itself; the XLSX groups it as pages and tickets print it ("R6FY Z24T …")."""
    return grouped_ticket_code(code) if for_people else code or ""


def _registrations(event: Event) -> list[Registration]:
    return list(db.session.scalars(
        db.select(Registration).where(Registration.event_id == event.id)
        .options(selectinload(Registration.registration_type),
                 selectinload(Registration.session_choices).selectinload(SessionChoice.session))
        .order_by(Registration.sort_key, Registration.id)))


def export_rows(event: Event, *, for_people: bool = False) -> tuple[list[str], list[list]]:
    """Header and typed rows; every question ever answered gets a column (labelled as last asked).
    `for_people`: labels instead of codes (the XLSX)."""
    registrations = _registrations(event)
    question_columns: dict[str, str] = {}
    for reg in registrations:
        for answer in reg.answers or []:
            question_columns[answer["key"]] = answer["label"]
    header = [*(_labels() if for_people else CODES), *question_columns.values()]
    rows = []
    for reg in registrations:
        answers = reg.answers_by_key
        status = reg.status.value
        rows.append([
            reg.id,
            str(STATUS_LABELS.get(status, status)) if for_people else status,
            reg.registration_type.name if for_people else reg.registration_type.code,
            reg.full_name, reg.email, spreadsheets.phone(reg.phone) if for_people else reg.phone or "",
            reg.organization or "",
            "; ".join(c.session.title for c in reg.session_choices),
            _ticket(reg.ticket_code, for_people) if status == "confirmed" else "",
            reg.created_at,
            *(_answer(answers.get(key)) for key in question_columns),
        ])
    return header, rows


def to_csv(event: Event) -> bytes:
    header, rows = export_rows(event)
    return spreadsheets.csv_bytes(header, rows, tz=event.tz)


def to_xlsx(event: Event) -> bytes:
    header, rows = export_rows(event, for_people=True)
    return spreadsheets.people_xlsx(_("Registrations"), header, rows, tz=event.tz)


def csv_download(event: Event):
    return file_response(to_csv(event), "text/csv", f"registrations-{event.slug}.csv")


def xlsx_download(event: Event):
    return file_response(to_xlsx(event), XLSX_MIMETYPE, f"registrations-{event.slug}.xlsx")
