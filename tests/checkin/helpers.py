"""What the check-in tests share: the moment at the gate, and the times of offline scans."""

from __future__ import annotations

from datetime import datetime

from tests.factories import HCMC

# 08:42 on the event's first day in Ho Chi Minh City (01:42 UTC).
MORNING = datetime(2026, 12, 14, 8, 42, tzinfo=HCMC)


def at(hour: int, minute: int, day: int = 14) -> str:
    """An offline scan's `scanned_at`: that time on 14 (or `day`) December 2026 in Ho Chi Minh City."""
    return datetime(2026, 12, day, hour, minute, tzinfo=HCMC).isoformat()
