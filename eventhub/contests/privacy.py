"""What contests keep of a person (Decree 13/2023/ND-CP): their seats on teams, and their judging.

Erasure blanks the person's name and address on every team that names them; the entries stay (they
are the team's work) and so does the judging (an erased judge's scores still count), which holds no
name or address of the judge – only the account's number.
"""

from __future__ import annotations

from sqlalchemy import or_

from ..accounts.models import User
from ..accounts.privacy import erased_address, proven_address
from ..extensions import db
from .models import Conflict, ConflictSource, Contest, ContestJudge, ContestRound, EntryMember, Score


def _memberships(user: User):
    # The account's seats by id; by address only once the address is proven (accounts.privacy).
    mine = [EntryMember.user_id == user.id]
    address = proven_address(user)
    if address:
        mine.append(EntryMember.email_normalized == address)
    return db.select(EntryMember).where(or_(*mine)).order_by(EntryMember.id)


def export_memberships(user: User) -> list[dict]:
    """Each team that names the person: the entry, and the name and address it names them by."""
    result = []
    for member in db.session.scalars(_memberships(user)):
        entry = member.entry
        result.append({
            "entry": entry.id, "title": entry.title, "organization": entry.organization,
            "status": entry.status.value, "contest": entry.contest.name, "event": entry.contest.event.slug,
            "submitted_by_me": entry.created_by_id == user.id,
            "full_name": member.full_name, "email": member.email,
            "invited_at": member.invited_at.isoformat() if member.invited_at else None,
            "accepted_at": member.accepted_at.isoformat() if member.accepted_at else None,
        })
    return result


def forget_memberships(user: User) -> None:
    """Every team seat of the person loses its name and address (no commit)."""
    erased = erased_address(user)
    for member in db.session.scalars(_memberships(user)):
        member.full_name, member.email, member.email_normalized = "—", erased, erased


def export_judging(user: User) -> dict:
    """The panels the person sits on, their conflicts of interest and their score sheets."""
    panels = db.session.execute(
        db.select(Contest, ContestJudge.created_at).join(ContestJudge, ContestJudge.contest_id == Contest.id)
        .where(ContestJudge.user_id == user.id).order_by(ContestJudge.id))
    conflicts = db.session.scalars(db.select(Conflict).where(Conflict.user_id == user.id)
                                   .order_by(Conflict.id))
    sheets = db.session.execute(
        db.select(Score, ContestRound).join(ContestRound, ContestRound.id == Score.round_id)
        .where(Score.user_id == user.id).order_by(Score.id))
    return {
        "panels": [{"contest": contest.name, "event": contest.event.slug, "since": since.isoformat()}
                   for contest, since in panels],
        # A reason is shown only where the judge wrote it: a detected one may name a team member.
        "conflicts": [{"contest": c.entry.contest.name, "entry": c.entry_id, "source": c.source.value,
                       "status": c.status.value, "created_at": c.created_at.isoformat(),
                       "reason": c.reason if c.source == ConflictSource.declared else None}
                      for c in conflicts],
        "score_sheets": [{"contest": round_.contest.name, "round": round_.number, "entry": score.entry_id,
                          "status": score.status.value, "values": dict(score.values or {}),
                          "comment": score.comment,
                          "submitted_at": score.submitted_at.isoformat() if score.submitted_at else None}
                         for score, round_ in sheets],
    }

