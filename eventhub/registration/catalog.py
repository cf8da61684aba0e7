"""What organizers set up: registration types, their questions, and workshop sessions."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import Conflict, ValidationError
from ..events.models import Event
from ..extensions import db
from ..validation import clean_datetime
from . import notifications
from .models import EventSession, Question, QuestionKind, Registration, RegistrationType, SessionChoice
from .services import expire_holds, promote_waitlist

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def _capacity(value, field: str, errors: dict) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 1_000_000:
        errors[field] = [_("Enter a whole number from 0, or leave empty for no limit.")]
        return None
    return value


def _text(value, field: str, errors: dict, *, required: bool, max_length: int) -> str:
    text = " ".join(str(value or "").split()) if isinstance(value, str | None) else ""
    if not isinstance(value, str | None):
        errors[field] = [_("Enter text.")]
    elif required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > max_length:
        errors[field] = [_("At most %(n)d characters.", n=max_length)]
    return text


def _long_text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _times(merged: dict, event: Event, names: tuple[str, ...], errors: dict, *, required: bool) -> dict:
    """The named datetimes, aware in the event's zone; errors go next to their fields."""
    cleaned = {}
    for name in names:
        try:
            cleaned[name] = clean_datetime(merged[name], event.tz, name, required=required)
        except ValidationError as exc:
            errors.update(exc.fields)
    return cleaned


def _commit_capacity() -> None:
    """Commits; a capacity lowered below seats taken a moment ago (the CHECK refuses it) is a 422."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise ValidationError({"capacity": [_("More seats are taken than this capacity allows.")]}) from exc


# --- registration types ----------------------------------------------------------------------------

def types_of(event: Event) -> list[RegistrationType]:
    return list(db.session.scalars(db.select(RegistrationType).filter_by(event_id=event.id)
                                   .order_by(RegistrationType.position, RegistrationType.id)))


def _clean_type(event: Event, values: dict[str, Any], current: RegistrationType | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    merged = {"code": None, "name": None, "description": "", "capacity": None, "waitlist": False,
              "requires_approval": False, "confirm_email": False, "opens_at": None, "closes_at": None}
    if current:
        merged.update({k: getattr(current, k) for k in merged})
    merged.update({k: v for k, v in values.items() if k in merged})
    code = merged["code"].strip().lower() if isinstance(merged["code"], str) else ""
    if not CODE_RE.match(code):
        errors["code"] = [_("Use lower-case letters, digits, - and _ (e.g. guest).")]
    cleaned = {
        "code": code,
        "name": _text(merged["name"], "name", errors, required=True, max_length=200),
        "description": _long_text(merged["description"]),
        "capacity": _capacity(merged["capacity"], "capacity", errors),
        "waitlist": bool(merged["waitlist"]),
        "requires_approval": bool(merged["requires_approval"]),
        "confirm_email": bool(merged["confirm_email"]),
        **_times(merged, event, ("opens_at", "closes_at"), errors, required=False),
    }
    if cleaned.get("opens_at") and cleaned.get("closes_at") and cleaned["closes_at"] <= cleaned["opens_at"]:
        errors["closes_at"] = [_("Registration cannot close before it opens.")]
    if current and cleaned["capacity"] is not None and cleaned["capacity"] < current.taken:
        errors["capacity"] = [_("%(n)d seats are already taken; the capacity cannot be lower.",
                                n=current.taken)]
    if errors:
        raise ValidationError(errors)
    return cleaned


def create_type(event: Event, *, actor=None, **values: Any) -> RegistrationType:
    cleaned = _clean_type(event, values, None)
    if db.session.scalar(db.select(RegistrationType.id).filter_by(event_id=event.id, code=cleaned["code"])):
        raise Conflict(_("This event already has a type with this code."), code="code_taken")
    position = db.session.scalar(db.select(func.count(RegistrationType.id)).filter_by(event_id=event.id))
    rtype = RegistrationType(event_id=event.id, position=position or 0, **cleaned)
    db.session.add(rtype)
    try:
        db.session.flush()
    except IntegrityError as exc:  # another organizer took the code a moment ago
        db.session.rollback()
        raise Conflict(_("This event already has a type with this code."), code="code_taken") from exc
    record("registration_type.created", rtype, actor=actor, event=event,
           changes={"code": rtype.code, "capacity": rtype.capacity})
    db.session.commit()
    return rtype


def update_type(rtype: RegistrationType, *, actor=None, now: datetime | None = None,
                **values: Any) -> RegistrationType:
    """Edits a type; more capacity (or a waiting list switched off) moves waitlisted people up."""
    event = rtype.event
    expire_holds(rtype_id=rtype.id, now=now)  # before the capacity decision below (own transactions)
    cleaned = _clean_type(event, values, rtype)
    if cleaned["code"] != rtype.code and db.session.scalar(
            db.select(RegistrationType.id).filter_by(event_id=event.id, code=cleaned["code"])):
        raise Conflict(_("This event already has a type with this code."), code="code_taken")
    changes = {k: [getattr(rtype, k), v] for k, v in cleaned.items() if getattr(rtype, k) != v}
    for key, value in cleaned.items():
        setattr(rtype, key, value)
    db.session.flush()
    promotions = promote_waitlist(rtype.id, now=now or utcnow())
    if changes:
        record("registration_type.updated", rtype, actor=actor, event=event, changes=changes)
    for promotion in promotions:
        notifications.promoted(promotion.registration, promotion.dropped_sessions)
    _commit_capacity()
    return rtype


# --- questions -------------------------------------------------------------------------------------

def _clean_question(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    key = values.get("key")
    key = key.strip().lower() if isinstance(key, str) else ""
    if not CODE_RE.match(key):
        errors["key"] = [_("Use lower-case letters, digits, - and _ (e.g. company_size).")]
    kind = values.get("kind")
    if kind not in QuestionKind.__members__:
        errors["kind"] = [_("Choose a kind of question.")]
    options_raw = values.get("options") or []
    if isinstance(options_raw, str):
        options_raw = options_raw.splitlines()
    options = [" ".join(str(o).split()) for o in options_raw if str(o).strip()] \
        if isinstance(options_raw, list) else []
    if kind in ("single_choice", "multiple_choice") and len(options) < 2:
        errors["options"] = [_("Give at least two options, one per line.")]
    if len(set(options)) != len(options):
        errors["options"] = [_("Each option must be different.")]
    cleaned = {
        "key": key,
        "label": _text(values.get("label"), "label", errors, required=True, max_length=300),
        "help_text": _text(values.get("help_text"), "help_text", errors, required=False, max_length=500),
        "kind": QuestionKind(kind) if kind in QuestionKind.__members__ else None,
        "required": bool(values.get("required")),
        "options": options if kind in ("single_choice", "multiple_choice") else [],
    }
    if errors:
        raise ValidationError(errors)
    return cleaned


def add_question(rtype: RegistrationType, *, actor=None, **values: Any) -> Question:
    cleaned = _clean_question(values)
    if any(q.key == cleaned["key"] for q in rtype.questions):
        raise ValidationError({"key": [_("This type already has a question with this key.")]})
    question = Question(position=len(rtype.questions), **cleaned)
    rtype.questions.append(question)  # through the relationship: the type's list stays current
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same key added at the same moment
        db.session.rollback()
        raise ValidationError({"key": [_("This type already has a question with this key.")]}) from exc
    record("question.added", question, actor=actor, event=rtype.event,
           changes={"type": rtype.code, "key": question.key})
    db.session.commit()
    return question


def update_question(question: Question, *, actor=None, **values: Any) -> Question:
    """Edits a question; answers given earlier keep the question as it was then."""
    values = {**values, "key": question.key}  # the key ties old answers to the question
    cleaned = _clean_question(values)
    changes = {k: [getattr(question, k), v] for k, v in cleaned.items() if getattr(question, k) != v}
    for key, value in cleaned.items():
        setattr(question, key, value)
    if changes:
        record("question.updated", question, actor=actor, event=question.registration_type.event,
               changes=changes)
    db.session.commit()
    return question


def set_question_active(question: Question, active: bool, *, actor=None) -> Question:
    question.active = active
    record("question.enabled" if active else "question.disabled", question, actor=actor,
           event=question.registration_type.event)
    db.session.commit()
    return question


# --- sessions ----------------------------------------------------------------------------------------

def sessions_of(event: Event) -> list[EventSession]:
    return list(db.session.scalars(db.select(EventSession).filter_by(event_id=event.id)
                                   .order_by(EventSession.starts_at, EventSession.id)))


def _clean_session(event: Event, values: dict[str, Any], current: EventSession | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    merged = {"title": None, "description": "", "speakers": [], "room": "", "starts_at": None,
              "ends_at": None, "capacity": None}
    if current:
        merged.update({k: getattr(current, k) for k in merged})
    merged.update({k: v for k, v in values.items() if k in merged})
    speakers = merged["speakers"]
    if isinstance(speakers, str):
        speakers = [line for line in speakers.replace(";", "\n").splitlines()]
    if not isinstance(speakers, list) or not all(isinstance(s, str) for s in speakers):
        errors["speakers"] = [_("Give the speakers' names, one per line.")]
        speakers = []
    cleaned = {
        "title": _text(merged["title"], "title", errors, required=True, max_length=300),
        "description": _long_text(merged["description"]),
        "speakers": [" ".join(s.split()) for s in speakers if s.strip()],
        "room": _text(merged["room"], "room", errors, required=False, max_length=200),
        "capacity": _capacity(merged["capacity"], "capacity", errors),
    }
    cleaned.update(_times(merged, event, ("starts_at", "ends_at"), errors, required=True))
    if "starts_at" in cleaned and "ends_at" in cleaned and cleaned["ends_at"] < cleaned["starts_at"]:
        errors["ends_at"] = [_("The session cannot end before it starts.")]
    if current and cleaned["capacity"] is not None and cleaned["capacity"] < current.taken:
        errors["capacity"] = [_("%(n)d seats are already taken; the capacity cannot be lower.",
                                n=current.taken)]
    if errors:
        raise ValidationError(errors)
    return cleaned


def create_session(event: Event, *, actor=None, **values: Any) -> EventSession:
    cleaned = _clean_session(event, values, None)
    session = EventSession(event_id=event.id, **cleaned)
    db.session.add(session)
    db.session.flush()
    record("session.created", session, actor=actor, event=event, changes={"title": session.title})
    db.session.commit()
    return session


def update_session(session: EventSession, *, actor=None, **values: Any) -> EventSession:
    cleaned = _clean_session(session.event, values, session)
    changes = {k: [getattr(session, k), v] for k, v in cleaned.items() if getattr(session, k) != v}
    for key, value in cleaned.items():
        setattr(session, key, value)
    if changes:
        record("session.updated", session, actor=actor, event=session.event, changes=changes)
    _commit_capacity()
    return session


def with_chosen_sessions(reg: Registration) -> Registration:
    """The registration with its chosen sessions loaded, for a page that lists them without a query."""
    return db.session.scalars(
        db.select(Registration).where(Registration.id == reg.id)
        .options(selectinload(Registration.session_choices).joinedload(SessionChoice.session))
        .execution_options(populate_existing=True)).one()
