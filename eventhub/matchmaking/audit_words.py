"""How the audit log reads matchmaking's entries: profiles, requests, meetings (issue 16).

A meeting is named by its two sides' organizations, a request by who asked whom, a profile by its
organization – all loaded for the page in one query each."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from ..audit.words import EMPTY, Words, day, ids_of, labelled, load_names, load_rows, when
from ..extensions import db
from .labels import FOLLOW_UPS, KINDS
from .models import Meeting, MeetingRequest, Profile


def _load(entries, context) -> None:
    profiles = ids_of(entries, object_type="match_profile") | ids_of(entries, key="to_profile_id")
    load_names(context, "profile", Profile.organization, profiles)
    investor, startup = aliased(Profile), aliased(Profile)
    meetings = ids_of(entries, object_type="meeting")
    if meetings:
        load_rows(context, "meeting", db.select(Meeting.id, investor.organization, startup.organization)
                  .join(investor, investor.id == Meeting.investor_profile_id)
                  .join(startup, startup.id == Meeting.startup_profile_id)
                  .where(Meeting.id.in_(meetings)), lambda row: (row[1], row[2]))
    requests = ids_of(entries, object_type="meeting_request")
    sender, recipient = aliased(Profile), aliased(Profile)
    if requests:
        load_rows(context, "meeting_request",
                  db.select(MeetingRequest.id, sender.organization, recipient.organization)
                  .join(sender, sender.id == MeetingRequest.from_profile_id)
                  .join(recipient, recipient.id == MeetingRequest.to_profile_id)
                  .where(MeetingRequest.id.in_(requests)), lambda row: (row[1], row[2]))


def _pair(entry, context) -> tuple[str, str] | None:
    found = context.names.get((entry.object_type, int(entry.object_id or 0)))
    return found if isinstance(found, tuple) else None


def _name(entry, context) -> str:
    if entry.object_type == "match_profile":
        return context.name("profile", entry.object_id)
    pair = _pair(entry, context)
    return " – ".join(pair) if pair else _("a meeting no longer here")


def _outcome(entry, context) -> dict:
    changes = entry.changes or {}
    pair = _pair(entry, context)
    if pair is None:
        other = _("a participant no longer here")
    else:
        other = pair[1] if changes.get("side") == "investor" else pair[0]
    stage = changes.get("stage")
    label = str(FOLLOW_UPS.get(stage, stage)).lower()
    return {"other": other,
            "held": _("held") if changes.get("held") else _("not held"),
            "stage": _(" (stage: %(stage)s)", stage=label) if stage else ""}


def _request(entry, context) -> dict:
    pair = _pair(entry, context)
    return {"sender": pair[0] if pair else EMPTY, "recipient": pair[1] if pair else EMPTY}


def _recipient(entry, context) -> dict:
    return {"recipient": context.name("profile", (entry.changes or {}).get("to_profile_id"))}


def _place(value, context) -> str:
    if isinstance(value, list) and len(value) == 2:
        return _("%(when)s, table %(table)s", when=when(value[0], context), table=value[1])
    return when(value, context)


words = Words(_l("Matchmaking"), name=_name, load=_load)
say = words.say
say("matchmaking.slots_set", _l("%(actor)s set the meeting slots"))
say("matchmaking.outcome", _l("%(actor)s marked the meeting with %(other)s as %(held)s%(stage)s"),
    params=_outcome, hide=("side", "held", "stage"))
say("matchmaking.profile_created", _l("%(actor)s created the matchmaking profile of %(object)s"))
say("matchmaking.profile_saved", _l("%(actor)s updated the matchmaking profile of %(object)s"))
say("matchmaking.request_sent", _l("%(actor)s asked %(recipient)s for a meeting"), params=_recipient,
    hide=("to_profile_id",))
say("matchmaking.request_accepted", _l("%(actor)s accepted the meeting request of %(sender)s"),
    params=_request)
say("matchmaking.request_declined", _l("%(actor)s declined the meeting request of %(sender)s"),
    params=_request)
say("matchmaking.scheduled", _l("%(actor)s scheduled the meetings"))
say("matchmaking.meeting_moved", _l("%(actor)s moved the meeting %(object)s"))
say("matchmaking.meeting_cancelled", _l("%(actor)s cancelled the meeting %(object)s"))
say("matchmaking.meeting_locked", _l("%(actor)s locked the meeting %(object)s in its place"))
say("matchmaking.meeting_unlocked", _l("%(actor)s unlocked the meeting %(object)s"))

field = words.field
field("slots", _l("Slots"))
field("tables", _l("Tables"))
field("removed", _l("Slots removed"))
field("day", _l("Day"), day)
field("kind", _l("Taking part as"), labelled(KINDS))
field("contactable", _l("Open to meeting requests"))
field("added", _l("Meetings added"))
field("unscheduled", _l("Requests left without a slot"))
field("idle", _l("Participants without a meeting"))
field("from", _l("From"), _place)
field("to", _l("To"), _place)


def plug_in(hooks) -> None:
    hooks.add_audit_words("matchmaking.", words)
