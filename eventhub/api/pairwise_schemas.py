"""Schemas and views of pairwise judging on the floor for /api/v1 (api.md "Pairwise judging at the
exhibition"): the judge's next entry, a vote or a skip, and what a vote answers."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from ..contests.floor_judging import Stop
from ..contests.floor_models import PairwiseVote
from .contest_schemas import TIME, iso
from .schemas import AsSent, RequestSchema


class VoteInSchema(RequestSchema):
    """Either `winner` and `loser`, or `skip` alone; the service answers 422 for anything else."""

    winner = AsSent(fields.Integer(), metadata={"description": "The better entry's id."})
    loser = AsSent(fields.Integer(), metadata={"description": "The other entry's id."})
    skip = AsSent(fields.Integer(), metadata={
        "description": "Alone: the judge's current entry, whose booth could not be found."})


class NextSchema(ma.Schema):
    entry_id = fields.Integer(required=True, metadata={"description": "The entry to visit now."})
    title = fields.String(required=True)
    booth = fields.String(metadata={"description": "Its booth code; absent when the floor plan does not "
                                                   "place it."})
    zone = fields.String(metadata={"description": "The booth's zone, with `booth`."})
    previous_entry_id = fields.Integer(metadata={
        "description": "The entry seen before, to compare with; absent for the judge's first entry."})
    previous_title = fields.String(metadata={"description": "With `previous_entry_id`."})
    votes = fields.Integer(required=True, metadata={"description": "The judge's votes in this contest."})
    remaining = fields.Integer(required=True, metadata={
        "description": "Entries the judge may still be sent to and has not visited."})
    undo_until = fields.String(metadata={**TIME, "description": "Until then the last vote may be undone "
                                                                "(POST …/votes/undo); absent otherwise."})


class VoteOutSchema(ma.Schema):
    """A vote (`id`, `winner`, `loser`, `created_at`) or a skip (`skipped`)."""

    id = fields.Integer()
    winner = fields.Integer()
    loser = fields.Integer()
    created_at = fields.String(metadata=TIME)
    skipped = fields.Integer(metadata={"description": "The entry skipped."})


def next_view(stop: Stop) -> dict:
    view = {"entry_id": stop.entry.id, "title": stop.entry.title, "votes": stop.votes,
            "remaining": stop.remaining}
    if stop.spot is not None:
        view.update(booth=stop.spot.code, zone=stop.spot.zone)
    if stop.previous is not None:
        view.update(previous_entry_id=stop.previous.id, previous_title=stop.previous.title)
    if stop.undo_until is not None:
        view["undo_until"] = iso(stop.undo_until, stop.contest)
    return view


def vote_view(vote: PairwiseVote, contest) -> dict:
    return {"id": vote.id, "winner": vote.winner_id, "loser": vote.loser_id,
            "created_at": iso(vote.created_at, contest)}
