"""Schemas and plain-dict views of contests for /api/v1 (api.md "Contests and judging")."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import fields

from ..contests.entries import deck_filename_for
from ..contests.models import (
    AwardLevel,
    Conflict,
    ConflictSource,
    ConflictStatus,
    Contest,
    Entry,
    EntryStatus,
    ScoreStatus,
    Scoring,
)
from .schemas import AsSent, PageSchema, RequestSchema


def iso(value, contest: Contest):
    return value.astimezone(contest.event.tz).isoformat() if value else None


SCORINGS = [s.value for s in Scoring]
AWARD_LEVELS = [a.value for a in AwardLevel]
ENTRY_STATUSES = [s.value for s in EntryStatus]
SHEET_STATES = ["todo", "rescore", *[s.value for s in ScoreStatus]]
TIME = {"format": "date-time", "description": "ISO 8601 with the offset of the event's time zone."}
TIME_IN = {"format": "date-time", "description": "ISO 8601; a time without an offset is in the event's zone."}
NUMBER = fields.Float()  # JSON numbers, ints or floats, as the client sent or the service computed them


# --- bodies: the services check every value (their 422s name the fields), so fields are read as sent.

class CriterionInSchema(ma.Schema):
    key = fields.String(required=True, metadata={"example": "team", "pattern": "^[A-Za-z0-9_-]{1,40}$"})
    name = fields.String(required=True, metadata={"example": "Đội ngũ"})
    description = fields.String()
    weight = fields.Float(required=True, metadata={"description": "Above 0.", "example": 2})
    max_score = fields.Float(required=True, metadata={"description": "Above 0.", "example": 10})


class TeamMemberSchema(ma.Schema):
    full_name = fields.String(required=True)
    email = fields.String(required=True)


CRITERIA = fields.List(fields.Nested(CriterionInSchema))


class ContestCreateSchema(RequestSchema):
    code = AsSent(fields.String(metadata={"pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"}), required=True,
                  metadata={"example": "startup-pitch"})
    name = AsSent(fields.String(), required=True)
    description = AsSent(fields.String())
    rules = AsSent(fields.String())
    criteria = AsSent(CRITERIA, metadata={
        "description": "Required, at least one, unless `scoring` is `pairwise` (judged on the floor)."})
    judges_per_entry = AsSent(fields.Integer(metadata={"minimum": 1, "maximum": 50}), required=True,
                              metadata={"example": 3})
    blind = AsSent(fields.Boolean(), load_default=False)
    scoring = AsSent(fields.String(metadata={"enum": SCORINGS}), load_default="zscore")
    submission_deadline = AsSent(fields.String(metadata=TIME_IN), load_default=None)
    judging_deadline = AsSent(fields.String(metadata=TIME_IN))
    peoples_choice = AsSent(fields.Boolean())
    vote_closes_at = AsSent(fields.String(metadata=TIME_IN))


class _Partial:
    """Every field optional (a PATCH). marshmallow has no `Meta.partial`: it is a load option."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class ContestPatchSchema(_Partial, ContestCreateSchema):
    pass


class JudgesSchema(RequestSchema):
    emails = AsSent(fields.List(fields.String()), required=True,
                    metadata={"example": ["giamkhao@giamkhao.vn"]})


class EntryCreateSchema(RequestSchema):
    title = AsSent(fields.String(), required=True)
    summary = AsSent(fields.String(), load_default="")
    organization = AsSent(fields.String(), load_default="")
    team = AsSent(fields.List(fields.Nested(TeamMemberSchema)), load_default=list)
    links = AsSent(fields.List(fields.String(metadata={"description": "https://…"})), load_default=list)


class EntryPatchSchema(_Partial, EntryCreateSchema):
    booth = AsSent(fields.String(), metadata={
        "description": "Organizers only: the booth code where the entry is shown (\"\" clears it)."})


class DeckUploadSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # other parts of the form are ignored

    file = Upload(required=True, metadata={"description": "The PDF pitch deck, at most 20 MB."})


class ConflictCreateSchema(RequestSchema):
    entry_id = AsSent(fields.Integer(), required=True)
    judge_email = AsSent(fields.String(metadata={
        "description": "An organizer names the judge; a judge leaves it out (or names themself)."}),
        load_default=None)
    reason = AsSent(fields.String(), load_default="")
    locked = AsSent(fields.Boolean(), load_default=True)


class ConflictDecideSchema(RequestSchema):
    status = AsSent(fields.String(metadata={"enum": ["confirmed", "dismissed"]}), required=True)
    locked = AsSent(fields.Boolean(), load_default=None)


class ScoresSchema(RequestSchema):
    scores = AsSent(fields.Dict(keys=fields.String(), values=NUMBER), required=True,
                    metadata={"description": "{criterion key: 0 … max_score}",
                              "example": {"team": 8, "market": 7.5}})
    comment = AsSent(fields.String(), load_default=None)
    draft = AsSent(fields.Boolean(), load_default=False,
                   metadata={"description": "true: save without submitting"})


class AwardSchema(RequestSchema):
    award_level = AsSent(fields.String(metadata={"enum": [*AWARD_LEVELS, ""]}), required=True,
                         metadata={"description": "`\"\"` clears it."})


class PromoteSchema(RequestSchema):
    top_n = AsSent(fields.Integer(metadata={"minimum": 1}), load_default=None)
    entry_ids = AsSent(fields.List(fields.Integer()), load_default=None)
    judge_emails = AsSent(fields.List(fields.String()), load_default=None)
    criteria = AsSent(CRITERIA, load_default=None)
    judges_per_entry = AsSent(fields.Integer(metadata={"minimum": 1, "maximum": 50}), load_default=None)
    after_round = AsSent(fields.Integer(metadata={
        "minimum": 1, "description": "The round the next one follows; 409 round_changed when another "
                                     "round was opened meanwhile."}), load_default=None)


class AssignmentEditSchema(RequestSchema):
    entry_id = AsSent(fields.Integer(), required=True)
    judge_email = AsSent(fields.String(), required=True)


# --- answers: exactly the keys the views below build, values as they build them.

class CriterionSchema(ma.Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    weight = AsSent(NUMBER, required=True)
    max_score = AsSent(NUMBER, required=True)


class RoundSchema(ma.Schema):
    number = fields.Integer(required=True)
    name = fields.String(required=True)
    judges_per_entry = fields.Integer(required=True)
    deadline = fields.String(required=True, allow_none=True, metadata=TIME)
    criteria = fields.List(fields.Nested(CriterionSchema), required=True)


class ContestSchema(ma.Schema):
    id = fields.Integer(required=True)
    event = fields.String(required=True, metadata={"description": "The event's slug."})
    code = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    rules = fields.String(required=True)
    criteria = fields.List(fields.Nested(CriterionSchema), required=True,
                           metadata={"description": "The first round's rubric in force."})
    criteria_version = fields.Integer(required=True)
    judges_per_entry = fields.Integer(required=True)
    blind = fields.Boolean(required=True)
    scoring = fields.String(required=True, metadata={"enum": SCORINGS})
    submission_deadline = fields.String(required=True, allow_none=True, metadata=TIME)
    judging_deadline = fields.String(required=True, allow_none=True, metadata=TIME)
    peoples_choice = fields.Boolean(required=True)
    vote_closes_at = fields.String(required=True, allow_none=True, metadata=TIME)
    published = fields.Boolean(required=True)
    published_at = fields.String(required=True, allow_none=True, metadata=TIME)
    current_round = fields.Integer(required=True)
    rounds = fields.List(fields.Nested(RoundSchema), required=True)


class EntrySchema(ma.Schema):
    id = fields.Integer(required=True)
    contest_id = fields.Integer(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    links = fields.List(fields.String(), required=True)
    status = fields.String(required=True, metadata={"enum": ENTRY_STATUSES})
    has_deck = fields.Boolean(required=True)
    deck_url = fields.String(required=True, allow_none=True)
    deck_filename = fields.String(required=True, allow_none=True,
                                  metadata={"description": "A neutral name for blind viewers."})
    organization = fields.String(metadata={"description": "Absent for blind viewers, as team and award."})
    team = fields.List(fields.Nested(TeamMemberSchema))
    award_level = fields.String(allow_none=True, metadata={"enum": AWARD_LEVELS})
    booth = fields.String(allow_none=True, metadata={
        "description": "For organizers: the booth code where the entry is shown on the floor."})


class JudgeSchema(ma.Schema):
    user_id = fields.Integer(required=True)
    email = fields.String(required=True)
    full_name = fields.String(required=True)


class JudgesAddedSchema(ma.Schema):
    judges = fields.List(fields.Nested(JudgeSchema), required=True)


class ConflictSchema(ma.Schema):
    id = fields.Integer(required=True)
    entry_id = fields.Integer(required=True)
    judge_email = fields.String(required=True)
    source = fields.String(required=True, metadata={"enum": [s.value for s in ConflictSource]})
    status = fields.String(required=True, metadata={"enum": [s.value for s in ConflictStatus]})
    locked = fields.Boolean(required=True)
    reason = fields.String(required=True)
    blocking = fields.Boolean(required=True, metadata={
        "description": "Whether it keeps the judge from the entry (pending ones do not)."})


class AssignmentSchema(ma.Schema):
    entry_id = fields.Integer(required=True)
    judge_email = fields.String(required=True)


class AssignmentsSchema(ma.Schema):
    assignments = fields.List(fields.Nested(AssignmentSchema), required=True)


class AssignResultSchema(AssignmentsSchema):
    pending_conflicts = fields.List(fields.Nested(ConflictSchema), required=True, metadata={
        "description": "Detected conflicts nobody decided yet: they do not block."})


class JudgeAssignmentSchema(EntrySchema):
    entry_id = fields.Integer(required=True, metadata={"description": "The entry's id, as in assignments."})
    contest_name = fields.String(required=True)
    round = fields.Integer(required=True)
    state = fields.String(required=True, metadata={"enum": SHEET_STATES})
    scores = fields.Dict(keys=fields.String(), values=AsSent(NUMBER), required=True, allow_none=True)
    comment = fields.String(required=True, allow_none=True)


class JudgeAssignmentPageSchema(PageSchema):
    items = fields.List(fields.Nested(JudgeAssignmentSchema), required=True)
    scored = fields.Integer(required=True, metadata={"description": "Entries with a submitted sheet."})


class ScoreSheetSchema(ma.Schema):
    entry_id = fields.Integer(required=True)
    scores = fields.Dict(keys=fields.String(), values=AsSent(NUMBER), required=True)
    comment = fields.String(required=True, allow_none=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in ScoreStatus]})
    criteria_version = fields.Integer(required=True)
    total = AsSent(NUMBER, required=True, allow_none=True, metadata={
        "description": "0 … 100; null until every criterion of the rubric in force is scored."})


class ResultItemSchema(ma.Schema):
    rank = fields.Integer(required=True, allow_none=True)
    entry_id = fields.Integer(required=True)
    title = fields.String(required=True)
    raw_mean = AsSent(NUMBER, allow_none=True, metadata={"description": "Rubric rounds."})
    normalized = AsSent(NUMBER, allow_none=True, metadata={"description": "Rubric rounds."})
    scores_count = fields.Integer(metadata={"description": "Rubric rounds."})
    score = AsSent(NUMBER, allow_none=True, metadata={
        "description": "Pairwise: the entry's estimated quality (null before its first vote)."})
    sigma = AsSent(NUMBER, allow_none=True, metadata={"description": "Pairwise: the uncertainty of `score`."})
    votes = fields.Integer(metadata={"description": "Pairwise: the comparisons the entry was in."})
    award_level = fields.String(required=True, allow_none=True, metadata={"enum": AWARD_LEVELS})


class ResultsSchema(ma.Schema):
    scoring = fields.String(required=True, metadata={"enum": SCORINGS})
    round = fields.Integer(required=True)
    published = fields.Boolean(required=True)
    items = fields.List(fields.Nested(ResultItemSchema), required=True)


class VoteTallySchema(ma.Schema):
    entry_id = fields.Integer(required=True)
    title = fields.String(required=True)
    votes = fields.Integer(required=True)


class VoteTalliesSchema(ma.Schema):
    items = fields.List(fields.Nested(VoteTallySchema), required=True)


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
