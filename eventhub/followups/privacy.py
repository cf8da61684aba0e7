"""What follow-ups keep of a person (Decree 13/2023/ND-CP): their answers about what came of a meeting
(as the investor's or the startup's profile of their account) or of an award (as a member of the team).

Erasure DELETES the person's rows rather than keeping them unnamed: a row is the person's own statement
(a pilot, an investment and its amount in VND), and the only link to the person – their matchmaking
profile, their team seat – stays with the account's number after erasure, so a kept row would still say
who said it. The report's figures then count what the other side (or the rest of the team) reported: a
meeting's investment both sides reported stays. The sweep does not ask again: an erased account is
inactive and its seats' addresses are erased, which the sweep skips.
"""

from __future__ import annotations

from sqlalchemy import delete, or_
from sqlalchemy.orm import aliased

from ..accounts.models import User
from ..accounts.privacy import proven_address
from ..contests.models import EntryMember
from ..extensions import db
from ..matchmaking.models import Meeting, Profile
from .labels import SIDE_LABELS, answers_text
from .models import OutcomeFollowUp, Side
from .views import about


def _ids_of(user: User):
    """The ids of the rows that asked this person: a meeting side whose profile is the account's, or a team
    seat of the account's (by address only once proven, as contests.privacy)."""
    investor, startup = aliased(Profile), aliased(Profile)
    as_side = (db.select(OutcomeFollowUp.id)
               .join(Meeting, Meeting.id == OutcomeFollowUp.meeting_id)
               .join(investor, investor.id == Meeting.investor_profile_id)
               .join(startup, startup.id == Meeting.startup_profile_id)
               .where(or_((OutcomeFollowUp.side == Side.investor) & (investor.user_id == user.id),
                          (OutcomeFollowUp.side == Side.startup) & (startup.user_id == user.id))))
    seat = [EntryMember.user_id == user.id]
    address = proven_address(user)
    if address:
        seat.append(EntryMember.email_normalized == address)
    as_member = (db.select(OutcomeFollowUp.id).join(EntryMember, EntryMember.id == OutcomeFollowUp.member_id)
                 .where(or_(*seat)))
    return as_side.union(as_member)


def export(user: User) -> list[dict]:
    """Each question the person was asked: what about (in words), their side, the answers and amount."""
    rows = db.session.scalars(db.select(OutcomeFollowUp).where(OutcomeFollowUp.id.in_(_ids_of(user)))
                              .order_by(OutcomeFollowUp.id))
    return [{"subject": row.subject.value, "about": about(row), "side": row.side.value,
             "side_label": str(SIDE_LABELS[row.side]), "days": row.days, "asked_at": row.asked_at.isoformat(),
             "answered_at": row.answered_at.isoformat() if row.answered_at else None,
             "answers": row.answers, "answers_text": answers_text(row), "amount": row.amount}
            for row in rows]


def forget(user: User) -> None:
    """Deletes the person's rows (why: the module's docstring); no commit."""
    ids = list(db.session.scalars(_ids_of(user)))
    if ids:
        db.session.execute(delete(OutcomeFollowUp).where(OutcomeFollowUp.id.in_(ids))
                           .execution_options(synchronize_session=False))
