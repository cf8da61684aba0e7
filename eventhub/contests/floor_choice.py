"""Where a judge on the floor goes next (pairwise judging, issue 20): the first entry, the next one to
compare with the entry seen before, and – for the event's walk across categories – what going there
would teach. Reads only; floor_judging.py writes the choice under the contest's lock."""

from __future__ import annotations

from ..dbtypes import utcnow
from ..hooks import BoothSpot
from . import pairwise
from .floor_models import PairwiseWalk
from .floor_spots import SpotIndex, distance, where_is
from .floor_state import Floor, find_walk, load_floor
from .models import Contest, Entry


def choose_first(floor: Floor, here: BoothSpot | None) -> Entry | None:
    """No comparison yet: the least-voted entry the judge has not visited, nearest first, not busy."""
    allowed = floor.allowed
    pool = [e for e in allowed if e.id not in floor.visited] or allowed
    pool = [e for e in pool if e.id not in floor.busy] or pool
    if not pool:
        return None
    return min(pool, key=lambda e: (floor.vote_counts.get(e.id, 0), distance(here, floor.index.spot_of(e)),
                                    e.id))


def choose_after(floor: Floor, previous_id: int, here: BoothSpot | None) -> Entry | None:
    """The comparison with the previous entry that teaches the model most, the nearer booth when nearly
    equal (pairwise.choose_next: never a conflict, a seen entry only once all are seen, busy ones last)."""
    chosen = pairwise.choose_next(
        floor.judge_state(), floor.belief(previous_id), [floor.belief(i) for i in floor.entries],
        distance=lambda b: distance(here, floor.index.spot_of(floor.entries[b.id])), busy=floor.busy)
    return floor.entries[chosen.id] if chosen is not None else None


def choose(floor: Floor, walk: PairwiseWalk, user) -> Entry | None:
    if walk.previous_entry_id is None:
        return choose_first(floor, where_is(floor.contest.event, user, floor.index))
    previous = floor.entries[walk.previous_entry_id]
    return choose_after(floor, previous.id, floor.index.spot_of(previous))


def candidates_gain(contest: Contest, user, here: BoothSpot | None,
                    index: SpotIndex | None = None) -> tuple[Entry, float] | None:
    """The best next entry for this judge in this contest and the expected information of going there
    (no write). Not started yet: the first entry's comparison with an entry the model knows nothing of,
    so that a category not begun weighs what it would teach."""
    floor = load_floor(contest, user, utcnow(), index)
    walk = find_walk(contest, user)
    previous = walk.previous_entry_id if walk is not None else None
    judge = floor.judge_state().judge
    if previous is None or previous not in {e.id for e in floor.allowed}:
        chosen = choose_first(floor, here)
        base = pairwise.Entry(0)
    else:
        chosen = choose_after(floor, previous, here)
        base = floor.belief(previous)
    if chosen is None:
        return None
    return chosen, pairwise.expected_information_gain(judge, base, floor.belief(chosen.id),
                                                      judge_weight=pairwise.JUDGE_WEIGHT)
