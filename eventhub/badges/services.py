"""Badges: plain data from registrations, one PDF per person or a bulk job for an event.

A badge carries the person's name (large, and always fitting), organization, a colour band and
label of the registration type, the event's name and dates, and the QR code of the ticket. Only a
confirmed registration has a valid ticket, so only it gets a badge. Layouts: `a6` (one badge a
page) and `a4-4up` (four A6 badges on an A4 sheet, with cut marks).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import segno
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert

from .. import documents_pool
from ..accounts.models import User
from ..certificates import isolation
from ..checkin.models import BadgePrint
from ..dbtypes import utcnow
from ..errors import Conflict
from ..events.models import Event
from ..extensions import db
from ..i18n import format_date_range
from ..jobs import JobContext, task
from ..jobs.models import Job
from ..printing import STATIC_ROOT, PdfAppender, render_html, render_pdf
from ..registration.models import Registration, RegistrationStatus, RegistrationType
from ..registration.tickets import grouped_ticket_code
from ..vietnamese import normalize_text
from .fitting import MM, Box, fitting_size

LAYOUTS = ("a6", "a4-4up")
# Registration types take these colours in their order in the event (position, then id); all dark
# enough for white text, and far enough apart to tell at a glance at the gate.
PALETTE = ("#1565c0", "#2e7d32", "#c62828", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#4e342e")
CHUNK_SIZE = 200  # badges per WeasyPrint document: memory stays bounded (a multiple of 4)
MIN_CHUNK = 20  # with several processes: smaller chunks, but a document's fixed cost stays small
# The bulk job's warm workers: badges' own templates (no limits), forked from the renderer's forkserver.
POOL = documents_pool.DocumentPool(warmups=("eventhub.badges.services:warm_up",),
                                   context=isolation.pool_context)
QR_SCALE = 8  # pixels per module of the PNG; the PDF scales it to the badge without smoothing

_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")


def _font_file(name: str) -> Path:
    """The font the PDF embeds (static/vendor/fonts, copied at set-up), for measuring text."""
    vendored = STATIC_ROOT / "vendor" / "fonts" / name
    return vendored if vendored.is_file() else _SYSTEM_FONTS / name


REGULAR, BOLD = _font_file("DejaVuSans.ttf"), _font_file("DejaVuSans-Bold.ttf")

# The text boxes of badge.css (91 mm wide inside the badge's 7 mm margins; measured 2 mm narrower
# for kerning and rounding), with the sizes each may take, largest first.
EVENT_BOX = Box(width=89 * MM, height=12 * MM, sizes=(10, 9, 8, 7, 6))
NAME_BOX = Box(width=89 * MM, height=34 * MM, sizes=(28, 24, 21, 18, 15.5, 13, 11, 9.5))
ORG_BOX = Box(width=89 * MM, height=13 * MM, sizes=(13, 12, 11, 10, 9, 8, 7))
LABEL_BOX = Box(width=89 * MM, height=15 * MM, sizes=(16, 14, 12, 10, 8.5, 7))


class NoBadge(Conflict):
    code = "not_confirmed"
    default_message = _l("This registration is not confirmed: without a ticket there is no badge.")


class RendererStopped(Conflict):
    code = "renderer_stopped"
    default_message = _l("The badge renderer stopped unexpectedly, twice. Please start the job again.")


# --- plain data -------------------------------------------------------------------------------------

def type_colours(event_id: int) -> dict[int, str]:
    """{registration type id: colour} for the event's types, in their order."""
    ids = db.session.scalars(db.select(RegistrationType.id).filter_by(event_id=event_id)
                             .order_by(RegistrationType.position, RegistrationType.id))
    return {type_id: PALETTE[index % len(PALETTE)] for index, type_id in enumerate(ids)}


def event_data(event: Event) -> dict[str, str]:
    return {"event_name": normalize_text(event.name),
            "event_dates": format_date_range(event.starts_at, event.ends_at, event.tz)}


def badge_data(*, full_name: str, organization: str | None, type_name: str, type_code: str,
               ticket_code: str, colour: str, event_name: str, event_dates: str) -> dict[str, str]:
    """The plain data of one badge: what a template may see, and nothing else."""
    return {"full_name": normalize_text(full_name), "organization": normalize_text(organization or ""),
            "type_name": normalize_text(type_name), "type_code": type_code, "ticket_code": ticket_code,
            "ticket_text": grouped_ticket_code(ticket_code),  # printed under the QR code, to read out
            "colour": colour, "event_name": event_name, "event_dates": event_dates}


def registration_badge_data(reg: Registration) -> dict[str, str]:
    """Badge data of a confirmed registration; NoBadge for one without a valid ticket."""
    if reg.status != RegistrationStatus.confirmed or not reg.ticket_code:
        raise NoBadge()
    rtype = reg.registration_type
    return badge_data(full_name=reg.full_name, organization=reg.organization, type_name=rtype.name,
                      type_code=rtype.code, ticket_code=reg.ticket_code,
                      colour=type_colours(reg.event_id)[rtype.id], **event_data(reg.event))


# --- rendering --------------------------------------------------------------------------------------

def qr_data_uri(ticket_code: str) -> str:
    # make_qr, not make: phones' scanners cannot read the Micro QR that `make` may choose.
    return segno.make_qr(ticket_code, error="m").png_data_uri(scale=QR_SCALE, border=0)


def badge_view(data: dict[str, str]) -> dict[str, Any]:
    """The data plus what the template draws from it: the QR code and the sizes at which texts fit."""
    return {**data, "qr": qr_data_uri(data["ticket_code"]),
            "name_pt": fitting_size(data["full_name"], BOLD, NAME_BOX),
            "org_pt": fitting_size(data["organization"], REGULAR, ORG_BOX),
            "event_pt": fitting_size(data["event_name"], BOLD, EVENT_BOX),
            "label_pt": fitting_size(data["type_name"], BOLD, LABEL_BOX)}


def render_badges(badges: list[dict[str, str]], layout: str) -> bytes:
    """One PDF of these badges (plain data) in `layout`; call it with at most CHUNK_SIZE badges."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown badge layout {layout!r}")
    html = render_html("badge.html", badges=[badge_view(b) for b in badges], layout=layout)
    return render_pdf(html, ("badge.css", f"badge-{layout}.css"))


def warm_up() -> None:
    """Fonts loaded and stylesheets parsed for both layouts (a document worker calls it once)."""
    sample = badge_data(full_name="Nguyễn Thị Quý Trúc", organization="EventHub", type_name="Khách",
                        type_code="visitor", ticket_code="WARMUP", colour=PALETTE[0], event_name="EventHub",
                        event_dates="")
    for layout in LAYOUTS:
        render_badges([sample], layout)


def registration_badge_pdf(reg: Registration, layout: str = "a6") -> bytes:
    return render_badges([registration_badge_data(reg)], layout)


# --- the print log ----------------------------------------------------------------------------------

def record_print(reg: Registration, *, actor, layout: str, now: datetime | None = None) -> BadgePrint:
    """Logs that `actor` printed the badge of `reg` (print on demand at the desk). Commits."""
    entry = BadgePrint(registration_id=reg.id, printed_by_id=getattr(actor, "id", None), layout=layout,
                       printed_at=now or utcnow())
    db.session.add(entry)
    db.session.commit()
    return entry


def previous_prints(reg: Registration) -> list[dict[str, Any]]:
    """Earlier prints of the badge, newest first: when, by whom, layout, and whether in a bulk job."""
    rows = db.session.execute(
        db.select(BadgePrint.printed_at, BadgePrint.layout, BadgePrint.job_id, User.full_name)
        .outerjoin(User, User.id == BadgePrint.printed_by_id)
        .where(BadgePrint.registration_id == reg.id)
        .order_by(BadgePrint.printed_at.desc(), BadgePrint.id.desc()))
    return [{"printed_at": at, "layout": layout, "bulk": job_id is not None, "by": name or ""}
            for at, layout, job_id, name in rows]


# --- the bulk job -----------------------------------------------------------------------------------

def badge_query(event: Event, *, type_code: str | None = None, status: str = "confirmed"):
    """The registrations that get a badge, ordered by Vietnamese given name (then id)."""
    wanted = RegistrationStatus(status)
    stmt = (db.select(Registration.id, Registration.full_name, Registration.organization,
                      Registration.ticket_code, Registration.registration_type_id)
            .where(Registration.event_id == event.id, Registration.status == wanted,
                   Registration.ticket_code.is_not(None))
            .order_by(Registration.sort_key, Registration.id))
    if wanted != RegistrationStatus.confirmed:
        stmt = stmt.where(False)  # no valid ticket, so no badge (cancelled ones keep a dead code)
    if type_code:
        stmt = stmt.join(RegistrationType).where(RegistrationType.code == type_code)
    return stmt


def count_badges(event: Event, *, type_code: str | None = None, status: str = "confirmed") -> int:
    stmt = badge_query(event, type_code=type_code, status=status).order_by(None)
    return db.session.scalar(db.select(db.func.count()).select_from(stmt.subquery()))


def _render_chunks(chunks: list[list[dict]], layout: str):
    """The chunks' PDFs in order; with DOCUMENT_PROCESSES > 1 rendered by that many processes at once
    (WeasyPrint is CPU-bound Python: threads would share one core) – the warm pool of this process
    (documents_pool.py), each PDF yielded as soon as it and those before it are done, so that the
    caller merges it while the next ones are rendered."""
    processes = min(current_app.config.get("DOCUMENT_PROCESSES", 1), len(chunks))
    if processes <= 1:
        yield from (render_badges(chunk, layout) for chunk in chunks)
        return
    try:
        yield from POOL.ordered_map(render_badges, chunks, processes, layout)
    except documents_pool.WorkersStopped as exc:
        raise RendererStopped() from exc


def chunk_size(total: int, processes: int) -> int:
    """Badges per chunk: CHUNK_SIZE with one process; with several, chunks that give each process
    four or more and no last round alone; whole sheets of four either way."""
    return documents_pool.chunk_size(total, processes, largest=CHUNK_SIZE, smallest=MIN_CHUNK, multiple=4)


@task("badges")
def badges_job(ctx: JobContext, event_id: int, layout: str, type: str | None = None,
               status: str = "confirmed") -> None:
    """Every badge of an event (filtered by type and status) in one PDF, rendered in chunks."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise LookupError("the event no longer exists")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown badge layout {layout!r}")
    slug, common = event.slug, event_data(event)
    rows = db.session.execute(badge_query(event, type_code=type, status=status)).all()
    ctx.set_total(len(rows))
    if not rows:
        return  # done, with nothing to print: no file
    types = {t.id: (t.name, t.code) for t in db.session.scalars(
        db.select(RegistrationType).filter_by(event_id=event_id))}
    colours = type_colours(event_id)
    pdf = PdfAppender(outline=False)  # badges have no headings, so no bookmarks
    per_chunk = chunk_size(len(rows), current_app.config.get("DOCUMENT_PROCESSES", 1))
    chunks = [[badge_data(full_name=name, organization=organization, type_name=types[type_id][0],
                          type_code=types[type_id][1], ticket_code=ticket, colour=colours[type_id], **common)
               for _id, name, organization, ticket, type_id in rows[start:start + per_chunk]]
              for start in range(0, len(rows), per_chunk)]
    for chunk, rendered in zip(chunks, _render_chunks(chunks, layout), strict=True):
        pdf.append(rendered)
        ctx.advance(len(chunk))
    printed_by = db.session.scalar(db.select(Job.created_by_id).where(Job.id == ctx.job_id))
    now = utcnow()
    db.session.execute(insert(BadgePrint), [
        {"registration_id": row[0], "printed_at": now, "printed_by_id": printed_by, "layout": layout,
         "job_id": ctx.job_id} for row in rows])
    # The print log and the result are committed together.
    ctx.save_result(pdf.getvalue(), f"badges-{slug}-{layout}.pdf", "application/pdf")
