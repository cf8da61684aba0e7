"""Schemas and plain-dict views of contests for /api/v1 (api.md "Contests and judging")."""

from __future__ import annotations

from marshmallow import fields

from ..contests.entries import deck_filename_for
from ..contests.models import Conflict, Contest, Entry
from .schemas import RequestSchema


def iso(value, contest: Contest):
    return value.astimezone(contest.event.tz).isoformat() if value else None


class ContestCreateSchema(RequestSchema):
    code = fields.Raw(required=True, metadata={"example": "startup-pitch"})
    name = fields.Raw(required=True)
    description = fields.Raw()
    rules = fields.Raw()
    criteria = fields.Raw(required=True, metadata={
        "description": "[{key, name, weight, max_score}]", "example": [
            {"key": "team", "name": "Đội ngũ", "weight": 2, "max_score": 10}]})
    judges_per_entry = fields.Raw(required=True, metadata={"example": 3})
    blind = fields.Raw(load_default=False)
    scoring = fields.Raw(load_default="zscore", metadata={"description": "`zscore` or `raw`"})
    submission_deadline = fields.Raw(load_default=None, metadata={"description": "ISO 8601"})
    judging_deadline = fields.Raw()
    peoples_choice = fields.Raw()
    vote_closes_at = fields.Raw()


class _Partial:
    """Every field optional (a PATCH). marshmallow has no `Meta.partial`: it is a load option."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class ContestPatchSchema(_Partial, ContestCreateSchema):
    pass


class JudgesSchema(RequestSchema):
    emails = fields.Raw(required=True, metadata={"example": ["giamkhao@giamkhao.vn"]})


class EntryCreateSchema(RequestSchema):
    title = fields.Raw(required=True)
    summary = fields.Raw(load_default="")
    organization = fields.Raw(load_default="")
    team = fields.Raw(load_default=list, metadata={"description": "[{full_name, email}]"})
    links = fields.Raw(load_default=list)


class EntryPatchSchema(_Partial, EntryCreateSchema):
    pass


class ConflictCreateSchema(RequestSchema):
    entry_id = fields.Raw(required=True)
    judge_email = fields.Raw(load_default=None)
    reason = fields.Raw(load_default="")
    locked = fields.Raw(load_default=True)


class ConflictDecideSchema(RequestSchema):
    status = fields.Raw(required=True, metadata={"description": "`confirmed` or `dismissed`"})
    locked = fields.Raw(load_default=None)


class ScoresSchema(RequestSchema):
    scores = fields.Raw(required=True, metadata={"example": {"team": 8, "market": 7.5}})
    comment = fields.Raw(load_default=None)
    draft = fields.Raw(load_default=False, metadata={"description": "true: save without submitting"})


class AwardSchema(RequestSchema):
    award_level = fields.Raw(required=True, metadata={
        "description": "`first`, `second`, `third`, `consolation` or null"})


class PromoteSchema(RequestSchema):
    top_n = fields.Raw(load_default=None)
    entry_ids = fields.Raw(load_default=None)
    judge_emails = fields.Raw(load_default=None)
    criteria = fields.Raw(load_default=None)
    judges_per_entry = fields.Raw(load_default=None)


class AssignmentEditSchema(RequestSchema):
    entry_id = fields.Raw(required=True)
    judge_email = fields.Raw(required=True)


class VoteSchema(RequestSchema):
    entry_id = fields.Raw(required=True)


class AnySchema(RequestSchema):
    pass


def contest_view(contest: Contest) -> dict:
    first = contest.first_round
    return {
        "id": contest.id, "event": contest.event.slug, "code": contest.code, "name": contest.name,
        "description": contest.description, "rules": contest.rules,
        "criteria": [{"key": c.key, "name": c.name, "weight": c.weight, "max_score": c.max_score}
                     for c in first.criteria],
        "criteria_version": first.criteria_version,
        "judges_per_entry": contest.judges_per_entry, "blind": contest.blind,
        "scoring": str(contest.scoring),
        "submission_deadline": iso(contest.submission_deadline, contest),
        "judging_deadline": iso(contest.judging_deadline, contest),
        "peoples_choice": contest.peoples_choice, "vote_closes_at": iso(contest.vote_closes_at, contest),
        "published": contest.published_at is not None, "published_at": iso(contest.published_at, contest),
        "current_round": contest.current_round,
        "rounds": [{"number": r.number, "name": r.name, "judges_per_entry": r.judges_per_entry,
                    "deadline": iso(r.deadline, contest),
                    "criteria": [{"key": c.key, "name": c.name, "weight": c.weight, "max_score": c.max_score}
                                 for c in r.criteria]} for r in contest.rounds],
    }


def entry_view(entry: Entry, *, blind: bool, deck_url: str | None = None) -> dict:
    """Blind: no team, no organization, no file name of the team's."""
    view = {"id": entry.id, "contest_id": entry.contest_id, "title": entry.title, "summary": entry.summary,
            "links": list(entry.links or []), "status": str(entry.status),
            "has_deck": entry.deck_key is not None, "deck_url": deck_url if entry.deck_key else None,
            "deck_filename": deck_filename_for(entry, blind_viewer=blind) if entry.deck_key else None}
    if not blind:
        view["organization"] = entry.organization
        view["team"] = [{"full_name": m.full_name, "email": m.email} for m in entry.members]
        view["award_level"] = str(entry.award_level) if entry.award_level else None
    return view


def conflict_view(conflict: Conflict) -> dict:
    return {"id": conflict.id, "entry_id": conflict.entry_id, "judge_email": conflict.user.email,
            "source": str(conflict.source), "status": str(conflict.status), "locked": conflict.locked,
            "reason": conflict.reason,
            # pending (detected, undecided) conflicts are shown but do not keep the judge away
            "blocking": conflict.blocks}
