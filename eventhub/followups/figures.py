"""The report's follow-up figures (hooks.add_report_figures): investment reported, startups with a pilot
or an investment.

Each side's latest answer counts (its 90 days' answer when given, else its 30 days'). A meeting's or an
award's investment counts once, at the largest amount any side reported – both sides reporting the same
round is one round. A startup counts once, by its organization (the meeting's startup profile's, or the
entry's), or by the profile or entry itself when it has none; a series counts it once over the year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..contests.models import Entry
from ..extensions import db
from ..matchmaking.models import Meeting, Profile
from .models import OutcomeFollowUp, Subject

LABELS = {"investment_reported": _l("Investment reported (VND)"),
          "startups_with_pilot_or_investment": _l("Startups with a pilot or investment")}


@dataclass(frozen=True)
class Answer:
    """One answered row, with who the startup is."""

    event_id: int
    subject: tuple[str, int]  # ("meeting", id) or ("award", entry id)
    person: tuple  # the side (meeting) or the team member (award)
    days: int
    pilot: bool
    investment: bool
    amount: int | None
    startup: tuple[str, int]  # ("organization", id), else ("profile", id) / ("entry", id)


def _latest(answers: Iterable[Answer]) -> list[Answer]:
    """Each person's latest answer about each subject."""
    best: dict[tuple, Answer] = {}
    for item in answers:
        key = (item.subject, item.person)
        if key not in best or item.days > best[key].days:
            best[key] = item
    return list(best.values())


def tally(answers: Iterable[Answer]) -> dict[int, dict[str, int]]:
    """{event id: {investment_reported, startups_with_pilot_or_investment}} for the answered rows."""
    latest = _latest(answers)
    invested: dict[tuple, tuple[int, int]] = {}  # subject → (event, largest amount)
    startups: dict[int, set] = {}
    for item in latest:
        if item.investment:
            _event, amount = invested.get(item.subject, (item.event_id, 0))
            invested[item.subject] = (item.event_id, max(amount, item.amount or 0))
        if item.pilot or item.investment:
            startups.setdefault(item.event_id, set()).add(item.startup)
    found: dict[int, dict[str, int]] = {}
    for event_id, amount in invested.values():
        found.setdefault(event_id, dict.fromkeys(LABELS, 0))["investment_reported"] += amount
    for event_id, keys in startups.items():
        found.setdefault(event_id, dict.fromkeys(LABELS, 0))["startups_with_pilot_or_investment"] = len(keys)
    return found


def distinct_startups(answers: Iterable[Answer]) -> int:
    """Startups with a pilot or investment over all the answers' events, each once."""
    return len({item.startup for item in _latest(answers) if item.pilot or item.investment})


def answers_of(event_ids: list[int]) -> list[Answer]:
    """The answered rows of the events, in one query."""
    if not event_ids:
        return []
    rows = db.session.execute(
        db.select(OutcomeFollowUp.event_id, OutcomeFollowUp.subject, OutcomeFollowUp.meeting_id,
                  OutcomeFollowUp.entry_id, OutcomeFollowUp.member_id, OutcomeFollowUp.side,
                  OutcomeFollowUp.days, OutcomeFollowUp.pilot, OutcomeFollowUp.investment,
                  OutcomeFollowUp.amount, Meeting.startup_profile_id, Profile.organization_id,
                  Entry.organization_id)
        .outerjoin(Meeting, Meeting.id == OutcomeFollowUp.meeting_id)
        .outerjoin(Profile, Profile.id == Meeting.startup_profile_id)
        .outerjoin(Entry, Entry.id == OutcomeFollowUp.entry_id)
        .where(OutcomeFollowUp.event_id.in_(event_ids), OutcomeFollowUp.answered_at.is_not(None))).all()
    found = []
    for (event_id, subject, meeting_id, entry_id, member_id, side, days, pilot, investment, amount,
         startup_profile_id, profile_org, entry_org) in rows:
        if Subject(subject) == Subject.meeting:
            key = ("meeting", meeting_id)
            startup = ("organization", profile_org) if profile_org else ("profile", startup_profile_id)
        else:
            key = ("award", entry_id)
            startup = ("organization", entry_org) if entry_org else ("entry", entry_id)
        found.append(Answer(event_id, key, (str(side), member_id), days, bool(pilot), bool(investment),
                            amount, startup))
    return found


def load(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """The hook's loader: each event's two figures."""
    return tally(answers_of(list(event_ids)))


def series_total(event_ids: list[int]) -> dict[str, int]:
    """A series' values: investment summed, startups each counted once over the events."""
    answers = answers_of(list(event_ids))
    invested = sum(values["investment_reported"] for values in tally(answers).values())
    return {"investment_reported": invested, "startups_with_pilot_or_investment": distinct_startups(answers)}
