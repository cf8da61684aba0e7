"""Team invitations: a member named by e-mail joins the entry by opening the e-mailed link while signed
in with that address proven. Until then the member row gives nobody access (access.is_team_member)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..audit.services import record
from ..dbtypes import MAX_ID, utcnow
from ..errors import Forbidden, ValidationError
from ..extensions import db
from .conflicts import judge_joined_team
from .models import Contest, Entry, EntryMember, EntryStatus


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="contest-team-invitation")


def invitation_token(member: EntryMember) -> str:
    # Bound to the member row and its address: a member removed from the team, or re-added under
    # another address, makes the old link useless.
    return _serializer().dumps({"m": member.id, "e": member.email_normalized})


def member_for_token(token: str) -> EntryMember:
    """The invited member row; ValidationError when the link is not (or no longer) valid."""
    try:
        data = _serializer().loads(token)
    except BadSignature as exc:
        raise ValidationError({"token": [_("This link is not valid.")]}) from exc
    member_id = data.get("m") if isinstance(data, dict) else None
    member = (db.session.get(EntryMember, member_id)
              if isinstance(member_id, int) and 0 < member_id <= MAX_ID else None)
    if member is None or member.email_normalized != data.get("e"):
        raise ValidationError({"token": [_("This invitation is no longer valid.")]})
    return member


def refusal(member: EntryMember, user) -> str | None:
    """Why `user` may not accept this invitation now, or None when they may."""
    if member.accepted_at is not None and member.user_id != user.id:
        return _("This invitation has already been accepted.")
    if user.email.lower() != member.email_normalized:
        return _("This invitation was sent to another e-mail address. Sign in with that address "
                 "to accept it.")
    if not user.email_verified:
        return _("Confirm your e-mail address first: open the link we e-mailed to you, then come back "
                 "to this invitation.")
    return None


def accept(token: str, user, *, now: datetime | None = None) -> Entry:
    """The e-mailed link: puts `user` on the team (accept_member's rules)."""
    return accept_member(member_for_token(token), user, now=now)


def accept_member(member: EntryMember, user, *, now: datetime | None = None) -> Entry:
    """Puts `user` on the team; only the invited address, proven, may. Accepting twice is harmless.
    One service for both ways in – the e-mailed link and the list on "my entries" – so their rules
    cannot drift apart."""
    # Row lock on PostgreSQL: two accounts cannot both take one seat (they could not anyway: one
    # address, one account, but the check and the write stay together).
    db.session.execute(db.select(EntryMember.id).where(EntryMember.id == member.id).with_for_update())
    db.session.refresh(member)
    problem = refusal(member, user)
    if problem:
        raise Forbidden(problem, code="invitation_refused")
    if member.accepted_at is None:
        member.user_id, member.accepted_at = user.id, now or utcnow()
        judge_joined_team(member.entry, user)
        record("entry.member_accepted", member.entry, actor=user, event=member.entry.contest.event)
        db.session.commit()
    return member.entry


def invitation_for(member_id: int, user) -> EntryMember | None:
    """The invitation `member_id` if it is addressed to the user's proven address, else None: probing ids
    must not tell an impostor which teams invited the address it signed up with."""
    member = db.session.get(EntryMember, member_id)
    if member is None or not user.email_verified or member.email_normalized != user.email.lower():
        return None
    return member


@dataclass(frozen=True)
class PendingInvitation:
    member: EntryMember
    inviter: str | None  # the name of the account that submitted the entry (None: erased meanwhile)


def pending_for(user) -> list[PendingInvitation]:
    """The invitations waiting for the signed-in account: addressed to its address, not accepted yet.
    Only once that address is proven – until then the address is no key to anything (api.md), and the
    list would show an impostor the teams that invited its real owner. This also rescues a person
    invited before they had an account who lost the e-mailed link while signing up."""
    if not getattr(user, "email_verified", False):
        return []
    members = list(db.session.scalars(
        db.select(EntryMember).join(Entry, Entry.id == EntryMember.entry_id)
        .where(EntryMember.email_normalized == user.email.lower(), EntryMember.accepted_at.is_(None),
               Entry.status == EntryStatus.submitted)
        .options(joinedload(EntryMember.entry).joinedload(Entry.contest).joinedload(Contest.event))
        .order_by(EntryMember.id.desc())))
    creator_ids = {m.entry.created_by_id for m in members if m.entry.created_by_id is not None}
    rows = db.session.execute(db.select(User.id, User.full_name).where(User.id.in_(creator_ids)))
    names = {user_id: name for user_id, name in rows}
    return [PendingInvitation(m, names.get(m.entry.created_by_id)) for m in members]
