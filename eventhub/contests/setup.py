"""Contest set-up by organizers: the contest, its rubric (versioned), judges (rounds: rounds.py,
publishing and awards: publishing.py).

Rubric versioning: only a change of what a score means starts a new version – a criterion's key,
weight or maximum score, or a criterion added or removed. Names, descriptions and the order are edited
in place (the settings form re-sends every criterion with every save: a save that only moves the
judging deadline must not void the judging). A change of meaning while no score exists in the round
rewrites the version in force; once a score exists (draft or submitted) it makes a new version: the
earlier scores stay attached to their version, no longer count in the results, and are shown to their
judges as needing re-scoring. The settings page asks before that happens; a published contest's rubric
does not change in meaning at all until the results are unpublished.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..audit.services import record
from ..errors import ValidationError
from ..events.models import Event
from ..extensions import db
from ..validation import FieldErrors, clean_email
from .access import lock_round
from .conflicts import detect_conflicts
from .errors import RescoringNeedsConfirmation, RubricPublished, ScoringLocked
from .floor_models import PairwiseVote
from .models import (
    Contest,
    ContestJudge,
    ContestRound,
    Criterion,
    Score,
    Scoring,
)
from .scoring import valid_number

# api.md states no format for `code` or a criterion's `key`: accept what clients plausibly send
# (case kept), refuse only what would not survive a URL, a file name or a form field's name.
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MAX_WEIGHT = 1_000_000.0


def _text(value, field: str, errors: FieldErrors, *, required: bool, max_length: int) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        errors.add(field, _("Enter text."))
        return ""
    if required and not value:
        errors.add(field, _("This field is required."))
    elif len(value) > max_length:
        errors.add(field, _("At most %(n)d characters.", n=max_length))
    return value


def _number(value, field: str, errors: FieldErrors) -> float | None:
    if not valid_number(value):
        errors.add(field, _("Enter a number."))
        return None
    value = float(value)
    if not 0 < value <= MAX_WEIGHT:
        errors.add(field, _("Enter a number above 0 and at most %(max)s.", max="1000000"))
        return None
    return value


def clean_criteria(raw, errors: FieldErrors, field: str = "criteria", *,
                   optional: bool = False) -> list[dict[str, Any]]:
    """`optional`: none at all is allowed (a round judged pairwise on the floor needs no rubric)."""
    if optional and (raw is None or raw == []):
        return []
    if not isinstance(raw, list) or not raw:
        errors.add(field, _("Give at least one criterion."))
        return []
    if len(raw) > 50:
        errors.add(field, _("At most %(n)d criteria.", n=50))
        return []
    out, seen = [], set()
    for i, item in enumerate(raw):
        prefix = f"{field}.{i}"
        if not isinstance(item, dict):
            errors.add(prefix, _("Enter an object."))
            continue
        key = item.get("key")
        if not isinstance(key, str) or not KEY.match(key):
            errors.add(f"{prefix}.key", _("Use 1–40 letters, digits, hyphens or underscores."))
        elif key in seen:
            errors.add(f"{prefix}.key", _("Each criterion needs its own key."))
        seen.add(key if isinstance(key, str) else None)
        name = _text(item.get("name"), f"{prefix}.name", errors, required=True, max_length=200)
        description = _text(item.get("description"), f"{prefix}.description", errors, required=False,
                            max_length=2000)
        weight = _number(item.get("weight"), f"{prefix}.weight", errors)
        max_score = _number(item.get("max_score"), f"{prefix}.max_score", errors)
        # None: not sent (the settings form has no description) – an edit keeps the one stored
        out.append({"key": key, "name": name, "description": description if "description" in item else None,
                    "weight": weight, "max_score": max_score})
    return out


def criterion_row(version: int, position: int, item: dict[str, Any]) -> Criterion:
    """A rubric row of this version from a cleaned criterion."""
    return Criterion(version=version, position=position, **{**item, "description": item["description"] or ""})


def _clean_deadline(value, event: Event, field: str, errors: FieldErrors) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            errors.add(field, _("Enter a date and time in ISO 8601, e.g. 2020-12-14T08:00:00+07:00."))
            return None
    if not isinstance(value, datetime) or not 2000 <= value.year <= 2999:
        errors.add(field, _("Please enter a date and time."))
        return None
    return value.replace(tzinfo=event.tz) if value.tzinfo is None else value


def _contest_fields(data: dict, event: Event, errors: FieldErrors, *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def given(name):
        return not partial or name in data

    if given("code"):
        code = data.get("code")
        if not isinstance(code, str) or not CODE.match(code):
            errors.add("code", _("Use 1–40 letters, digits, hyphens or underscores."))
        out["code"] = code
    if given("name"):
        out["name"] = _text(data.get("name"), "name", errors, required=True, max_length=200)
    for name, limit in (("description", 20000), ("rules", 20000)):
        if name in data:
            out[name] = _text(data.get(name), name, errors, required=False, max_length=limit)
    if given("judges_per_entry"):
        jpe = data.get("judges_per_entry")
        if isinstance(jpe, bool) or not isinstance(jpe, int) or not 1 <= jpe <= 50:
            errors.add("judges_per_entry", _("Enter a whole number from 1 to 50."))
        out["judges_per_entry"] = jpe
    for name in ("blind", "peoples_choice"):
        if name in data:
            if not isinstance(data[name], bool):
                errors.add(name, _("Enter true or false."))
            out[name] = data[name]
    if "scoring" in data or not partial:
        scoring = data.get("scoring", "zscore")
        if not isinstance(scoring, str) or scoring not in {s.value for s in Scoring}:
            errors.add("scoring", _("Choose one of: %(choices)s", choices="zscore, raw, pairwise"))
        out["scoring"] = scoring
    for name in ("submission_deadline", "judging_deadline", "vote_closes_at"):
        if name in data:
            out[name] = _clean_deadline(data.get(name), event, name, errors)
    return out


def create_contest(event: Event, data: dict, *, actor=None) -> Contest:
    """`data` as in api.md (code, name, criteria, judges_per_entry, blind, scoring, submission_deadline)."""
    errors = FieldErrors()
    values = _contest_fields(data, event, errors, partial=False)
    criteria = clean_criteria(data.get("criteria"), errors,
                              optional=values.get("scoring") == Scoring.pairwise.value)
    errors.raise_if_any()
    if db.session.scalar(db.select(Contest.id).filter_by(event_id=event.id, code=values["code"])):
        raise ValidationError({"code": [_("This event already has a contest with this code.")]})
    contest = Contest(event_id=event.id, created_by_id=getattr(actor, "id", None), current_round=1,
                      **{k: v for k, v in values.items()})
    contest.blind = bool(values.get("blind", False))
    contest.peoples_choice = bool(values.get("peoples_choice", False))
    first = ContestRound(number=1, name=_("Round 1"), judges_per_entry=contest.judges_per_entry,
                         deadline=contest.judging_deadline, criteria_version=1)
    contest.rounds.append(first)
    for position, item in enumerate(criteria):
        first.all_criteria.append(criterion_row(1, position, item))
    db.session.add(contest)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise ValidationError({"code": [_("This event already has a contest with this code.")]}) from exc
    record("contest.created", contest, actor=actor, event=event, changes={"code": contest.code})
    db.session.commit()
    return contest


def update_contest(contest: Contest, data: dict, *, actor=None, ask_before_rescoring: bool = False,
                   rescoring_confirmed: int | None = None) -> Contest:
    """Saves the fields given. Criteria are compared with the rubric in force (see the module's note).

    `ask_before_rescoring` (the settings page): a change that would send more score sheets back to
    their judges than the `rescoring_confirmed` the organizer accepted raises RescoringNeedsConfirmation
    with the number, and nothing is saved. The API does not ask (its PATCH made new versions before)."""
    errors = FieldErrors()
    values = _contest_fields(data, contest.event, errors, partial=True)
    scoring = values.get("scoring")
    if isinstance(scoring, str) and scoring in set(Scoring):  # first: no criteria asked if it cannot change
        _check_scoring_change(contest, scoring)
    pairwise = values.get("scoring", str(contest.scoring)) == Scoring.pairwise.value
    criteria = clean_criteria(data["criteria"], errors, optional=pairwise) if "criteria" in data else None
    if not pairwise and criteria is None and not contest.first_round.criteria:
        # a pairwise contest without a rubric turned back into a rubric one: its judges need criteria
        errors.add("criteria", _("Give at least one criterion."))
    errors.raise_if_any()
    if "code" in values and values["code"] != contest.code and db.session.scalar(
            db.select(Contest.id).filter_by(event_id=contest.event_id, code=values["code"])):
        raise ValidationError({"code": [_("This event already has a contest with this code.")]})
    change = None
    if criteria is not None:  # the round before the contest row, in the order promote() takes them
        change = _check_rubric_change(contest.first_round, criteria, ask=ask_before_rescoring,
                                      confirmed=rescoring_confirmed)
    for key, value in values.items():
        setattr(contest, key, value)
    try:  # the same code taken at the same moment by another contest of the event
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise ValidationError({"code": [_("This event already has a contest with this code.")]}) from exc
    first = contest.first_round
    if "judges_per_entry" in values:
        first.judges_per_entry = values["judges_per_entry"]
    if "judging_deadline" in values:
        first.deadline = values["judging_deadline"]
    if change is not None:
        _apply_criteria(first, criteria, change)
    changes: dict[str, Any] = {"fields": sorted(data)}
    if change is not None and change.meaning_changed:
        changes.update(rubric_version=first.criteria_version, sheets_to_rescore=change.sheets)
    record("contest.updated", contest, actor=actor, event=contest.event, changes=changes)
    db.session.commit()
    return contest


def _check_scoring_change(contest: Contest, scoring: str) -> None:
    """Votes on the floor and rubric score sheets are two ways of judging: once either exists, switching
    to or from "pairwise" would leave them counting for nothing (zscore ↔ raw is only a ranking rule)."""
    if scoring == str(contest.scoring) or Scoring.pairwise.value not in (scoring, str(contest.scoring)):
        return
    lock_round(contest.first_round)  # against a vote or a sheet saved meanwhile (they take this lock)
    voted = db.select(PairwiseVote.id).where(PairwiseVote.contest_id == contest.id,
                                             PairwiseVote.undone_at.is_(None))
    scored = db.select(Score.id).join(ContestRound, ContestRound.id == Score.round_id).where(
        ContestRound.contest_id == contest.id)
    if db.session.scalar(db.select(db.or_(db.exists(voted), db.exists(scored)))):
        db.session.rollback()  # nothing written; frees the round's lock at once
        raise ScoringLocked()


@dataclass(frozen=True)
class RubricChange:
    """What saving a list of criteria does to a round's rubric."""

    meaning_changed: bool  # a key, weight or maximum changed, or a criterion was added or removed
    sheets: int            # score sheets (drafts too) on the version in force: they will need re-scoring

    @property
    def new_version(self) -> bool:
        return self.meaning_changed and self.sheets > 0


def _meaning(criteria) -> dict[str, tuple[float, float]]:
    return {c["key"]: (float(c["weight"]), float(c["max_score"])) for c in criteria}


def rubric_change(round_: ContestRound, criteria: list[dict[str, Any]]) -> RubricChange:
    """Compares cleaned criteria with the round's rubric in force; reads only."""
    current = {c.key: (float(c.weight), float(c.max_score)) for c in round_.criteria}
    if current == _meaning(criteria):
        return RubricChange(False, 0)
    sheets = db.session.scalar(db.select(db.func.count(Score.id)).where(
        Score.round_id == round_.id, Score.criteria_version == round_.criteria_version)) or 0
    return RubricChange(True, sheets)


def _check_rubric_change(round_: ContestRound, criteria: list[dict[str, Any]], *, ask: bool,
                         confirmed: int | None) -> RubricChange:
    """Locks the round (against a sheet saved meanwhile), then refuses what may not happen yet."""
    lock_round(round_)
    # read after the lock: the rubric (and publication) another organizer saved a moment ago
    db.session.refresh(round_)
    db.session.refresh(round_.contest, ["published_at"])
    change = rubric_change(round_, criteria)
    if change.meaning_changed and round_.contest.published_at is not None:
        db.session.rollback()  # nothing written; frees the round's lock at once
        raise RubricPublished()
    if ask and change.new_version and change.sheets > (confirmed or 0):
        db.session.rollback()
        raise RescoringNeedsConfirmation(change.sheets)
    return change


def _apply_criteria(round_: ContestRound, criteria: list[dict[str, Any]], change: RubricChange) -> None:
    stored = {c.key: c for c in round_.criteria}
    if not change.meaning_changed:  # names, descriptions, order: edited in place, scores keep counting
        for position, item in enumerate(criteria):
            criterion = stored[item["key"]]
            criterion.name, criterion.position = item["name"], position
            if item["description"] is not None:
                criterion.description = item["description"]
        return
    kept = [{**item, "description": stored[item["key"]].description
             if item["description"] is None and item["key"] in stored else item["description"]}
            for item in criteria]
    if not change.new_version:
        for old in list(round_.criteria):
            round_.all_criteria.remove(old)
        db.session.flush()
    else:
        round_.criteria_version += 1
    for position, item in enumerate(kept):
        round_.all_criteria.append(criterion_row(round_.criteria_version, position, item))


def set_round_criteria(round_: ContestRound, raw_criteria, *, actor=None) -> ContestRound:
    errors = FieldErrors()
    criteria = clean_criteria(raw_criteria, errors)
    errors.raise_if_any()
    _apply_criteria(round_, criteria, _check_rubric_change(round_, criteria, ask=False, confirmed=None))
    record("contest.criteria", round_.contest, actor=actor, event=round_.contest.event,
           changes={"round": round_.number, "version": round_.criteria_version})
    db.session.commit()
    return round_


def add_judges(contest: Contest, emails, *, actor=None) -> list[User]:
    """Gives existing accounts judging rights for this contest; unknown e-mails → 422, nothing stored."""
    if not isinstance(emails, list) or not emails:
        raise ValidationError({"emails": [_("Give at least one e-mail address.")]})
    if len(emails) > 500:
        raise ValidationError({"emails": [_("At most %(n)d at once.", n=500)]})
    errors = FieldErrors()
    users = []
    for i, raw in enumerate(emails):
        if not isinstance(raw, str):
            errors.add(f"emails.{i}", _("This e-mail address is not valid."))
            continue
        email = errors.clean(clean_email, raw, f"emails.{i}")
        if email is None:
            continue
        # Only a proven address names a person: an account signed up with a judge's address (link
        # never opened) must not be put on the panel and see the entries.
        user = db.session.scalar(db.select(User).where(db.func.lower(User.email) == email,
                                                       User.email_verified_at.is_not(None)))
        if user is None:
            errors.add(f"emails.{i}", _("No account with a confirmed address has this e-mail address."))
        else:
            users.append(user)
    errors.raise_if_any()
    existing = set(db.session.scalars(db.select(ContestJudge.user_id).filter_by(contest_id=contest.id)))
    for user in dict.fromkeys(users):
        if user.id not in existing:
            db.session.add(ContestJudge(contest_id=contest.id, user_id=user.id))
            existing.add(user.id)
    try:
        db.session.flush()
    except IntegrityError:  # added at the same moment by someone else: same outcome
        db.session.rollback()
        return add_judges(contest, emails, actor=actor)
    detect_conflicts(contest)
    record("contest.judges_added", contest, actor=actor, event=contest.event,
           changes={"user_ids": [u.id for u in users]})  # by number: erasure leaves no address
    db.session.commit()
    return users


def remove_judge(contest: Contest, user_id: int, *, actor=None) -> None:
    judge = db.session.scalar(db.select(ContestJudge).filter_by(contest_id=contest.id, user_id=user_id))
    if judge is None:
        return
    db.session.delete(judge)
    record("contest.judge_removed", contest, actor=actor, event=contest.event, changes={"user_id": user_id})
    db.session.commit()
