"""Booth objects for the permission matrix's world (tests/security): a floor plan for the world's event,
and an approved exhibitor with a logo, placed on a booth, owned by the world's participant.

For tests/support/world.py: `WORLD_HOOKS.append(add_booths)`; for its EXPECT: `EXPECTATIONS` below.
"""

from __future__ import annotations

import io

from PIL import Image

from eventhub.booths import allocation, services
from eventhub.booths.models import Booth
from eventhub.extensions import db
from tests.booths.factories import PLAN


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#2e7d32").save(out, "PNG")
    return out.getvalue()


def add_booths(world) -> None:
    event = world.event
    services.replace_floorplan(event, PLAN)
    exhibitor = services.apply(event, world.users["participant"], organization="Công ty CP Lúa Vàng Farm",
                               sector="agritech", size="standard", logo=_png(), notify=False)
    services.review(exhibitor, "approve", notify=False)
    booth = db.session.scalar(db.select(Booth).filter_by(event_id=event.id, code="B1"))
    allocation.place(event, booth, exhibitor, locked=True)
    world.extra["booth"] = booth
    world.extra["exhibitor"] = exhibitor


def expectations(access, *, public, manage, api_public, api_manage, roles_with_participant_accounts):
    """EXPECT entries for the booth routes, built from the matrix's own Access kinds."""
    startups = frozenset(roles_with_participant_accounts)
    return {
        "booths.floor_map": public,
        "booths.directory": public,
        "booths.exhibitor": public,
        "booths.logo": public,
        "booths.exhibitor_list_pdf": public,
        "booths.booth_sign": public,
        "booths.my_application": access(startups),
        # Only the startup that applied has something to withdraw; other accounts get 404.
        "booths.withdraw": access(frozenset({"participant"}), others=404),
        "booths_admin.edit_floorplan": manage,
        "booths_admin.floorplan_csv": manage,
        "booths_admin.clear_assignment": manage,
        "booths_admin.applications": manage,
        "booths_admin.application": manage,
        "booths_admin.allocation_page": manage,
        "booths_admin.run": manage,
        "booths_admin.place": manage,
        "booths_admin.swap": manage,
        "booths_admin.confirm": manage,
        "api_booths.get_floorplan": api_public,
        "api_booths.list_booths": api_public,
        "api_booths.list_exhibitors": api_public,
        "api_booths.put_floorplan": api_manage,
        "api_booths.assign": api_manage,
        "api_booths.place": api_manage,
        "api_booths.review": api_manage,
        "api_booths.apply": access(startups, anonymous=401),
    }
