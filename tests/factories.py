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
              password: str = PASSWORD, **kw):
    n = next(_counter)
    return accounts.create_user(email or f"user{n}@example.vn", password,
                                full_name or f"Nguyễn Văn Người Dùng {n}", role=role, **kw)


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
