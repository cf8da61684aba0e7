"""Entries by teams: submit, edit until the deadline, the team, links, the PDF pitch deck, withdraw.

The deadline is the contest's `submission_deadline`, an instant (entered in the event's time zone);
services take `now=` so tests and the API agree on what "after the deadline" means.

Under blind judging the deck is served to judges as `entry-<id>.pdf`, without its own PDF metadata
(author, title, XMP); what the slides themselves show is up to the team.
"""

from __future__ import annotations

import io
import secrets
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pypdf import PdfReader, PdfWriter

from .. import mail, storage
from ..accounts.models import User
from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import ValidationError
from ..extensions import db
from ..organizations.models import OrganizationKind
from ..organizations.services import link as link_organization
from ..urls import external_url
from ..validation import FieldErrors, clean_email, clean_name
from .conflicts import detect_conflicts
from .errors import DeckUnavailable, SubmissionClosed, TooLarge
from .invitations import invitation_token
from .models import Contest, Entry, EntryMember, EntryStatus

MAX_DECK_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 20
MAX_LINKS = 10


def submissions_open(contest: Contest, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return contest.submission_deadline is None or now < contest.submission_deadline


def _require_open(contest: Contest, now: datetime | None) -> None:
    if not submissions_open(contest, now):
        raise SubmissionClosed()


def _text(value, field: str, errors: FieldErrors, *, required: bool, max_length: int) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, _("Enter text."))
        return ""
    value = value.strip()
    if required and not value:
        errors.add(field, _("This field is required."))
    elif len(value) > max_length:
        errors.add(field, _("At most %(n)d characters.", n=max_length))
    return value


def _clean_links(raw, errors: FieldErrors) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_LINKS:
        errors.add("links", _("Give at most %(n)d links.", n=MAX_LINKS))
        return []
    links = []
    for i, link in enumerate(raw):
        if not isinstance(link, str) or not link.strip():
            continue
        link = link.strip()
        if not (link.startswith("https://") or link.startswith("http://")) or len(link) > 500 \
                or any(ch.isspace() for ch in link):
            errors.add(f"links.{i}", _("Enter a web address starting with https://."))
        else:
            links.append(link)
    return links


def _clean_team(raw, errors: FieldErrors) -> list[dict[str, str]]:
    if raw is None:
        raw = []
    if not isinstance(raw, list) or len(raw) > MAX_MEMBERS:
        errors.add("team", _("Give at most %(n)d team members.", n=MAX_MEMBERS))
        return []
    team, seen = [], set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            errors.add(f"team.{i}", _("Enter an object."))
            continue
        name = errors.clean(clean_name, item.get("full_name") if isinstance(item.get("full_name"), str)
                            else "", f"team.{i}.full_name")
        email = errors.clean(clean_email, item.get("email") if isinstance(item.get("email"), str) else "",
                             f"team.{i}.email")
        if email and email in seen:
            errors.add(f"team.{i}.email", _("This person is already on the team."))
        if name and email:
            seen.add(email)
            team.append({"full_name": name, "email": email})
    return team


def clean_entry(data: dict, errors: FieldErrors) -> dict[str, Any]:
    return {
        "title": _text(data.get("title"), "title", errors, required=True, max_length=300),
        "summary": _text(data.get("summary"), "summary", errors, required=False, max_length=10000),
        "organization": _text(data.get("organization"), "organization", errors, required=False,
                              max_length=200),
        "links": _clean_links(data.get("links"), errors),
        "team": _clean_team(data.get("team"), errors),
    }


def _sync_team(entry: Entry, team: list[dict[str, str]], submitter: User | None, now: datetime) -> None:
    """Members as given (the submitting account always stays on the team); new ones get an e-mail."""
    if submitter is not None and submitter.email.lower() not in {m["email"] for m in team}:
        team = [{"full_name": submitter.full_name, "email": submitter.email.lower()}, *team]
    wanted = {m["email"]: m for m in team}
    for member in list(entry.members):
        if member.email_normalized not in wanted:
            entry.members.remove(member)
    present = {m.email_normalized: m for m in entry.members}
    for email, item in wanted.items():
        member = present.get(email)
        if member is not None:
            member.full_name = item["full_name"]
            continue
        # Nobody is attached by address: the submitter is on the team by account, everyone else once
        # they accept the e-mailed invitation with this address proven (contests/invitations.py).
        is_submitter = submitter is not None and email == submitter.email.lower()
        member = EntryMember(full_name=item["full_name"], email=email, email_normalized=email,
                             user_id=submitter.id if is_submitter else None,
                             accepted_at=now if is_submitter else None)
        entry.members.append(member)
        if not is_submitter:
            member.invited_at = now
            db.session.flush()
            mail.queue("contest.member_invited", to=email, entry_id=entry.id, member_id=member.id)


def submit_entry(contest: Contest, data: dict, *, user: User, now: datetime | None = None) -> Entry:
    now = now or utcnow()
    _require_open(contest, now)
    errors = FieldErrors()
    values = clean_entry(data, errors)
    errors.raise_if_any()
    entry = Entry(contest_id=contest.id, title=values["title"], summary=values["summary"],
                  organization=values["organization"], links=values["links"], created_by_id=user.id,
                  created_at=now, updated_at=now)
    link_organization(entry, kind=OrganizationKind.startup)
    db.session.add(entry)
    db.session.flush()
    _sync_team(entry, values["team"], user, now)
    detect_conflicts(contest, entries=[entry])
    record("entry.submitted", entry, actor=user, event=contest.event, changes={"title": entry.title})
    db.session.commit()
    return entry


def update_entry(entry: Entry, data: dict, *, user: User, now: datetime | None = None) -> Entry:
    now = now or utcnow()
    _require_open(entry.contest, now)
    if entry.status != EntryStatus.submitted:
        raise ValidationError({"status": [_("This entry was withdrawn.")]})
    errors = FieldErrors()
    values = clean_entry(data, errors)
    errors.raise_if_any()
    entry.title, entry.summary = values["title"], values["summary"]
    entry.organization, entry.links = values["organization"], values["links"]
    link_organization(entry, kind=OrganizationKind.startup)
    creator = db.session.get(User, entry.created_by_id) if entry.created_by_id else None
    _sync_team(entry, values["team"], creator, now)
    detect_conflicts(entry.contest, entries=[entry])
    record("entry.updated", entry, actor=user, event=entry.contest.event)
    db.session.commit()
    return entry


def withdraw(entry: Entry, *, user: User, now: datetime | None = None) -> Entry:
    entry.status = EntryStatus.withdrawn
    record("entry.withdrawn", entry, actor=user, event=entry.contest.event)
    db.session.commit()
    return entry


def check_pdf(data: bytes) -> None:
    """A real PDF: the magic bytes and a document pypdf can read with at least one page."""
    problem = ValidationError({"file": [_("This file is not a PDF document.")]})
    if b"%PDF-" not in data[:1024]:  # the header may follow a little junk, as readers allow
        raise problem
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError({"file": [_("Password-protected PDFs cannot be read by the judges.")]})
        if len(reader.pages) < 1:
            raise problem
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on broken files
        raise problem from exc


def upload_deck(entry: Entry, data: bytes, filename: str | None, *, user: User, by_organizer: bool = False,
                now: datetime | None = None) -> Entry:
    """Stores the PDF deck in place of the old one: the team until the deadline, organizers at any time
    (`by_organizer`, which the caller asks of permissions). Empty `data` means no file was chosen."""
    now = now or utcnow()
    if not by_organizer:
        _require_open(entry.contest, now)
    if not data:
        raise ValidationError({"file": [_("Choose a PDF file.")]})
    if len(data) > MAX_DECK_BYTES:
        raise TooLarge(_("The pitch deck may be at most 20 MB."))
    check_pdf(data)
    key = f"contests/{entry.contest_id}/entries/{entry.id}/deck-{secrets.token_hex(8)}.pdf"
    storage.put(key, data)
    old = entry.deck_key
    entry.deck_key, entry.deck_size, entry.deck_uploaded_at = key, len(data), now
    entry.deck_filename = _safe_filename(filename) or f"entry-{entry.id}.pdf"
    record("entry.deck_uploaded", entry, actor=user, event=entry.contest.event, changes={"size": len(data)})
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        storage.delete(key)
        raise
    if old and old != key:
        storage.delete(old)
    return entry


def _safe_filename(name: str | None) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"\x00')[:120]
    if not name.lower().endswith(".pdf"):
        name = f"{name}.pdf" if name else ""
    return name


def deck_for(entry: Entry, *, blind_viewer: bool) -> bytes:
    """The stored deck; under blind judging without the document's own metadata (author, title,
    creator, XMP), which office programs fill with the author's name and company."""
    data = storage.get(entry.deck_key)
    if not blind_viewer:
        return data
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data), strict=False))
        writer.metadata = None
        writer._root_object.pop("/Metadata", None)
        writer.compress_identical_objects()  # drops the XMP stream, now unreferenced (pypdf 5–7 alike)
        out = io.BytesIO()
        writer.write(out)
    except Exception as exc:  # never hand out the unstripped file instead
        raise DeckUnavailable() from exc
    return out.getvalue()


def deck_filename_for(entry: Entry, *, blind_viewer: bool) -> str:
    """Neutral under blind judging (for judges), the team's own name otherwise."""
    if blind_viewer:
        return f"entry-{entry.id}.pdf"
    return entry.deck_filename or f"entry-{entry.id}.pdf"


SUBJECT = _l("You are on a contest team: %(contest)s")


class _Subject:
    def __init__(self, contest: str):
        self.contest = contest

    def __str__(self) -> str:
        return str(SUBJECT) % {"contest": self.contest}


@mail.builder("contest.member_invited")
def _build_invite(entry_id: int, member_id: int):
    entry = db.session.get(Entry, entry_id)
    member = db.session.get(EntryMember, member_id)
    if entry is None or member is None:
        return None
    if member.accepted_at is not None:  # accepted meanwhile: nothing to invite to
        return None
    return mail.render(member.email, "contest_member_invited", locale="vi",
                       subject=_Subject(entry.contest.name), entry=entry, member=member,
                       contest=entry.contest,
                       url=external_url("contests.accept_invitation", token=invitation_token(member)))
