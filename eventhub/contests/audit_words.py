"""How the audit log reads contests' entries: contests, entries, judges, conflicts, awards (issue 16).

An entry is named by its title, a contest by its name, a judge by their name now (never the address
the entry stored), a conflict by its judge and entry."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..audit.words import (
    EMPTY,
    Words,
    emails_of,
    ids_of,
    ints,
    labelled,
    load_names,
    load_rows,
    load_users,
    names_of,
    person,
    user_by_email,
)
from ..extensions import db
from .models import Conflict, Contest, Entry
from .recipients import award_label

CONTEST_FIELDS = {
    "name": _l("name"), "code": _l("short code"), "description": _l("description"), "rules": _l("rules"),
    "submission_deadline": _l("submission deadline"), "judging_deadline": _l("judging deadline"),
    "judges_per_entry": _l("judges per entry"), "scoring": _l("scoring"), "blind": _l("blind judging"),
    "peoples_choice": _l("people's choice vote"), "vote_closes_at": _l("vote closing time"),
    "criteria": _l("criteria"), "zscore": _l("score normalisation"),
}
CONFLICT_STATUSES = {"pending": _l("Waiting for a decision"), "confirmed": _l("Confirmed"),
                     "dismissed": _l("Dismissed")}


def _load(entries, context) -> None:
    entry_ids = ids_of(entries, object_type="entry") | ids_of(entries, key="entry_id")
    entry_ids |= ids_of(entries, key="entries", actions=("contest.promoted",))
    for entry in entries:
        if entry.action == "contest.awards":
            entry_ids |= ints(list((entry.changes or {}).get("awards") or {}))
    load_names(context, "entry", Entry.title, entry_ids)
    load_names(context, "contest", Contest.name, ids_of(entries, object_type="contest"))
    conflicts = ids_of(entries, object_type="conflict")
    if conflicts:
        load_rows(context, "conflict", db.select(Conflict.id, Entry.title, User.full_name)
                  .join(Entry, Entry.id == Conflict.entry_id).join(User, User.id == Conflict.user_id)
                  .where(Conflict.id.in_(conflicts)), lambda row: (row[1], person(row[2])))
    load_users(context, ids=ids_of(entries, key="user_id") | ids_of(entries, key="user_ids"),
               emails=emails_of(entries, "judge") | emails_of(entries, "emails"))


def _name(entry, context) -> str:
    if entry.object_type == "entry":
        return context.name("entry", entry.object_id, (entry.changes or {}).get("title"))
    if entry.object_type == "contest":
        return context.name("contest", entry.object_id)
    return ""


def _entry_and_judge(entry, context) -> dict:
    changes = entry.changes or {}
    found = None
    if entry.object_type == "conflict":
        found = context.names.get(("conflict", int(entry.object_id or 0)))
    if isinstance(found, tuple):
        return {"entry": found[0], "judge": found[1]}
    judge = (user_by_email(context, changes["judge"]) if "judge" in changes
             else context.name("user", changes.get("user_id")) if "user_id" in changes else EMPTY)
    return {"entry": context.name("entry", changes.get("entry_id")), "judge": judge}


def _judges(entry, context) -> dict:
    changes = entry.changes or {}  # by number; entries recorded before by address
    names = [context.name("user", u) for u in changes.get("user_ids") or []]
    names += [user_by_email(context, e) for e in changes.get("emails") or []]
    return {"judges": ", ".join(names) or EMPTY}


def _award(entry, context) -> dict:
    level = (entry.changes or {}).get("award_level")
    return {"award": award_label(level) if level else _("no award")}


def _promoted(entry, context) -> dict:
    changes = entry.changes or {}
    return {"round": changes.get("round", EMPTY), "count": len(changes.get("entries") or [])}


def _awards(value, context) -> str:
    if not isinstance(value, dict) or not value:
        return EMPTY
    return "; ".join(f"{context.name('entry', key)}: {award_label(level) if level else _('no award')}"
                     for key, level in value.items())


def _fields(value, context) -> str:
    if not isinstance(value, list):
        return EMPTY
    return ", ".join(str(CONTEST_FIELDS.get(key, _("other settings"))) for key in value) or EMPTY


words = Words(_l("Contests"), name=_name, load=_load)
say = words.say
say("entry.submitted", _l("%(actor)s submitted the entry “%(object)s”"), hide=("title",))
say("entry.updated", _l("%(actor)s edited the entry “%(object)s”"))
say("entry.withdrawn", _l("%(actor)s withdrew the entry “%(object)s”"))
say("entry.deck_uploaded", _l("%(actor)s uploaded the pitch deck of “%(object)s”"), hide=("size",))
say("entry.member_accepted", _l("%(actor)s joined the team of “%(object)s”"))
say("entry.booth", _l("%(actor)s set the booth of “%(object)s”"))
say("contest.created", _l("%(actor)s created the contest %(object)s"), hide=("code",))
say("contest.updated", _l("%(actor)s changed the settings of the contest %(object)s"))
say("contest.published", _l("%(actor)s published the results of %(object)s"))
say("contest.unpublished", _l("%(actor)s withdrew the published results of %(object)s"))
say("contest.award", _l("%(actor)s set the award of “%(object)s”: %(award)s"), params=_award,
    hide=("award_level",))
say("contest.awards", _l("%(actor)s changed the awards of %(object)s"))
say("contest.promoted", _l("%(actor)s moved %(count)s entries of %(object)s on to round %(round)s"),
    params=_promoted, hide=("round",))
say("contest.criteria", _l("%(actor)s changed the scoring criteria of %(object)s"))
say("contest.judges_added", _l("%(actor)s added judges to %(object)s: %(judges)s"), params=_judges,
    hide=("emails", "user_ids"))
say("contest.judge_removed", _l("%(actor)s removed %(judge)s from the judges of %(object)s"),
    params=_entry_and_judge, hide=("user_id",))
say("contest.assigned", _l("%(actor)s assigned the judges of %(object)s to its entries"))
say("contest.assignment_added", _l("%(actor)s gave “%(entry)s” to the judge %(judge)s"),
    params=_entry_and_judge, hide=("entry_id", "judge", "user_id"))
say("contest.assignment_removed", _l("%(actor)s took “%(entry)s” from the judge %(judge)s"),
    params=_entry_and_judge, hide=("entry_id", "user_id"))
say("conflict.declared", _l("%(actor)s declared a conflict of interest with “%(entry)s”"),
    params=_entry_and_judge, hide=("entry_id",))
say("conflict.added", _l("%(actor)s recorded a conflict of interest between %(judge)s and “%(entry)s”"),
    params=_entry_and_judge, hide=("entry_id", "judge", "user_id"))
say("conflict.decided", _l("%(actor)s decided on the conflict of interest between %(judge)s and "
                           "“%(entry)s”"), params=_entry_and_judge)
say("conflict.withdrawn", _l("%(actor)s withdrew their conflict of interest with “%(entry)s”"),
    params=_entry_and_judge)

field = words.field
field("fields", _l("Changed"), _fields)
field("rubric_version", _l("Criteria version"))
field("sheets_to_rescore", _l("Score sheets to redo"))
field("awards", _l("Awards"), _awards)
field("round", _l("Round"))
field("version", _l("Criteria version"))
field("entries", _l("Entries"), names_of("entry"))
field("pairs", _l("Judge–entry pairs"))
field("status", _l("Decision"), labelled(CONFLICT_STATUSES))
field("locked", _l("Locked"))
field("booth", _l("Booth"))


def plug_in(hooks) -> None:
    for prefix in ("entry.", "contest.", "conflict."):
        hooks.add_audit_words(prefix, words)
