"""Password guessing, slowed without locking the owner out (issue 13, item 4).

Both doors, the sign-in page and `POST /api/v1/auth/tokens`, go through `sign_in`, so they share one set
of budgets, and only *failed* attempts are counted (a venue where hundreds sign in is not slowed):

- per account and client address (`LOGIN_FAILURES_PER_ACCOUNT_AND_IP`): the guesser's address is refused
  for that account; the owner, from any other address, is not affected;
- per client address (`LOGIN_FAILURES_PER_IP`): one address trying a password on many accounts; not for
  addresses inside `RATELIMIT_TRUSTED_NETWORKS` (the venue's own network, where everyone shares one
  address: one budget for all would let a few typos refuse the whole hall). The two budgets that name
  the account still hold there;
- per account from all addresses (`LOGIN_FAILURES_PER_ACCOUNT`): a guesser with many addresses. Past
  it the account is not locked but slowed: addresses from which the account has signed in successfully
  in the last `LOGIN_KNOWN_ADDRESS_DAYS` go on as usual, any other address gets one attempt per
  `LOGIN_ACCOUNT_SLOWDOWN` for the whole account (so the owner in a new place gets in after a wait).

The counts live in the rate-limit storage (`RATELIMIT_STORAGE_URI`, Redis when `REDIS_URL` is set), so
every worker and every server counts together; production refuses several workers without a shared
store (deployment.py). A hung Redis costs a sign-in one short socket timeout (RATELIMIT_STORAGE_TIMEOUT,
ratelimits.storage_options): after the first store error a sign-in does not try the store again.
An attempt is checked before the password is verified and counted after it, so attempts in flight at the
same moment can each pass the check: the overshoot is at most the number of requests the servers handle
at once.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import gettext as _
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ..errors import NotAuthenticated
from ..ratelimits import from_trusted_network, network_of, storage_options
from . import services

EXTENSION = "eventhub_login_throttle"
log = logging.getLogger(__name__)


def _store_errors() -> tuple[type[BaseException], ...]:
    """What an unreachable store raises: limits wraps some calls in StorageError, not all."""
    errors: list[type[BaseException]] = [StorageError, OSError]
    try:
        from redis.exceptions import RedisError
    except ImportError:  # no Redis client installed: memory:// only
        pass
    else:
        errors.append(RedisError)
    return tuple(errors)


STORE_ERRORS = _store_errors()


class TooManyFailures(Exception):
    """Refused before the password was looked at; `retry_after` in seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, int(retry_after))


@dataclass
class _Store:
    uri: str
    prefix: str
    storage: object
    windows: MovingWindowRateLimiter


def _store() -> _Store:
    """One storage per app (two apps in one process may use two stores), made on first use."""
    app = current_app._get_current_object()
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    prefix = (app.config.get("RATELIMIT_KEY_PREFIX") or "") + "eventhub-login"
    store = app.extensions.get(EXTENSION)
    if store is None or store.uri != uri or store.prefix != prefix:
        storage = storage_from_string(uri, **storage_options(app.config))
        store = _Store(uri, prefix, storage, MovingWindowRateLimiter(storage))
        app.extensions[EXTENSION] = store
    return store


def reset() -> None:
    """Forgets every count of this app's store (tests; an operator after an incident)."""
    _store().storage.reset()


def _items(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def account_key(email: str | None) -> str:
    return (email or "").strip().lower()[:254]


def _exhausted(store: _Store, setting: str, *ids: str) -> int | None:
    """Seconds until the budget has room again when it has none now, else None."""
    waits = []
    for item in _items(setting):
        if not store.windows.test(item, store.prefix, setting, *ids):
            reset_at = store.windows.get_window_stats(item, store.prefix, setting, *ids).reset_time
            waits.append(math.ceil(reset_at - time.time()))
    return max(waits) if waits else None


def _count(store: _Store, setting: str, *ids: str) -> None:
    for item in _items(setting):
        store.windows.hit(item, store.prefix, setting, *ids)


def _known_key(store: _Store, account: str, client: str) -> str:
    return f"{store.prefix}/known/{account}/{client}"


def _check(store: _Store, account: str, client: str, trusted: bool) -> None:
    wait = _exhausted(store, "LOGIN_FAILURES_PER_ACCOUNT_AND_IP", account, client)
    if wait is not None:
        raise TooManyFailures(_("Too many failed sign-ins for this account from your network. Please try "
                                "again in %(minutes)s minutes, or reset your password.",
                                minutes=math.ceil(wait / 60)), wait)
    wait = None if trusted else _exhausted(store, "LOGIN_FAILURES_PER_IP", client)
    if wait is not None:
        raise TooManyFailures(_("Too many failed sign-ins from your network. Please try again in "
                                "%(minutes)s minutes.", minutes=math.ceil(wait / 60)), wait)
    if _exhausted(store, "LOGIN_FAILURES_PER_ACCOUNT", account) is None:
        return
    if store.storage.get(_known_key(store, account, client)):
        return  # the owner's usual address is not slowed down by guessing elsewhere
    # This attempt takes the account's slot, whatever its outcome, in one atomic step per window (hit()
    # adds only when there is room): looking first and taking after let attempts sent at the same
    # instant all pass together.
    refused = [item for item in _items("LOGIN_ACCOUNT_SLOWDOWN")
               if not store.windows.hit(item, store.prefix, "LOGIN_ACCOUNT_SLOWDOWN", account)]
    if refused:
        wait = max(math.ceil(store.windows.get_window_stats(
            item, store.prefix, "LOGIN_ACCOUNT_SLOWDOWN", account).reset_time - time.time())
            for item in refused)
        raise TooManyFailures(_("This account is being guessed at from many places, so sign-ins from new "
                                "places are slowed down. Please try again in %(seconds)s seconds.",
                                seconds=max(1, wait)), wait)


def sign_in(email: str, password: str, address: str | None = None):
    """The user with these credentials, within the failure budgets; raises TooManyFailures (before the
    password is verified) or NotAuthenticated (and counts the failure)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return services.authenticate(email, password)
    store = _store()
    account = account_key(email)
    remote = address if address is not None else request.remote_addr
    client = network_of(remote)
    trusted = from_trusted_network(remote or "")
    store_up = _unless_store_down(_check, store, account, client, trusted)
    try:
        user = services.authenticate(email, password)
    except NotAuthenticated:
        if store_up:
            _unless_store_down(_count_failure, store, account, client, trusted)
        raise
    if store_up:
        _unless_store_down(_remember_address, store, account, client)
    return user


def _count_failure(store: _Store, account: str, client: str, trusted: bool) -> None:
    _count(store, "LOGIN_FAILURES_PER_ACCOUNT_AND_IP", account, client)
    if not trusted:
        _count(store, "LOGIN_FAILURES_PER_IP", client)
    _count(store, "LOGIN_FAILURES_PER_ACCOUNT", account)


def _remember_address(store: _Store, account: str, client: str) -> None:
    # The owner's own mistakes from here are forgiven; this address now counts as theirs.
    for item in _items("LOGIN_FAILURES_PER_ACCOUNT_AND_IP"):
        store.windows.clear(item, store.prefix, "LOGIN_FAILURES_PER_ACCOUNT_AND_IP", account, client)
    store.storage.incr(_known_key(store, account, client),
                       int(current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"]) * 24 * 3600)


def _unless_store_down(step, *args) -> bool:
    """Runs one step against the store; False when the store failed. Redis unreachable: people at the
    gate still sign in (argon2id still costs each guess ~0.1-1 s), and the outage is logged loudly, rather
    than every sign-in failing with a 500. The caller skips its later steps then, so a hung Redis costs
    a sign-in one socket timeout, not one per step."""
    try:
        step(*args)
    except STORE_ERRORS:
        log.exception("Rate-limit store unreachable: sign-in failure budgets are not applied")
        return False
    return True
