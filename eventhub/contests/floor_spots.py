"""Where an entry is shown on the exhibition floor (pairwise judging, issue 20), read through
eventhub.hooks only: contests never import booths (tests/core/test_layering.py).

An entry's booth is its `booth_code` when such a booth exists (any case), else the booth whose exhibitor's
organization is the entry's organization (the same organizations.matching key: case, tones and legal-form
words aside), else none – the entry is still judged, at an unknown distance (the farthest).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from flask_babel import gettext as _

from .. import hooks
from ..audit.services import record
from ..errors import ValidationError
from ..extensions import db
from ..hooks import BoothSpot
from ..organizations.matching import name_key
from .floor_models import PairwiseVisit, VisitOutcome
from .models import Contest, Entry, EntryStatus, Scoring

BOOTH_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")
FAR = math.inf  # the distance to or from a booth nobody knows


class SpotIndex:
    """One event's booths by code and by their occupant's organization (built once per request)."""

    def __init__(self, spots: Iterable[BoothSpot]):
        self.by_code: dict[str, BoothSpot] = {}
        self.by_org: dict[tuple[str, str], BoothSpot] = {}
        for spot in spots:
            self.by_code.setdefault(spot.code.lower(), spot)
            key = name_key(spot.organization or "")
            if key[1]:
                # one organization at two booths: the first in code order (booth_spots' order)
                self.by_org.setdefault(key, spot)

    def spot_of(self, entry: Entry) -> BoothSpot | None:
        if entry.booth_code:
            spot = self.by_code.get(entry.booth_code.strip().lower())
            if spot is not None:
                return spot
        key = name_key(entry.organization or "")
        return self.by_org.get(key) if key[1] else None


def spot_index(event) -> SpotIndex:
    return SpotIndex(hooks.booth_spots(event))


def distance(a: BoothSpot | None, b: BoothSpot | None) -> float:
    """Straight-line distance on the floor plan's grid; unknown when either booth is."""
    if a is None or b is None:
        return FAR
    return math.hypot(a.x - b.x, a.y - b.y)


def entry_spots(contest: Contest) -> dict[int, BoothSpot]:
    """{entry id: booth} for the contest's active entries that have one."""
    index = spot_index(contest.event)
    entries = db.session.scalars(db.select(Entry).where(
        Entry.contest_id == contest.id, Entry.status == EntryStatus.submitted).order_by(Entry.id))
    return {e.id: spot for e in entries if (spot := index.spot_of(e)) is not None}


def where_is(event, user, index: SpotIndex | None = None) -> BoothSpot | None:
    """The booth the judge was last at in any pairwise contest of the event (categories share one walk):
    the entry of their latest visit that was not a skip. Not the latest walk's previous entry: being sent
    on in another category touches that walk, while the judge still stands where they voted."""
    entry = db.session.scalar(
        db.select(Entry).join(PairwiseVisit, PairwiseVisit.entry_id == Entry.id)
        .join(Contest, Contest.id == PairwiseVisit.contest_id)
        .where(Contest.event_id == event.id, Contest.scoring == Scoring.pairwise,
               PairwiseVisit.user_id == user.id, PairwiseVisit.outcome == VisitOutcome.seen)
        .order_by(PairwiseVisit.created_at.desc(), PairwiseVisit.id.desc()).limit(1))
    if entry is None:
        return None
    return (index or spot_index(event)).spot_of(entry)


def clean_booth_code(raw, field: str = "booth") -> str | None:
    """A booth code as organizers type it ("AI05"); "" or None clears it. The code need not exist yet:
    the floor plan may be drawn after the entries are placed."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str) or not BOOTH_CODE.match(raw.strip()):
        raise ValidationError({field: [_("Use up to 20 letters, digits, dots, hyphens or underscores.")]})
    return raw.strip().upper()


def set_booth_code(entry: Entry, raw, *, actor=None) -> Entry:
    """The organizer places the entry at a booth (any time: booths are often given out on the day)."""
    code = clean_booth_code(raw)
    if code != entry.booth_code:
        entry.booth_code = code
        record("entry.booth", entry, actor=actor, event=entry.contest.event, changes={"booth": code})
    db.session.commit()
    return entry
