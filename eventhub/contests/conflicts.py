"""Conflicts of interest: declared by judges, added or locked by organizers, detected automatically.

A confirmed conflict keeps the judge away from the entry: declared and organizer-set ones are confirmed
at once. A detected one is only a suspicion (anyone can add a team member with a judge's company domain,
and so steer who judges the entry): it stays pending – visible to organizers, listed on the assignment
page – and blocks nothing until an organizer confirms it. When a conflict starts blocking, the judge's
assignments to the entry are removed; their scores for it stay stored but never count and are never
shown to them again. A locked conflict can be changed by organizers only.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from ..accounts.models import User
from ..audit.services import record
from ..dbtypes import MAX_ID
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..vietnamese import fold
from .access import lock_round
from .errors import ConflictLocked
from .models import (
    Assignment,
    Conflict,
    ConflictSource,
    ConflictStatus,
    Contest,
    ContestJudge,
    Entry,
    EntryStatus,
)

# Addresses anyone can get: a shared domain says nothing about a shared employer.
PUBLIC_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.vn", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com",
    "zoho.com", "yandex.com", "mail.ru", "gmx.com", "qq.com", "163.com", "126.com", "fpt.vn",
    "vnn.vn", "hcm.vnn.vn", "hn.vnn.vn", "viettel.vn", "example.com", "example.org",
})


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def detection_reason(judge: User, entry: Entry) -> str | None:
    """Why this judge looks conflicted with this entry, or None."""
    judge_email = judge.email.lower()
    member_emails = {m.email_normalized for m in entry.members}
    if judge_email in member_emails or any(m.user_id == judge.id for m in entry.members):
        return _("The judge is on the team.")
    if judge.organization and entry.organization and fold(judge.organization) == fold(entry.organization):
        return _("The judge works at the same organization.")
    domain = _domain(judge_email)
    if domain and domain not in PUBLIC_DOMAINS and any(_domain(e) == domain for e in member_emails):
        return _("The judge has the same company e-mail domain as a team member.")
    return None


def detect_conflicts(contest: Contest, entries: Iterable[Entry] | None = None) -> list[Conflict]:
    """Adds pending conflicts for new suspicious pairs (no commit: the calling service commits).

    They block nothing and remove no assignment – what a team says about itself cannot move a judge –
    except where the judge accepted a place on the team themself."""
    if entries is None:
        entries = db.session.scalars(db.select(Entry).where(
            Entry.contest_id == contest.id, Entry.status == EntryStatus.submitted))
    entries = list(entries)
    judges = list(db.session.scalars(db.select(User).join(ContestJudge, ContestJudge.user_id == User.id)
                                     .where(ContestJudge.contest_id == contest.id)))
    if not entries or not judges:
        return []
    known = set(db.session.execute(db.select(Conflict.entry_id, Conflict.user_id).where(
        Conflict.contest_id == contest.id)).tuples())
    added = []
    for entry in entries:
        for judge in judges:
            if (entry.id, judge.id) in known:
                continue
            reason = detection_reason(judge, entry)
            if reason:
                # A judge who accepted a place on the team themself is conflicted by their own act: that
                # cannot be steered by the team, so it blocks at once.
                status = (ConflictStatus.confirmed if _accepted_member(judge, entry)
                          else ConflictStatus.pending)
                conflict = Conflict(contest_id=contest.id, entry_id=entry.id, user_id=judge.id,
                                    source=ConflictSource.detected, status=status, reason=reason)
                db.session.add(conflict)
                added.append(conflict)
                known.add((entry.id, judge.id))
    if added:
        db.session.flush()
        _drop_assignments(contest, [(c.entry_id, c.user_id) for c in added if c.blocks])
    return added


def _accepted_member(judge: User, entry: Entry) -> bool:
    return any(m.user_id == judge.id and m.accepted_at is not None for m in entry.members)


def judge_joined_team(entry: Entry, user: User) -> None:
    """A judge of the contest accepted a place on this entry's team: a conflict by their own act, so it
    blocks at once, unless an organizer has locked a decision on the pair (no commit)."""
    is_judge = db.session.scalar(db.select(ContestJudge.id).where(
        ContestJudge.contest_id == entry.contest_id, ContestJudge.user_id == user.id))
    if is_judge is None:
        return
    existing = db.session.scalar(db.select(Conflict).filter_by(entry_id=entry.id, user_id=user.id))
    if existing is not None and existing.locked:
        return
    _upsert(entry.contest, entry, user.id, status=ConflictStatus.confirmed,
            source=existing.source if existing is not None else ConflictSource.detected,
            reason=_("The judge is on the team."))


def _drop_assignments(contest: Contest, pairs: list[tuple[int, int]]) -> None:
    for entry_id, user_id in pairs:
        db.session.execute(db.delete(Assignment).where(Assignment.entry_id == entry_id,
                                                       Assignment.user_id == user_id))


def _entry_of(contest: Contest, entry_id) -> Entry:
    ok = isinstance(entry_id, int) and not isinstance(entry_id, bool) and 1 <= entry_id <= MAX_ID
    entry = db.session.get(Entry, entry_id) if ok else None
    if entry is None or entry.contest_id != contest.id:
        raise ValidationError({"entry_id": [_("This contest has no such entry.")]})
    return entry


def _upsert(contest: Contest, entry: Entry, judge_id: int, **values) -> Conflict:
    lock_round(contest.active_round)  # one at a time per round: no duplicate row, no stale assignment
    conflict = db.session.scalar(db.select(Conflict).filter_by(entry_id=entry.id, user_id=judge_id)
                                 .with_for_update())
    if conflict is None:
        conflict = Conflict(contest_id=contest.id, entry_id=entry.id, user_id=judge_id, **values)
        db.session.add(conflict)
    else:
        for key, value in values.items():
            setattr(conflict, key, value)
    db.session.flush()
    if conflict.blocks:
        _drop_assignments(contest, [(entry.id, judge_id)])
    return conflict


def declare(contest: Contest, entry_id, judge: User, *, reason: str = "") -> Conflict:
    """A judge recuses themself: always allowed, even over a dismissed or locked conflict."""
    entry = _entry_of(contest, entry_id)
    lock_round(contest.active_round)
    reason = (reason or "").strip()[:500] or _("Declared by the judge.")
    existing = db.session.scalar(db.select(Conflict).filter_by(entry_id=entry.id, user_id=judge.id))
    values = {"status": ConflictStatus.confirmed, "reason": reason}
    if existing is None or existing.status == ConflictStatus.dismissed:
        values["source"] = ConflictSource.declared
    conflict = _upsert(contest, entry, judge.id, **values)
    record("conflict.declared", conflict, actor=judge, event=contest.event, changes={"entry_id": entry.id})
    db.session.commit()
    return conflict


def add_by_organizer(contest: Contest, entry_id, judge_email, *, actor, reason: str = "",
                     locked: bool = True) -> Conflict:
    entry = _entry_of(contest, entry_id)
    if not isinstance(judge_email, str):
        raise ValidationError({"judge_email": [_("This e-mail address is not valid.")]})
    judge = db.session.scalar(db.select(User).join(ContestJudge, ContestJudge.user_id == User.id).where(
        ContestJudge.contest_id == contest.id, db.func.lower(User.email) == judge_email.strip().lower()))
    if judge is None:
        raise ValidationError({"judge_email": [_("No judge of this contest has this e-mail address.")]})
    conflict = _upsert(contest, entry, judge.id, status=ConflictStatus.confirmed, locked=locked,
                       source=ConflictSource.organizer,
                       reason=(reason or "").strip()[:500] or _("Added by an organizer."))
    record("conflict.added", conflict, actor=actor, event=contest.event,
           changes={"entry_id": entry.id, "user_id": judge.id})  # by number: erasure leaves no address
    db.session.commit()
    return conflict


def add_conflict(contest: Contest, entry_id, *, actor: User, actor_manages: bool, judge_email=None,
                 reason: str = "", locked: bool = True) -> Conflict:
    """Who may record a conflict for whom: a judge of the panel for themself (no `judge_email`, or
    their own), an organizer (`actor_manages`, asked of permissions by the caller) for any judge of
    the panel; else 403, or 422 for an organizer off the panel who names nobody else."""
    for_self = judge_email is None or (isinstance(judge_email, str)
                                       and judge_email.strip().lower() == actor.email.lower())
    if not for_self and actor_manages:
        return add_by_organizer(contest, entry_id, judge_email, actor=actor, reason=reason, locked=locked)
    if for_self and contest.has_judge(actor):
        return declare(contest, entry_id, actor, reason=reason)
    if actor_manages:
        raise ValidationError({"judge_email": [_("Enter the e-mail address of a judge of this contest.")]})
    raise Forbidden()  # a judge declares for themself only, never for another judge


def decide(conflict: Conflict, status: str, *, actor, locked: bool | None = None) -> Conflict:
    """An organizer confirms or dismisses a conflict (and may lock or unlock it)."""
    if status not in (ConflictStatus.confirmed, ConflictStatus.dismissed):
        raise ValidationError({"status": [_("Choose one of: %(choices)s", choices="confirmed, dismissed")]})
    lock_round(conflict.entry.contest.active_round)
    locked_row = db.session.scalar(db.select(Conflict).where(Conflict.id == conflict.id).with_for_update())
    locked_row.status = ConflictStatus(status)
    if locked is not None:
        locked_row.locked = locked
    db.session.flush()
    if locked_row.blocks:
        _drop_assignments(locked_row.entry.contest, [(locked_row.entry_id, locked_row.user_id)])
    record("conflict.decided", locked_row, actor=actor, event=locked_row.entry.contest.event,
           changes={"status": status, "locked": locked_row.locked})
    db.session.commit()
    return locked_row


def withdraw_declaration(conflict: Conflict, *, judge: User) -> None:
    """A judge takes back their own recusal, unless an organizer locked it."""
    if conflict.locked or conflict.source != ConflictSource.declared:
        raise ConflictLocked()
    db.session.delete(conflict)
    record("conflict.withdrawn", conflict, actor=judge, event=conflict.entry.contest.event)
    db.session.commit()


def pending_conflicts(contest: Contest) -> list[Conflict]:
    """Detected conflicts no organizer has decided yet: to be confirmed or dismissed before assigning."""
    return list(db.session.scalars(db.select(Conflict).where(
        Conflict.contest_id == contest.id, Conflict.status == ConflictStatus.pending)
        .order_by(Conflict.entry_id, Conflict.id)))


def contest_conflicts(contest: Contest) -> list[Conflict]:
    return list(db.session.scalars(db.select(Conflict).where(Conflict.contest_id == contest.id)
                                   .order_by(Conflict.status, Conflict.entry_id, Conflict.id)))
