"""What the check-in tests share: the moment at the gate."""

from __future__ import annotations

from datetime import datetime

from tests.factories import HCMC

# 08:42 on the event's first day in Ho Chi Minh City (01:42 UTC).
MORNING = datetime(2026, 12, 14, 8, 42, tzinfo=HCMC)
