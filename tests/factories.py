"""Factory functions with sensible defaults and overrides for the tests."""

from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from eventhub.accounts import services as accounts
from eventhub.events import services as events

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "correct-horse-42"
_counter = itertools.count(1)


def make_user(role: str = "participant", *, email: str | None = None, full_name: str | None = None,
              password: str = PASSWORD, email_verified: bool = True, **kw):
    """An account as `flask users create` makes it: its address proven (an operator vouches);
    `email_verified=False` for one made by signing up whose link has not been opened yet."""
    n = next(_counter)
    return accounts.create_user(email or f"user{n}@example.vn", password,
                                full_name or f"Nguyễn Văn Người Dùng {n}", role=role,
                                email_verified=email_verified, **kw)


def make_event(*, actor=None, **overrides):
    n = next(_counter)
    values = {
        "slug": f"event-{n}",
        "name": f"Ngày hội Khởi nghiệp {n}",
        "kind": "regional_day",
        "starts_at": datetime(2026, 12, 14, 8, 0, tzinfo=HCMC),
        "ends_at": datetime(2026, 12, 14, 17, 0, tzinfo=HCMC),
        "venue": "Nhà Văn hóa Thanh niên, Quận 1",
    }
    values.update(overrides)
    return events.create_event(actor=actor, **values)


def token_headers(user) -> dict[str, str]:
    token, _record = accounts.issue_token(user)
    return {"Authorization": f"Bearer {token}"}


def login(client, user, password: str = PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


def make_type(event, **overrides):
    from eventhub.registration import catalog

    n = next(_counter)
    values = {"code": f"type-{n}", "name": f"Khách tham quan {n}", "capacity": None, "waitlist": False,
              "requires_approval": False}
    values.update(overrides)
    return catalog.create_type(event, **values)


def make_session(event, **overrides):
    from eventhub.registration import catalog

    n = next(_counter)
    values = {"title": f"Hội thảo Đô thị thông minh {n}", "room": "Phòng A",
              "starts_at": datetime(2026, 12, 14, 9, 0, tzinfo=HCMC),
              "ends_at": datetime(2026, 12, 14, 10, 30, tzinfo=HCMC), "capacity": None,
              "speakers": ["TS. Lê Văn Tám"]}
    values.update(overrides)
    return catalog.create_session(event, **values)


def register(event, rtype, **overrides):
    """Registers someone through the service; returns (registration, manage token)."""
    from eventhub.registration import services

    n = next(_counter)
    values = {"type_code": rtype.code, "full_name": f"Trần Thị Khách {n}", "email": f"guest{n}@example.vn",
              "consent": True}
    values.update(overrides)
    return services.register(event, **values)


def open_event(**overrides):
    return make_event(registration_open=True, **overrides)
