"""Booth test helpers: a small hall, startups that apply."""

from __future__ import annotations

import itertools
from datetime import datetime

from eventhub.booths import services
from tests.factories import HCMC, make_event, make_user

_counter = itertools.count(1)

# Two zones; A1 | A2 | A3 in a row (neighbours share edges), B1 far away, L1 large.
PLAN = {
    "zones": [{"code": "A", "name": "Trí tuệ nhân tạo", "sector": "ai"},
              {"code": "B", "name": "Nông nghiệp số", "sector": "agritech",
               "x": 0, "y": 10, "w": 20, "h": 10}],
    "booths": [
        {"code": "A1", "zone": "A", "x": 0, "y": 0, "w": 3, "h": 3, "size": "standard"},
        {"code": "A2", "zone": "A", "x": 3, "y": 0, "w": 3, "h": 3, "size": "standard"},
        {"code": "A3", "zone": "A", "x": 6, "y": 0, "w": 3, "h": 3, "size": "standard"},
        {"code": "B1", "zone": "B", "x": 0, "y": 12, "w": 3, "h": 3, "size": "standard", "price_tier": "A"},
        {"code": "L1", "zone": "B", "x": 10, "y": 12, "w": 6, "h": 3, "size": "large"},
    ],
}


def hall_event(*, days: int = 1, **overrides):
    event = make_event(starts_at=datetime(2026, 12, 14, 8, 0, tzinfo=HCMC),
                       ends_at=datetime(2026, 12, 13 + days, 17, 0, tzinfo=HCMC), **overrides)
    services.replace_floorplan(event, PLAN)
    return event


def startup(**kw):
    n = next(_counter)
    return make_user("participant", email=kw.pop("email", None) or f"founder{n}@startup{n:03d}.vn", **kw)


def apply(event, user=None, **overrides):
    n = next(_counter)
    values = {"organization": f"Công ty CP Sao Việt {n}", "sector": "ai", "size": "standard",
              "preferences": [], "notify": False}
    values.update(overrides)
    return services.apply(event, user or startup(), **values)
