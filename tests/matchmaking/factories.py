"""Matchmaking test data: profiles of both sides, requests, slots and scheduled meetings."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from eventhub.matchmaking import profiles, requesting, scheduling, slots
from tests.factories import HCMC, make_user

_counter = itertools.count(1)
DAY = datetime(2026, 12, 14, 9, 0, tzinfo=HCMC)


def investor(event, *, user=None, **overrides):
    n = next(_counter)
    user = user or make_user("investor", email=f"quy{n}@fund.vn", full_name=f"Phạm Văn Quỹ {n}")
    values = {"kind": "investor", "organization": f"Quỹ Đầu tư Sáng tạo {n}", "sectors": ["ai", "fintech"],
              "stages": ["seed", "series_a"], "ticket_min": 1_000_000_000, "ticket_max": 10_000_000_000,
              "currency": "VND", "contactable": True, "countries": ["VN"]}
    values.update(overrides)
    return profiles.save_profile(event, user, values)


def startup(event, *, user=None, **overrides):
    n = next(_counter)
    user = user or make_user("participant", email=f"sang{n}@startup.vn", full_name=f"Lê Thị Sáng {n}")
    values = {"kind": "startup", "organization": f"Công ty CP Đổi Mới {n}", "sector": "ai", "stage": "seed",
              "seeking": "Vốn hạt giống", "amount": 5_000_000_000, "currency": "VND", "contactable": True}
    values.update(overrides)
    return profiles.save_profile(event, user, values)


def accepted(sender, recipient, message="Xin chào"):
    request = requesting.send_request(sender, recipient, message)
    return requesting.accept(request, recipient)


def make_slots(event, count=3, tables=2, start=DAY, minutes=20):
    wanted = [{"starts_at": start + timedelta(minutes=minutes * i),
               "ends_at": start + timedelta(minutes=minutes * (i + 1))} for i in range(count)]
    return slots.set_slots(event, wanted, tables)


def scheduled(event, *pairs):
    """Accepted requests for the (sender, recipient) pairs, then a scheduler run."""
    for sender, recipient in pairs:
        accepted(sender, recipient)
    return scheduling.run_scheduler(event, time_limit=2)
