"""What a job is called on its page and on the cockpit; features add their kinds."""

from __future__ import annotations

JOB_LABELS: dict[str, object] = {}
