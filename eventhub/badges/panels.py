"""What badges shows on other features' pages: "Print badge" on the organizers' registration page."""

from __future__ import annotations

from .. import permissions
from ..registration.models import RegistrationStatus
from . import services


def registration_admin(reg, user) -> dict | None:
    """The print button, for those who may print badges (organizers, gate staff), when there is a ticket."""
    if not permissions.can_check_in(user, reg.event):
        return None
    if reg.status != RegistrationStatus.confirmed or not reg.ticket_code:
        return None
    return {"event": reg.event, "reg": reg, "earlier": services.previous_prints(reg)}
