"""A pairwise contest for the floor tests: entries, judges, and a judge's walk driven by the service."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from eventhub.contests import floor_judging as fj
from eventhub.contests.models import Conflict, ConflictSource, ConflictStatus
from eventhub.extensions import db as _db
from tests.contests.factories import make_contest, make_entry, make_judges
from tests.factories import HCMC

NOW = datetime(2026, 12, 14, 9, 0, tzinfo=HCMC)
_n = itertools.count(1)


def later(seconds: float = 0, minutes: float = 0) -> datetime:
    return NOW + timedelta(seconds=seconds, minutes=minutes)


def pairwise_world(entries: int = 4, judges: int = 2, event=None, **contest_kw):
    """A pairwise contest without a rubric; entries each of their own organization."""
    contest = make_contest(event, scoring="pairwise", criteria=[], submission_deadline=None, **contest_kw)
    made = [make_entry(contest, organization=f"Công ty TNHH Sáng Tạo Số {next(_n)}") for _ in range(entries)]
    panel = make_judges(contest, judges)
    return contest, made, panel


def confirm_conflict(contest, entry, judge) -> None:
    _db.session.add(Conflict(contest_id=contest.id, entry_id=entry.id, user_id=judge.id,
                             source=ConflictSource.organizer, status=ConflictStatus.confirmed))
    _db.session.commit()


def walk(contest, judge, steps: int, *, start=NOW, winner_first: bool = True) -> list[int]:
    """The entries the judge is sent to over `steps` stops, voting each pair (a minute apart)."""
    sent = []
    for step in range(steps):
        now = start + timedelta(minutes=step)
        stop = fj.next_stop(contest, judge, now=now)
        if stop is None:
            break
        sent.append(stop.entry.id)
        if stop.previous is not None:
            pair = (stop.previous.id, stop.entry.id) if winner_first else (stop.entry.id, stop.previous.id)
            fj.vote(contest, judge, *pair, now=now)
    return sent
