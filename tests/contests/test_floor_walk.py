"""The event's walk across categories (floor_walk.py, issue 20): a judge of two pairwise contests on one floor
is kept in the category they are in, so each comparison is with the booth they have just seen, rather than
bounced to the other category after every vote."""

from __future__ import annotations

import itertools
from datetime import timedelta

from eventhub.contests import floor_judging as fj
from eventhub.contests import floor_walk, setup
from eventhub.extensions import db as _db
from tests.booths.factories import hall_event
from tests.contests.floor_world import NOW, pairwise_world


def _walk_both(entries: int) -> tuple[list[int], list[int], set[int]]:
    """One judge of two categories walks until done, voting every pair: the category of each stop, how many
    stops back the entry compared with was seen, and the entries visited."""
    first, first_entries, (judge,) = pairwise_world(entries=entries, judges=1)
    second, second_entries, _ = pairwise_world(entries=entries, judges=1, event=first.event)
    setup.add_judges(second, [judge.email])
    order = {e.id: i for i, e in enumerate(first_entries + second_entries)}
    categories, back, seen_at = [], [], {}
    for step in range(4 * entries):
        now = NOW + timedelta(minutes=step)
        stop = floor_walk.walk(first.event, judge, now).stop
        if stop is None:
            break
        categories.append(stop.contest.id)
        if stop.previous is None:
            fj.finish_first(stop.contest, judge, now=now, choose=False)
        else:
            back.append(len(categories) - seen_at[stop.previous.id])
            winner, loser = sorted((stop.previous.id, stop.entry.id), key=order.get)
            fj.vote(stop.contest, judge, winner, loser, now=now)
        seen_at[stop.entry.id] = len(categories)
    return categories, back, set(seen_at)


def test_a_judge_stays_in_a_category_and_compares_with_the_booth_just_seen(db):
    categories, back, seen = _walk_both(entries=5)
    assert len(seen) == 10 and len(categories) == 10  # every booth of both categories, each once
    switches = sum(1 for a, b in itertools.pairwise(categories) if a != b)
    # before: A A B B A B A B … – a switch at almost every vote, each comparison with a booth two stops back
    assert switches == 1, categories
    assert back == [1] * 8  # 5 − 1 comparisons in each category, each with the booth seen just before


def test_where_the_judge_is_stays_the_booth_last_seen_while_sent_to_another_category(db):
    event = hall_event()
    first, (a1, a2), (judge,) = pairwise_world(entries=2, judges=1, event=event)
    second, (b1, b2, b3), _ = pairwise_world(entries=3, judges=1, event=event)
    setup.add_judges(second, [judge.email])
    for entry, code in ((a1, "A1"), (a2, "A2"), (b1, "B1"), (b2, "L1"), (b3, "B2")):
        entry.booth_code = code
    _db.session.commit()
    for contest, start in ((second, NOW), (first, NOW + timedelta(minutes=10))):
        fj.next_stop(contest, judge, now=start)
        stop = fj.next_stop(contest, judge, now=start + timedelta(minutes=1))
        fj.vote(contest, judge, stop.previous.id, stop.entry.id, now=start + timedelta(minutes=2))
    here = stop.spot.code  # the judge has just voted at this booth of the first category
    assert fj.where_is(event, judge).code == here
    sent = fj.next_stop(second, judge, now=NOW + timedelta(minutes=13))  # now sent on in the other one
    assert sent.entry.id == b3.id
    # still where they voted last, not the second category's booth seen ten minutes before
    assert fj.where_is(event, judge).code == here
