"""One event with everything in it, the people of every role, and URL arguments for every route.

Used by the permission matrix and the CSRF and header tests: a route's URL is built from the rule's
argument names (`slug`, `reg_id`, `token`, …), so a new route needs at most a new entry in ARGUMENTS.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect

from eventhub import storage
from eventhub.accounts import passwords
from eventhub.accounts import services as accounts
from eventhub.accounts.models import EventRole
from eventhub.checkin import services as checkin
from eventhub.extensions import db
from eventhub.jobs.models import Job, JobState
from eventhub.registration import catalog
from tests.factories import make_type, make_user, open_event, register

XSS = "<script>alert('xss')</script>\"><img src=x onerror=alert(1)>{{ 7*7 }}"
ROLES = ("anonymous", "participant", "staff", "judge", "investor", "organizer", "other_organizer",
         "global_organizer")
LOGGED_IN = frozenset(ROLES) - {"anonymous"}
MANAGERS = frozenset({"organizer", "global_organizer"})
# Check-in: the event's staff and managers, and global staff (none of our roles here).
DESK = MANAGERS | {"staff"}


@dataclass
class World:
    event: Any
    other_event: Any
    rtype: Any
    question: Any
    session: Any
    registration: Any
    manage_token: str
    other_registration: Any
    other_token: str
    checkin: Any
    grant: Any
    job: Any
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)  # objects of features that landed later
    elsewhere: dict[str, Any] = field(default_factory=dict)  # the other event's objects (ids)


_HASHES: dict[str, str] = {}
_real_hash = passwords.hash_password


def _cached_hash(password: str) -> str:
    """The world's accounts share one password: hash it once, not thirteen times a world."""
    if password not in _HASHES:
        _HASHES[password] = _real_hash(password)
    return _HASHES[password]


def build_world() -> World:
    from unittest import mock

    with mock.patch.object(accounts, "hash_password", _cached_hash):
        return _build_world()


def _build_world() -> World:
    # Free text carries markup everywhere it is not compared with: every page the header test renders
    # must show it as text (an unescaped <script> or on…= would be flagged there as inline script).
    event = open_event(slug="startup-week", name="Tuần lễ Khởi nghiệp – Đổi mới sáng tạo",
                       venue=f"Nhà Văn hóa Thanh niên {XSS}")
    other_event = open_event(slug="ai-day", name="Ngày hội Trí tuệ nhân tạo")
    rtype = make_type(event, code="visitor", name="Khách tham quan", capacity=100)
    far_type = make_type(other_event, code="visitor", name="Khách")
    question = catalog.add_question(rtype, key="company_size", label="Quy mô công ty", kind="short_text")
    session = catalog.create_session(event, title="Hội thảo Đô thị thông minh", room="Phòng A",
                                     starts_at=event.starts_at, ends_at=event.ends_at, capacity=None,
                                     speakers=[])
    reg, token = register(event, rtype, full_name="Nguyễn Thị Quý Trúc", email="truc@example.vn",
                          organization=f"Công ty {XSS}", answers={"company_size": f"10 {XSS}"}, notify=False)
    other_reg, other_token = register(event, rtype, full_name="Lê Văn Dũng", email="dung@example.vn",
                                      answers={"company_size": "5"}, notify=False)
    users = {
        "participant": make_user("participant", email="participant@example.vn"),
        "staff": make_user("participant", email="staff@example.vn"),
        "judge": make_user("judge", email="judge@example.vn"),
        "investor": make_user("investor", email="investor@example.vn"),
        "organizer": make_user("participant", email="organizer@example.vn"),
        "other_organizer": make_user("participant", email="other-organizer@example.vn"),
        "global_organizer": make_user("organizer", email="global@example.vn"),
    }
    accounts.grant_event_role(users["staff"], event, "staff")
    accounts.grant_event_role(users["organizer"], event, "organizer")
    accounts.grant_event_role(users["other_organizer"], other_event, "organizer")
    grant = db.session.scalar(db.select(EventRole).where(EventRole.user_id == users["staff"].id))
    done = checkin.check_in_registration(event, other_reg, staff=users["staff"])
    # A finished badge job with its file (made directly: rendering real badges for every world is slow).
    params = {"event_id": event.id, "layout": "a6", "type": None, "status": "confirmed"}
    job = Job(kind="badges", params=params, created_by_id=users["organizer"].id, event_id=event.id,
              state=JobState.done, total=2, done=2, result_filename="badges.pdf",
              result_mimetype="application/pdf")
    db.session.add(job)
    db.session.flush()
    job.result_key = storage.put(f"jobs/{job.id}/badges.pdf", b"%PDF-1.4\n%%EOF\n")
    db.session.commit()
    world = World(event=event, other_event=other_event, rtype=rtype, question=question, session=session,
                  registration=reg, manage_token=token, other_registration=other_reg, other_token=token,
                  checkin=done, grant=grant, job=job, users=users)
    world.other_token = other_token
    # The other event's own objects, to ask for them under this event's address (test_cross_event).
    far_question = catalog.add_question(far_type, key="team_size", label="Số người", kind="short_text")
    far_session = catalog.create_session(other_event, title="Hội thảo AI", room="Phòng B",
                                         starts_at=other_event.starts_at, ends_at=other_event.ends_at,
                                         capacity=None, speakers=[])
    far_reg, _far_token = register(other_event, far_type, full_name="Đặng Hoài Nam", email="nam@example.vn",
                                   answers={"team_size": "3"}, notify=False)
    far_checkin = checkin.check_in_registration(other_event, far_reg, staff=users["global_organizer"])
    far_grant = db.session.scalar(db.select(EventRole).where(
        EventRole.user_id == users["other_organizer"].id))
    world.elsewhere = {"reg_id": far_reg.id, "type_id": far_type.id, "question_id": far_question.id,
                       "session_id": far_session.id, "checkin_id": far_checkin.id, "grant_id": far_grant.id,
                       "email": far_reg.email, "name": far_reg.full_name}
    for hook in WORLD_HOOKS:
        hook(world)
    # Detached, with every column loaded: the world's ids and names stay readable after a request
    # deletes or changes its rows (revoking a grant, erasing a registration).
    everything = [*vars(world).values(), *world.users.values(), *world.extra.values()]
    for value in everything:
        for obj in value if isinstance(value, list) else [value]:
            if hasattr(obj, "_sa_instance_state") and inspect(obj).expired_attributes:
                db.session.refresh(obj)
    db.session.expunge_all()
    return world


# Features that land later add a function here that puts their objects into `world.extra`.
WORLD_HOOKS: list = []


def _install_feature_hooks() -> None:
    from .feature_world import install

    install(WORLD_HOOKS)


def reset_token(world: World) -> str:
    return accounts.make_reset_token(world.users["participant"])


# How each URL argument is filled in: (argument, a piece of the rule's path or "") → f(world, endpoint).
# The most specific match wins; `world.extra` holds the objects of features that landed later.
def _extra(key: str, attribute: str = "id"):
    def get(world: World, endpoint: str):
        if key not in world.extra:
            raise LookupError(key)
        return getattr(world.extra[key], attribute)
    return get


ARGUMENTS: dict[tuple[str, str], Any] = {
    ("slug", ""): lambda w, e: w.event.slug,
    ("code", ""): lambda w, e: w.rtype.code,
    ("code", "/booths/<code>"): _extra("booth", "code"),
    ("code", "/programmes/<code>"): _extra("programme", "code"),
    ("org_id", ""): _extra("organization"),
    ("reg_id", ""): lambda w, e: w.registration.id,
    ("id", "/registrations/<int:id>"): lambda w, e: w.registration.id,
    ("id", "/contests/<int:id>"): _extra("contest"),
    ("id", "/entries/<int:id>"): _extra("entry"),
    ("id", "/my/invitations/<int:id>"): _extra("invitation"),
    ("id", "/conflicts/<int:id>"): _extra("conflict"),
    ("id", "/judge/entries/<int:id>"): _extra("entry"),
    ("id", "/exhibitors/<int:id>"): _extra("exhibitor"),
    ("exhibitor_id", ""): _extra("exhibitor"),
    ("serial", ""): _extra("certificate", "serial"),
    ("kind", "/certificates/templates/<kind>"): _extra("certificate", "kind"),
    ("kind", "/ob/events/<slug>/<kind>"): _extra("certificate", "kind"),
    ("asset_id", ""): _extra("asset"),
    ("meeting_id", ""): _extra("meeting"),
    ("id", "/meetings/<int:id>"): _extra("meeting"),
    ("request_id", ""): _extra("meeting_request"),
    ("id", "/meeting-requests/<int:id>"): _extra("meeting_request"),
    ("profile_id", ""): _extra("profile"),
    ("token", "/matchmaking/calendar/<token>"): lambda w, e: _feed_token(w),
    ("token", "/r/<token>/certificates/"): lambda w, e: w.other_token,  # the checked-in holder's link
    ("token", "/registrations/confirm/"): lambda w, e: _email_token(w),
    ("token", "/account/verify/"): lambda w, e: _verify_token(w),
    ("token", "/contests/invitations/"): lambda w, e: _invitation_token(w),
    ("message_id", ""): _extra("message"),
    ("token", "/unsubscribe/"): lambda w, e: _unsubscribe_token(w),
    ("token", "/follow-ups/"): lambda w, e: w.extra["followup_token"],
    ("survey_id", ""): _extra("survey"),
    ("token", "/surveys/"): lambda w, e: w.extra["survey_token"],
    ("checkin_id", ""): lambda w, e: w.checkin.id,
    ("type_id", ""): lambda w, e: w.rtype.id,
    ("question_id", ""): lambda w, e: w.question.id,
    ("session_id", ""): lambda w, e: w.session.id,
    ("grant_id", ""): lambda w, e: w.grant.id,
    ("job_id", ""): lambda w, e: w.job.id,
    ("action", ""): lambda w, e: "cancel",
    ("filename", ""): lambda w, e: "css/eventhub.css",
    ("token", ""): lambda w, e: reset_token(w) if e == "accounts.reset_password" else w.manage_token,
}


def _verify_token(world: World) -> str:
    """The participant's own link proving their address (only they, signed in, may use it)."""
    user = world.users["participant"]
    return accounts.make_verify_token(user, user.email)


def _invitation_token(world: World) -> str:
    """An invitation to the team of an entry, sent to the participant's address (only they may accept)."""
    from eventhub.contests.invitations import invitation_token

    return invitation_token(world.extra["invitation"])


def _unsubscribe_token(world: World) -> str:
    from eventhub.messaging.services import make_unsubscribe_token

    return make_unsubscribe_token(world.registration.email)


def _email_token(world: World) -> str:
    from eventhub.registration.tickets import make_email_token

    return make_email_token(world.registration.id, world.registration.manage_nonce)


def _feed_token(world: World) -> str:
    if "investor_profile" not in world.extra:
        raise LookupError("investor_profile")
    from eventhub.matchmaking.ical import feed_token

    return feed_token(world.extra["investor_profile"])


def _argument(name: str, rule, world: World, strict: bool):
    choices = getattr(rule._converters.get(name), "items", None)
    if choices:  # an `any(a, b)` converter: the first choice, or the table's when it is one of them
        wanted = ARGUMENTS.get((name, ""), lambda w, e: None)(world, rule.endpoint)
        return wanted if wanted in choices else sorted(choices)[0]
    matches = [(piece, get) for (arg, piece), get in ARGUMENTS.items() if arg == name and piece in rule.rule]
    if not matches:
        if strict:
            raise AssertionError(f"{rule.endpoint} ({rule.rule}) has an argument {name!r}: add how to fill "
                                 "it to ARGUMENTS in tests/support/world.py")
        return _placeholder(rule, name)
    _piece, get = max(matches, key=lambda m: len(m[0]))
    try:
        value = get(world, rule.endpoint)
    except LookupError as missing:
        if strict:
            raise AssertionError(f"{rule.endpoint} ({rule.rule}) needs a {missing} in the world: add it "
                                 "in WORLD_HOOKS (tests/support/world.py)") from None
        return _placeholder(rule, name)
    if isinstance(value, enum.Enum):
        value = value.value
    return value


def _placeholder(rule, name: str):
    converter = rule._converters.get(name)
    return 1 if type(converter).__name__.endswith("IntConverter") else "x"


def url_for_rule(app, rule, world: World, *, strict: bool = False) -> str:
    """The rule's URL with the world's objects; `strict`: fail when an argument has no object."""
    values = {name: _argument(name, rule, world, strict) for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def sign_in(client, user) -> None:
    """Signs `client` in as `user` the way the log-in form does, without paying for the password hash."""
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}.{user.session_key}"
        session["_fresh"] = True


_install_feature_hooks()
