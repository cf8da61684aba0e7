"""The placeholders of a message and their values for one recipient; checking and rendering a subject
or body in the certificates' sandbox (plain text, no autoescape), and the HTML part made from the text."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import or_
from sqlalchemy.orm import aliased

from ..booths.models import Booth, BoothPlacement
from ..certificates import sandbox, templates
from ..events.models import Event
from ..extensions import db
from ..i18n import format_date_range, format_datetime, format_time
from ..matchmaking.models import Meeting, MeetingStatus, Profile
from ..registration.models import Registration, RegistrationStatus
from ..registration.tickets import grouped_ticket_code, make_manage_token
from ..urls import external_url

PLACEHOLDERS = frozenset(
    {"name", "event", "event_dates", "venue", "manage_link", "ticket", "booth", "meetings", "lost_link"})
_URL = re.compile(r"https?://[^\s<>\"']+")
_TRAILING = ".,;:!?)]}'\""


# A message renders in the web request (validation, preview) and per recipient in the mail thread, not in
# a limited child process as certificates do: so smaller limits than certificates' and a time budget.
# Filters that cost n·log n or more on a long text (sort, unique, wordcount, list) are left out.
MESSAGE_LIMITS = sandbox.Limits(
    turns=500, string=20_000, output=60_000, seconds=0.2,
    filters=tuple(f for f in sandbox.SAFE_FILTERS if f not in {"sort", "unique", "wordcount", "list"}))


def problems_of(template: str) -> list[str]:
    """What is wrong with a subject or body, as sentences organizers read (each naming the line and, for
    an unknown placeholder, its name); empty when it may be sent."""
    return [_problem_text(p) for p in sandbox.check(template, placeholders=PLACEHOLDERS, autoescape=False,
                                                    limits=MESSAGE_LIMITS)]


def _problem_text(problem: sandbox.Problem) -> str:
    """A problem in the organizer's words, never Jinja's English: a syntax error, an operation that failed
    while filling it in ("TypeError: …"), something refused or a limit reached."""
    if problem.placeholder:
        text = _("There is no placeholder {{ %(name)s }}; use one of: %(known)s.", name=problem.placeholder,
                 known=", ".join(sorted(PLACEHOLDERS)))
    elif problem.kind == sandbox.TOO_MANY_TURNS:
        text = _("Loops in the message turn too many times.")
    elif problem.kind in (sandbox.TOO_LONG, sandbox.TOO_MUCH_OUTPUT):
        text = _("The message would be far too long.")
    elif problem.kind == sandbox.FORMATTING:
        text = _("String formatting is not allowed in a message.")
    elif problem.kind == sandbox.TOO_SLOW:
        text = _("The message takes too long to fill in: simplify its loops and filters.")
    elif problem.message == sandbox.NO_INCLUDES:
        text = _("A message may not include, import or extend other templates.")
    elif problem.message.startswith(sandbox.NOT_ALLOWED):
        text = _("Not allowed in a message: %(detail)s",
                 detail=templates.refused_text(problem.message[len(sandbox.NOT_ALLOWED):]))
    elif problem.syntax:
        text = templates.syntax_text(problem.message)
    else:  # an operation that failed while filling it in ("TypeError: …"): Jinja's words, not the reader's
        text = _("This expression cannot be worked out (for instance text added to a number).")
    return _("Line %(line)s: %(text)s", line=problem.line, text=text) if problem.line else text


class RenderFailed(ValueError):
    """A template could not be filled for a recipient (a limit reached): the sentences say why."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def render_text(template: str, context: dict) -> str:
    """A subject or body filled for one recipient (plain text); RenderFailed when the sandbox refuses."""
    try:
        return sandbox.render(template, context, placeholders=PLACEHOLDERS, autoescape=False,
                              limits=MESSAGE_LIMITS)
    except sandbox.TemplateRefused as exc:
        raise RenderFailed([_problem_text(p) for p in exc.problems]) from exc


def one_line(subject: str) -> str:
    """A header is one line: a placeholder that spans lines (meetings) is joined with spaces."""
    return " ".join(subject.split())[:998]


def html_of(text: str) -> Markup:
    """The HTML part: the text escaped, blank lines making paragraphs, line breaks kept, links clickable."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if p.strip()]
    return Markup("\n").join(Markup("<p>{}</p>").format(Markup("<br>\n").join(_linked(line)
                                                                             for line in p.split("\n")))
                             for p in paragraphs)


def _linked(line: str) -> Markup:
    parts, last = [], 0
    for match in _URL.finditer(line):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        parts.append(escape(line[last:match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = end
    parts.append(escape(line[last:]))
    return Markup("").join(parts)


def context_for(event: Event, person) -> dict[str, str]:
    """The placeholders' values for one recipient (a Candidate or a MessageRecipient: email, full_name,
    registration_id, user_id, exhibitor_id), in the current language."""
    context = {
        "name": person.full_name or "",
        "event": event.name,
        "event_dates": format_date_range(event.starts_at, event.ends_at, event.tz),
        "venue": event.venue or "",
        "manage_link": "",
        "ticket": "",
        "booth": "",
        "meetings": "",
        "lost_link": external_url("registration.lost_link", slug=event.slug),
    }
    reg = db.session.get(Registration, person.registration_id) if person.registration_id else None
    if reg is not None and reg.event_id == event.id:
        context["manage_link"] = external_url("registration.manage",
                                              token=make_manage_token(reg.id, reg.manage_nonce))
        if reg.status == RegistrationStatus.confirmed:
            context["ticket"] = grouped_ticket_code(reg.ticket_code)
    if person.exhibitor_id:
        codes = db.session.scalars(
            db.select(Booth.code).join(BoothPlacement, BoothPlacement.booth_id == Booth.id)
            .where(BoothPlacement.exhibitor_id == person.exhibitor_id).distinct().order_by(Booth.code))
        context["booth"] = ", ".join(codes)
    if person.user_id:
        context["meetings"] = _meetings(event, person.user_id)
    return context


def _meetings(event: Event, user_id: int) -> str:
    """The person's scheduled meetings at the event, one per line: time, table, counterpart."""
    investor, startup = aliased(Profile), aliased(Profile)
    rows = db.session.execute(
        db.select(Meeting.starts_at, Meeting.ends_at, Meeting.table_number, investor.user_id,
                  investor.organization, startup.organization)
        .join(investor, investor.id == Meeting.investor_profile_id)
        .join(startup, startup.id == Meeting.startup_profile_id)
        .where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.scheduled,
               or_(investor.user_id == user_id, startup.user_id == user_id))
        .order_by(Meeting.starts_at, Meeting.id))
    lines = []
    for starts_at, ends_at, table, investor_user, investor_org, startup_org in rows:
        other = startup_org if investor_user == user_id else investor_org
        lines.append(_("%(start)s–%(end)s, table %(table)s, with %(organization)s",
                       start=format_datetime(starts_at, event.tz), end=format_time(ends_at, event.tz),
                       table=table, organization=other))
    return "\n".join(lines)
