"""Every "may this person do this" question, in one place.

Global organizers (the department's staff) run every event of the series; a partner can be made
organizer or gate staff of one event only through an EventRole.

It sits just above accounts and imports no feature: what only a feature knows (is this person on the
contest's panel, assigned to the entry, in conflict with it) is asked of the objects it is given, through
methods the feature's models define.
"""

from __future__ import annotations

from .accounts.models import EventRoleKind, Role, User


def _is_authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _has_event_role(user: User, event, role: EventRoleKind) -> bool:
    return _has_role_for_event_id(user, event.id, role)


def _has_role_for_event_id(user: User, event_id: int, role: EventRoleKind) -> bool:
    return any(grant.event_id == event_id and grant.role == role for grant in user.event_roles)


def is_organizer(user) -> bool:
    """A global organizer: may create events and manage every event."""
    return _is_authenticated(user) and user.role == Role.organizer


def can_create_event(user) -> bool:
    return is_organizer(user)


def can_manage_event(user, event) -> bool:
    if not _is_authenticated(user):
        return False
    return is_organizer(user) or _has_event_role(user, event, EventRoleKind.organizer)


def can_check_in(user, event) -> bool:
    if not _is_authenticated(user):
        return False
    # Global roles first: they need no query, and gate staff scan hundreds of tickets an hour.
    return (user.role in (Role.organizer, Role.staff) or can_manage_event(user, event)
            or _has_event_role(user, event, EventRoleKind.staff))


def is_gate_staff(user) -> bool:
    """Gate staff of the department (every event) or of at least one event: the desk is in their menu."""
    if not _is_authenticated(user):
        return False
    return user.role == Role.staff or any(grant.role == EventRoleKind.staff for grant in user.event_roles)


def may_work_a_gate(user) -> bool:
    """Anyone who may check in at some event: global staff and organizers, and whoever has a role in one."""
    if not _is_authenticated(user):
        return False
    return user.role in (Role.organizer, Role.staff) or bool(user.event_roles)


def can_view_event(user, event) -> bool:
    """Events are public pages; kept as a question so drafts can be hidden later in one place."""
    return True


def can_view_audit(user, event) -> bool:
    return can_manage_event(user, event)


def can_manage_users(user) -> bool:
    return is_organizer(user)


def can_manage_outbox(user) -> bool:
    """The e-mails the outbox gave up on name no event: the department's (global) organizers."""
    return is_organizer(user)


def can_view_job(user, job) -> bool:
    """Who started it, or an organizer (of its event, or of every event)."""
    if not _is_authenticated(user):
        return False
    if job.created_by_id == user.id or is_organizer(user):
        return True
    return job.event_id is not None and _has_role_for_event_id(user, job.event_id, EventRoleKind.organizer)


# --- reports ---

def can_view_event_report(user, event) -> bool:
    """The summary report of one event: its organizers (global, or of that event)."""
    return can_manage_event(user, event)


def can_view_series_report(user) -> bool:
    """The series' report sums every event of a year: the department's (global) organizers only."""
    return is_organizer(user)


def can_read_survey_answers(user, event) -> bool:
    """Surveys after an event (issue 19): making, sending and reading them, text answers included – the
    event's organizers only (its gate staff and judges read none: the answers are tied to a person)."""
    return can_manage_event(user, event)


# --- organizations across the series (issue 19) ---

def can_manage_organizations(user) -> bool:
    """An organization spans every event and year: the department's (global) organizers look after them."""
    return is_organizer(user)


# --- contests ---

def can_manage_contest(user, contest) -> bool:
    """Set-up, assignment, conflicts, results before publishing: the event's organizers."""
    return can_manage_event(user, contest.event)


def can_judge_contest(user, contest) -> bool:
    return contest.has_judge(user)


def can_view_entry(user, entry) -> bool:
    """The team, the event's organizers, and judges assigned to it without a conflict."""
    if not _is_authenticated(user):
        return False
    if can_manage_contest(user, entry.contest) or entry.has_member(user):
        return True
    return entry.is_assigned_to(user.id) and not entry.is_conflicted_with(user.id)


def can_score(user, entry) -> bool:
    """Assigned to the entry in the current round and not conflicted."""
    if not _is_authenticated(user):
        return False
    return (entry.is_assigned_to(user.id, entry.contest.active_round)
            and not entry.is_conflicted_with(user.id))


# --- booths ---

def can_manage_booths(user, event) -> bool:
    """Floor plan, application review, the optimizer and placements: the event's organizers."""
    return can_manage_event(user, event)


def can_apply_for_booth(user, event) -> bool:
    """Startups apply for booths with their participant account."""
    return _is_authenticated(user) and user.role == Role.participant


def can_view_application(user, exhibitor) -> bool:
    """The startup that applied, and the event's organizers."""
    if not _is_authenticated(user):
        return False
    return exhibitor.user_id == user.id or can_manage_event(user, exhibitor.event)


# --- matchmaking ---

def can_have_match_profile(user, event=None) -> bool:
    """Investor accounts hold an investor profile, participant accounts a startup profile."""
    return _is_authenticated(user) and user.role in (Role.investor, Role.participant)


def can_manage_matchmaking(user, event) -> bool:
    """Slots, the scheduler, moving meetings and the outcome counts: the event's organizers."""
    return can_manage_event(user, event)


# Exposed to templates as `can.<name>(...)`.
TEMPLATE_PREDICATES = {
    "create_event": can_create_event,
    "manage_event": can_manage_event,
    "check_in": can_check_in,
    "view_audit": can_view_audit,
    "manage_users": can_manage_users,
    "view_event_report": can_view_event_report,
    "view_series_report": can_view_series_report,
    "manage_contest": can_manage_contest,
    "view_entry": can_view_entry,
    "score": can_score,
    "manage_booths": can_manage_booths,
    "apply_for_booth": can_apply_for_booth,
    "match_profile": can_have_match_profile,
    "manage_matchmaking": can_manage_matchmaking,
}
