"""What check-in shows on the event page: the desk and the live numbers, for the gate team."""

from __future__ import annotations

from .. import permissions


def event_gate(event, user) -> dict | None:
    """The gate team's links; nothing for anyone else."""
    return {"event": event} if permissions.can_check_in(user, event) else None
