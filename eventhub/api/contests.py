"""Contests and judging (api.md): set-up, entries and decks, conflicts, assignment, scores, results."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from .. import permissions
from ..contests import (
    assigning,
    conflicts,
    entries,
    floor_spots,
    judging,
    publishing,
    queries,
    setup,
)
from ..contests.access import is_team_member
from ..contests.models import Contest
from ..downloads import file_response
from ..errors import Forbidden, NotFound, ValidationError
from . import contest_pairwise, contest_results, contest_rounds  # noqa: F401 – routes on this blueprint too
from .access import ORGANIZER, get_event, managed_event
from .auth import require_user
from .contest_access import (
    _blind_for,
    _contest,
    _entry,
    _entry_for,
    _managed,
    judge_or_manager_contest,
    managed_conflict,
    managed_contest,
    managed_entry,
    scorable_entry,
    signed_in_contest,
    team_or_manager_entry,
)
from .contest_blueprint import blp
from .contest_schemas import (
    AssignmentEditSchema,
    AssignmentsSchema,
    AssignResultSchema,
    AwardSchema,
    ConflictCreateSchema,
    ConflictDecideSchema,
    ConflictSchema,
    ContestCreateSchema,
    ContestPatchSchema,
    ContestSchema,
    DeckUploadSchema,
    EntryCreateSchema,
    EntryPatchSchema,
    EntrySchema,
    JudgeAssignmentPageSchema,
    JudgesAddedSchema,
    JudgesSchema,
    ScoreSheetSchema,
    ScoresSchema,
    conflict_view,
    contest_view,
)
from .pagination import paginate, paginate_list
from .schemas import BINARY, PageArgsSchema, list_of, refusals

BEARER = [{"bearerAuth": []}]


@blp.post("/events/<slug>/contests")
@managed_event
@blp.arguments(ContestCreateSchema)
@blp.response(201, ContestSchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def create_contest(body, event, user):
    """Creates a contest with its rubric (organizers of the event)."""
    return contest_view(setup.create_contest(event, body, actor=user))


@blp.get("/events/<slug>/contests")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(ContestSchema))
def list_contests(args, slug):
    """The event's contests."""
    event = get_event(slug)
    page = paginate(queries.contests_query(event), args["page"], args["per_page"])
    return {**page, "items": [contest_view(c) for c in page["items"]]}


@blp.get("/contests/<int:id>")
@blp.response(200, ContestSchema)
@refusals(blp, 404)
def get_contest(id):
    """The contest (anyone)."""
    return contest_view(_contest(id))


@blp.patch("/contests/<int:id>")
@managed_contest
@blp.arguments(ContestPatchSchema)
@blp.response(200, ContestSchema)
@refusals(blp, 401, 403, 404, 409, 422)
@blp.doc(security=ORGANIZER)
def patch_contest(body, contest, user):
    """Changes the contest. Criteria that change a key, weight or maximum score (or add or remove one)
    after scoring started make a new rubric version; names and descriptions are edited in place. Once
    the results are published such a change is refused: `409 rubric_published` (unpublish first).
    `scoring` to or from `pairwise` once a vote on the floor or a score sheet exists: `409 scoring_locked`
    (`zscore` ↔ `raw` stays allowed)."""
    return contest_view(setup.update_contest(contest, body, actor=user))


@blp.post("/contests/<int:id>/judges")
@managed_contest
@blp.arguments(JudgesSchema)
@blp.response(200, JudgesAddedSchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def add_judges(body, contest, user):
    """Gives existing accounts judging rights for this contest; unknown e-mails → 422."""
    added = setup.add_judges(contest, body["emails"], actor=user)
    return {"judges": [{"user_id": u.id, "email": u.email, "full_name": u.full_name} for u in added]}


@blp.post("/contests/<int:id>/entries")
@signed_in_contest
@blp.arguments(EntryCreateSchema)
@blp.response(201, EntrySchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=BEARER)
def submit_entry(body, contest, user):
    """Submits an entry; the submitting account is on the team. After the deadline → 403."""
    entry = entries.submit_entry(contest, body, user=user)
    return _entry_for(user, entry)


@blp.get("/contests/<int:id>/entries")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(EntrySchema))
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def list_entries(args, id):
    """Every entry of the contest (organizers)."""
    contest, user = _managed(id)
    page = paginate(queries.entries_query(contest), args["page"], args["per_page"])
    return {**page, "items": [_entry_for(user, e) for e in page["items"]]}


@blp.get("/entries/<int:id>")
@blp.response(200, EntrySchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=BEARER)
def get_entry(id):
    """The entry for its team, organizers and its unconflicted assigned judges (blind-aware)."""
    user = require_user()
    entry = _entry(id)
    if not permissions.can_view_entry(user, entry):
        raise Forbidden()
    return _entry_for(user, entry)


@blp.patch("/entries/<int:id>")
@team_or_manager_entry
@blp.arguments(EntryPatchSchema)
@blp.response(200, EntrySchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=BEARER)
def patch_entry(body, entry, user):
    """The team edits its entry until the deadline. Organizers also set `booth`, the booth code where the
    entry is shown on the exhibition floor (any time; `""` clears it) – pairwise judges are sent there when
    the entry's organization is not found among the exhibitors."""
    current = {"title": entry.title, "summary": entry.summary, "organization": entry.organization,
               "links": entry.links, "team": [{"full_name": m.full_name, "email": m.email}
                                              for m in entry.members]}
    sent = request.get_json(silent=True)
    sent = sent if isinstance(sent, dict) else {}
    booth = None
    if "booth" in sent:
        if not permissions.can_manage_contest(user, entry.contest):
            raise Forbidden(_("Only the organizers place entries at booths."), code="forbidden")
        booth = floor_spots.clean_booth_code(sent["booth"])  # 422 before anything is saved
    if "booth" not in sent or set(sent) & set(current):
        current.update({k: v for k, v in sent.items() if k in current})
        entry = entries.update_entry(entry, current, user=user)
    if "booth" in sent:
        entry = floor_spots.set_booth_code(entry, booth, actor=user)
    return _entry_for(user, entry)


@blp.post("/entries/<int:id>/files")
@blp.response(200, EntrySchema)
@refusals(blp, 401, 403, 404, 413, 422)
# documented, not parsed here: the handler reads the file after its access checks (401/404/403 first)
@blp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": DeckUploadSchema}}})
@blp.doc(security=BEARER)
def upload_file(id):
    """Uploads the PDF pitch deck (multipart `file`, ≤ 20 MB)."""
    user = require_user()
    entry = _entry(id)
    organizer = permissions.can_manage_contest(user, entry.contest)
    if not (is_team_member(user, entry) or organizer):
        raise Forbidden()
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError({"file": [_("Choose a PDF file.")]})
    data = upload.stream.read(entries.MAX_DECK_BYTES + 1)
    return _entry_for(user, entries.upload_deck(entry, data, upload.filename, user=user,
                                                by_organizer=organizer))


@blp.get("/entries/<int:id>/deck.pdf")
@blp.response(200, BINARY, content_type="application/pdf")
@refusals(blp, 401, 403, 404, 409)
@blp.doc(security=BEARER)
def get_deck(id):
    """The deck for the team, organizers and assigned unconflicted judges; neutral name when blind."""
    user = require_user()
    entry = _entry(id)
    if not permissions.can_view_entry(user, entry):
        raise Forbidden()
    if not entry.deck_key:
        raise NotFound(_("This entry has no pitch deck."), code="no_deck")
    blind = _blind_for(user, entry)
    return file_response(entries.deck_for(entry, blind_viewer=blind), "application/pdf",
                         entries.deck_filename_for(entry, blind_viewer=blind))


@blp.post("/contests/<int:id>/conflicts")
@judge_or_manager_contest
@blp.arguments(ConflictCreateSchema)
@blp.response(201, ConflictSchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=BEARER)
def add_conflict(body, contest, user):
    """A judge declares a conflict for themself; an organizer names the judge with `judge_email`."""
    reason = body["reason"] if isinstance(body["reason"], str) else ""
    return conflict_view(conflicts.add_conflict(
        contest, body["entry_id"], actor=user, actor_manages=permissions.can_manage_contest(user, contest),
        judge_email=body["judge_email"], reason=reason, locked=body["locked"] is not False))


@blp.get("/contests/<int:id>/conflicts")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(ConflictSchema))
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def list_conflicts(args, id):
    """Every conflict, detected ones waiting for a decision first."""
    contest, _user = _managed(id)
    items = [conflict_view(c) for c in conflicts.contest_conflicts(contest)]
    return paginate_list(items, args["page"], args["per_page"])


@blp.post("/conflicts/<int:id>")
@managed_conflict
@blp.arguments(ConflictDecideSchema)
@blp.response(200, ConflictSchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def decide_conflict(body, conflict, user):
    """Confirms or dismisses a conflict (organizers)."""
    locked = body["locked"] if isinstance(body["locked"], bool) else None
    return conflict_view(conflicts.decide(conflict, body["status"], actor=user, locked=locked))


@blp.post("/contests/<int:id>/assign")
@blp.response(200, AssignResultSchema)
@refusals(blp, 401, 403, 404, 409, 422)
@blp.doc(security=ORGANIZER)
def assign(id):
    """Assigns `judges_per_entry` distinct unconflicted judges to every entry, loads within 1."""
    contest, user = _managed(id)
    assigning.run_assignment(contest, actor=user)
    # Detected conflicts nobody decided yet do not block: the client sees them to decide them.
    return {**_assignments(contest),
            "pending_conflicts": [conflict_view(c) for c in conflicts.pending_conflicts(contest)]}


def _assignments(contest: Contest) -> dict:
    return {"assignments": [{"entry_id": e, "judge_email": email}
                            for e, _uid, email in assigning.round_assignments(contest.active_round)]}


@blp.post("/contests/<int:id>/assignments")
@managed_contest
@blp.arguments(AssignmentEditSchema)
@blp.response(200, AssignmentsSchema)
@refusals(blp, 401, 403, 404, 409, 422)
@blp.doc(security=ORGANIZER)
def add_assignment(body, contest, user):
    """Adds one judge to one entry by hand (never a conflicted one)."""
    entry, judge = assigning.find_pair_by_email(contest, body["entry_id"], body["judge_email"])
    assigning.add_assignment(contest, entry, judge, actor=user)
    return _assignments(contest)


@blp.delete("/contests/<int:id>/assignments")
@managed_contest
@blp.arguments(AssignmentEditSchema)
@blp.response(200, AssignmentsSchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def remove_assignment(body, contest, user):
    """Removes one judge from one entry."""
    entry, judge = assigning.find_pair_by_email(contest, body["entry_id"], body["judge_email"])
    assigning.remove_assignment(contest, entry, judge.id, actor=user)
    return _assignments(contest)


@blp.get("/judge/assignments")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, JudgeAssignmentPageSchema)
@refusals(blp, 401)
@blp.doc(security=BEARER)
def judge_assignments(args):
    """The judge's entries in the current rounds, in their own order; blind contests hide the team."""
    user = require_user()
    items = []
    for contest in judging.judge_contests(user):
        for item in judging.judge_items(user, contest):
            view = _entry_for(user, item.entry)
            # `entry_id` as in the answer of POST /contests/{id}/assign, for clients that match the two
            view.update({"entry_id": item.entry.id, "contest_name": contest.name,
                         "round": contest.current_round, "state": item.state,
                         "scores": dict(item.score.values) if item.score else None,
                         "comment": item.score.comment if item.score else None})
            items.append(view)
    return {**paginate_list(items, args["page"], args["per_page"]),
            "scored": sum(1 for i in items if i["state"] == "submitted")}


@blp.put("/entries/<int:id>/scores")
@scorable_entry
@blp.arguments(ScoresSchema)
@blp.response(200, ScoreSheetSchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=BEARER)
def put_scores(body, entry, user):
    """The judge's scores: every criterion, 0 ≤ score ≤ max_score; a later PUT replaces them."""
    score = judging.save_scores(entry, user, body["scores"], comment=body["comment"],
                                submit=body["draft"] is not True)
    return {"entry_id": entry.id, "scores": dict(score.values), "comment": score.comment,
            "status": str(score.status), "criteria_version": score.criteria_version,
            "total": judging.sheet_total(entry.contest.active_round, score)}


@blp.post("/contests/<int:id>/publish")
@blp.response(200, ContestSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def publish(id):
    """Makes the results public."""
    contest, user = _managed(id)
    return contest_view(publishing.publish(contest, actor=user))


@blp.post("/contests/<int:id>/unpublish")
@blp.response(200, ContestSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def unpublish(id):
    """Takes the results back from the public (needed before the rubric may change in meaning)."""
    contest, user = _managed(id)
    return contest_view(publishing.unpublish(contest, actor=user))


@blp.put("/entries/<int:id>/award")
@managed_entry
@blp.arguments(AwardSchema)
@blp.response(200, EntrySchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def set_award(body, entry, user):
    """Sets the entry's award level (first, second, third, consolation) or clears it."""
    return _entry_for(user, publishing.set_award(entry, body["award_level"], actor=user))

