"""The matchmaking settings, read from the app's config (or the environment) with sane defaults."""

from __future__ import annotations

import os

from flask import current_app

DEFAULTS = {
    "USD_TO_VND": 25_000,  # VND per USD, for comparing amounts and ticket sizes
    # Pending outgoing requests a profile may have at once: a guard against spam, not a quota (api.md
    # sets none; an investor asking every startup of a large event for a meeting is fine).
    "MATCH_PENDING_CAP": 100,
    "MATCH_SCHEDULER_SECONDS": 8.0,  # the scheduler's time limit
    "MEETING_REMINDER_MINUTES": 60,  # both sides are reminded this long before a meeting; 0 = off
}


def setting(name: str):
    value = current_app.config.get(name)
    if value is None:
        value = os.environ.get(name)
    if value is None:
        return DEFAULTS[name]
    return type(DEFAULTS[name])(value)


def usd_to_vnd() -> int:
    return setting("USD_TO_VND")


def pending_cap() -> int:
    return setting("MATCH_PENDING_CAP")


def scheduler_seconds() -> float:
    return setting("MATCH_SCHEDULER_SECONDS")


def meeting_reminder_minutes() -> int:
    return setting("MEETING_REMINDER_MINUTES")
