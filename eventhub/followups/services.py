"""Answering a follow-up (the e-mailed link, the API) and reading an event's follow-ups for its organizers."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..contests.models import EntryMember
from ..dbtypes import utcnow
from ..errors import NotFound, ValidationError
from ..events.models import Event
from ..extensions import db
from ..matchmaking.models import Meeting, Profile
from .models import MAX_AMOUNT, OutcomeFollowUp
from .tokens import read_token

# The buttons of the page: "nothing yet" clears the others; the others add themselves to what was said.
ANSWERS = ("nothing", "follow_up_meeting", "pilot", "investment")
_SEPARATORS = re.compile(r"[\s.,_]")


def by_token(token: str) -> OutcomeFollowUp:
    """The follow-up a link names; NotFound for a token that is not one of ours (tampered or made up)."""
    followup_id = read_token(token)
    followup = db.session.get(OutcomeFollowUp, followup_id) if followup_id is not None else None
    if followup is None:
        raise NotFound(_("This link is not valid."), code="followup_not_found")
    return followup


def clean_amount(value) -> int | None:
    """An amount in VND (digits, with dots, commas or spaces between thousands), 0 – 10^13; None when blank.
    ValidationError on the field `amount` otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | float):
        value = None
    text = _SEPARATORS.sub("", value) if isinstance(value, str) else value
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= 14:
        text = int(text)
    if type(text) is not int or not 0 <= text <= MAX_AMOUNT:
        raise ValidationError({"amount": [
            _("Enter an amount in VND between 0 and 10,000 billion, digits only.")]})
    return text


def answer(followup: OutcomeFollowUp, choice: str, *, amount=None, remove: bool = False,
           now: datetime | None = None) -> OutcomeFollowUp:
    """Records one click: `nothing` clears every answer; another answer is added (or, with `remove`, taken
    back); an investment may carry an amount. Updates the row – a link used again never adds one. Commits."""
    if choice not in ANSWERS:
        raise ValidationError({"answer": [_("Choose one of the answers.")]})
    cleaned = clean_amount(amount) if choice == "investment" and not remove else None
    if choice == "nothing":
        followup.follow_up_meeting = followup.pilot = followup.investment = False
        followup.amount = None
    else:
        setattr(followup, choice, not remove)
        if choice == "investment":
            followup.amount = None if remove else (cleaned if cleaned is not None else followup.amount)
    followup.answered_at = now or utcnow()
    db.session.commit()
    return followup


def asks_still(followup: OutcomeFollowUp) -> bool:
    """Whether the question still stands: a meeting cancelled or no longer held is not asked about."""
    if followup.meeting_id is None:
        return followup.entry is not None and followup.entry.award_level is not None
    meeting = followup.meeting
    return meeting is not None and bool(meeting.held)


def event_followups(event: Event) -> list[OutcomeFollowUp]:
    """An event's follow-ups, the subject's sides and the people asked loaded (the page names each person:
    a bounded number of queries, whatever the number of rows), by subject then days."""
    meeting = selectinload(OutcomeFollowUp.meeting)
    query = (db.select(OutcomeFollowUp).where(OutcomeFollowUp.event_id == event.id)
             .options(meeting.selectinload(Meeting.investor).selectinload(Profile.user),
                      meeting.selectinload(Meeting.startup).selectinload(Profile.user),
                      selectinload(OutcomeFollowUp.entry),
                      selectinload(OutcomeFollowUp.member).selectinload(EntryMember.user))
             .order_by(OutcomeFollowUp.subject, OutcomeFollowUp.meeting_id, OutcomeFollowUp.entry_id,
                       OutcomeFollowUp.days, OutcomeFollowUp.side, OutcomeFollowUp.id))
    return list(db.session.scalars(query))
