"""The scheduler (pure): hard rules always, as many meetings as possible, compact days."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from eventhub.matchmaking import scheduler as S


def day_slots(n, tables, day="d1", first_id=1):
    return [S.Slot(first_id + i, day, i, tables) for i in range(n)]


def test_nobody_is_double_booked_and_tables_are_numbered_from_one():
    slots = day_slots(3, 2)
    requests = [S.Request(1, ("i1", "s1")), S.Request(2, ("i1", "s2")), S.Request(3, ("i2", "s1")),
                S.Request(4, ("i2", "s2"))]
    result = S.schedule(slots, requests, time_limit=2)
    assert sorted(result.placed) == [1, 2, 3, 4] and result.unscheduled == []
    assert S.check(slots, [], requests, result.placed) == []
    assert {table for _slot, table in result.placed.values()} <= {1, 2}


def test_what_cannot_fit_is_unscheduled():
    slots = day_slots(2, 5)
    requests = [S.Request(i, ("i1", f"s{i}")) for i in range(1, 4)]  # one investor, two slots
    result = S.schedule(slots, requests, time_limit=2)
    assert len(result.placed) == 2 and len(result.unscheduled) == 1
    assert S.check(slots, [], requests, result.placed) == []


def test_fixed_meetings_stay_and_block_their_table_and_people():
    slots = day_slots(2, 1)
    fixed = [S.Fixed(1, 1, ("i1", "s1"))]
    requests = [S.Request(7, ("i1", "s2")), S.Request(8, ("i2", "s3"))]
    result = S.schedule(slots, requests, fixed, time_limit=2)
    assert list(result.placed.values()) == [(2, 1)] and len(result.unscheduled) == 1
    assert S.check(slots, fixed, requests, result.placed) == []


def test_the_same_account_counts_as_one_person():
    slots = day_slots(1, 5)
    # two profiles (p1, p2) of one account (u1) cannot meet at the same time
    requests = [S.Request(1, ("p1", "u1", "s1")), S.Request(2, ("p2", "u1", "s2"))]
    result = S.schedule(slots, requests, time_limit=2)
    assert len(result.placed) == 1


def test_it_places_more_than_the_greedy_when_order_matters():
    # Greedy puts request 1 (i1–s1) in slot 1 and then cannot place both of s1's other meetings.
    slots = day_slots(2, 2)
    requests = [S.Request(1, ("i1", "s1")), S.Request(2, ("i1", "s2")), S.Request(3, ("i2", "s1")),
                S.Request(4, ("i3", "s2"))]
    greedy = S.greedy(slots, requests)
    best = S.schedule(slots, requests, time_limit=2)
    assert len(best.placed) == 4
    assert len(best.placed) >= len(greedy.placed)


def test_days_are_more_compact_than_greedy():
    rng = random.Random(3)
    slots = day_slots(12, 4)
    pairs = set()
    while len(pairs) < 24:
        pairs.add((f"i{len(pairs) % 4}", f"s{rng.randrange(14)}"))
    requests = [S.Request(i + 1, p) for i, p in enumerate(sorted(pairs))]
    greedy = S.greedy(slots, requests)
    best = S.schedule(slots, requests, time_limit=3)
    assert len(best.placed) == len(greedy.placed) == 24
    assert S.check(slots, [], requests, best.placed) == []
    assert best.idle < greedy.idle


def test_idle_counts_holes_within_each_day_only():
    slots = day_slots(3, 1, "d1") + day_slots(3, 1, "d2", first_id=10)
    requests = [S.Request(1, ("a", "b")), S.Request(2, ("a", "c")), S.Request(3, ("a", "d"))]
    placed = {1: (1, 1), 2: (3, 1), 3: (10, 1)}
    assert S.idle_and_gaps(slots, [], requests, placed) == (1, 1)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 6)), min_size=1, max_size=18, unique=True),
       st.integers(1, 4), st.integers(1, 3))
def test_any_input_gives_a_schedule_that_keeps_the_rules(pairs, n_slots, tables):
    slots = day_slots(n_slots, tables)
    requests = [S.Request(i + 1, (f"i{a}", f"s{b}")) for i, (a, b) in enumerate(pairs)]
    result = S.schedule(slots, requests, time_limit=0.5, workers=1)
    assert S.check(slots, [], requests, result.placed) == []
    assert sorted([*result.placed, *result.unscheduled]) == [r.id for r in requests]
    assert len(result.placed) >= len(S.greedy(slots, requests).placed)


def test_the_local_search_keeps_every_meeting_and_never_makes_days_worse():
    from eventhub.matchmaking import polish

    rng = random.Random(11)
    slots = day_slots(10, 3)
    pairs = set()
    while len(pairs) < 20:
        pairs.add((f"i{rng.randrange(4)}", f"s{rng.randrange(12)}"))
    requests = [S.Request(i + 1, p) for i, p in enumerate(sorted(pairs))]
    start = S.greedy(slots, requests)
    chosen = {r: s for r, (s, _t) in start.placed.items()}
    better = polish.improve(*polish.as_inputs(slots, [], requests), chosen, seconds=0.5)
    placed = S.number_tables(slots, [], better)
    assert sorted(better) == sorted(chosen)
    assert S.check(slots, [], requests, placed) == []
    assert S.idle_and_gaps(slots, [], requests, placed)[0] <= start.idle
