"""What check-in shows on other pages: the desk, the live numbers and today's doors for the gate team,
and each session's door figures on the organizers' sessions page."""

from __future__ import annotations

from .. import permissions
from ..dbtypes import utcnow
from . import doors
from .services import event_day


def event_gate(event, user) -> dict | None:
    """The gate team's links; nothing for anyone else."""
    if not permissions.can_check_in(user, event):
        return None
    return {"event": event, "doors": doors.sessions_on(event, event_day(event, utcnow()))}


def sessions_admin(event, sessions, user) -> dict | None:
    """{session id: people scanned in, walk-ins, and the links to the door and to who came}; one query."""
    if not permissions.can_check_in(user, event):
        return None
    counts = doors.counts_by_session([s.id for s in sessions])
    return {s.id: {"event": event, "session": s, "inside": counts.get(s.id, (0, 0))[0],
                   "walk_ins": counts.get(s.id, (0, 0))[1]} for s in sessions}
