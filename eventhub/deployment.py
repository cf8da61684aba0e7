"""Settings that would make a running EventHub unsafe stop it at start-up, with a message that says what
to set, rather than serve (issue 13, items 4 and 10).

Only the development and testing configurations, chosen explicitly, may run with the public default
`SECRET_KEY`; every other start (no `EVENTHUB_CONFIG` at all is production) needs a real key. And rate
limits kept in a process's memory are per process: several web workers would each keep their own
count, multiplying every budget, so production refuses `memory://` when it can see several workers.
"""

from __future__ import annotations

import os
import sys

from .config import DEFAULT_SECRET_KEY, DevelopmentConfig, TestingConfig

# Keys printed in this repository: anyone can read them, so they sign nothing in a real deployment.
PUBLIC_KEYS = frozenset({DEFAULT_SECRET_KEY, TestingConfig.SECRET_KEY})
# Shorter keys can be guessed offline from any signed value an attacker holds (a session cookie, a
# calendar-feed link); 16 characters is a floor, the README asks for 64 hex characters.
MIN_KEY_LENGTH = 16
NEW_KEY_HINT = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


class UnsafeSettings(RuntimeError):
    """EventHub will not start with these settings; the message says what to change."""


def is_relaxed(config: type) -> bool:
    """Development and testing: chosen explicitly, on a developer's machine or in the test suite."""
    return issubclass(config, DevelopmentConfig | TestingConfig)


def check(settings, config: type) -> None:
    """Raises UnsafeSettings when `settings` (an app's config) must not serve."""
    if is_relaxed(config):
        return
    _check_key("SECRET_KEY", settings.get("SECRET_KEY"), required=True)
    _check_key("TICKET_KEY", settings.get("TICKET_KEY"), required=False)  # unset: derived from SECRET_KEY
    _check_rate_limit_storage(settings)


def _check_key(name: str, value, *, required: bool) -> None:
    value = value if isinstance(value, str) else ("" if value is None else str(value))
    if not value.strip():
        if required:
            raise UnsafeSettings(
                f"EventHub refuses to start: {name} is empty. Set {name} in the environment (or .env) to a "
                f"long random value, e.g. the output of `{NEW_KEY_HINT}`. For a trial on your own machine, "
                "set EVENTHUB_CONFIG=development instead.")
        return
    if value in PUBLIC_KEYS:
        raise UnsafeSettings(
            f"EventHub refuses to start: {name} is the default printed in EventHub's source code, so "
            "anyone can forge what it signs (sessions, manage links, calendar feeds, tickets). Set "
            f"{name} to a long random value, e.g. the output of `{NEW_KEY_HINT}`. For a trial on your "
            "own machine, set EVENTHUB_CONFIG=development instead.")
    if len(value) < MIN_KEY_LENGTH:
        raise UnsafeSettings(
            f"EventHub refuses to start: {name} has {len(value)} characters, fewer than {MIN_KEY_LENGTH}; "
            f"a key that short can be guessed. Use e.g. the output of `{NEW_KEY_HINT}`.")


def _check_rate_limit_storage(settings) -> None:
    if not settings.get("RATELIMIT_ENABLED", True):
        return  # no limits, nothing to share (benchmark rigs); never advised for a public server
    uri = settings.get("RATELIMIT_STORAGE_URI") or "memory://"
    if not uri.startswith("memory://"):
        return
    workers, source = server_processes()
    if workers > 1:
        raise UnsafeSettings(
            f"EventHub refuses to start: {workers} web worker processes ({source}) would each keep their own "
            "rate-limit counts in memory, so every log-in and registration limit would be "
            f"{workers} times looser than configured. Set REDIS_URL (or RATELIMIT_STORAGE_URI) to a Redis "
            "that every worker reaches, e.g. REDIS_URL=redis://127.0.0.1:6379/0, or run a single worker.")


def server_processes() -> tuple[int, str]:
    """How many processes serve this app, as far as can be seen from inside one of them, and how that
    was learnt. 1 when nothing says more (the `flask` command, `flask run`, a test)."""
    workers = _gunicorn_workers()
    if workers is not None:
        return workers, "gunicorn's workers setting"
    uwsgi = sys.modules.get("uwsgi")
    if uwsgi is not None and isinstance(getattr(uwsgi, "numproc", None), int):
        return uwsgi.numproc, "uWSGI's processes setting"
    mod_wsgi = sys.modules.get("mod_wsgi")
    if mod_wsgi is not None and isinstance(getattr(mod_wsgi, "maximum_processes", None), int):
        return mod_wsgi.maximum_processes, "mod_wsgi's processes setting"
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    if raw.isdigit():
        return int(raw), "WEB_CONCURRENCY"
    return 1, "one process"


def _gunicorn_workers() -> int | None:
    """The `workers` gunicorn actually runs with (command line, GUNICORN_CMD_ARGS, config file and
    WEB_CONCURRENCY already merged by gunicorn itself), read from the gunicorn object that is loading
    this app: its worker (or, with --preload, its arbiter) is on the call stack while the app is built."""
    if "gunicorn" not in sys.modules:
        return None
    try:
        from gunicorn.app.base import BaseApplication
        from gunicorn.arbiter import Arbiter
        from gunicorn.workers.base import Worker
    except ImportError:
        return None
    frame = sys._getframe(1)
    while frame is not None:
        holder = frame.f_locals.get("self")
        if isinstance(holder, BaseApplication | Arbiter | Worker):
            cfg = getattr(holder, "cfg", None)
            if cfg is not None:
                return int(cfg.workers)
        frame = frame.f_back
    return None
