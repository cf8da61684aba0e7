"""What certificates shows on the registrant's page, its data loaded here so the template runs no query."""

from __future__ import annotations

from . import services


def registration_page(reg, token) -> dict | None:
    """The registrant's certificates, to download; nothing when there is none."""
    certificates = services.for_registration(reg.id) if reg.id else []
    return {"certificates": certificates, "token": token} if certificates else None
