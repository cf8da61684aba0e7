"""Rate-limit keys and limits. Per-account keys stop password guessing without locking out a
venue, where hundreds of people share one public IP (CTFd #1091)."""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import logging

from flask import current_app, request

from .errors import ValidationError
from .validation import clean_email

log = logging.getLogger(__name__)


def _posted_email() -> str:
    email = ""
    if request.is_json:
        body = request.get_json(silent=True)
        if isinstance(body, dict) and isinstance(body.get("email"), str):
            email = body["email"]
    else:
        email = request.form.get("email", "")
    return email.strip().lower()[:254]


def login_account_key() -> str:
    return "account:" + (_posted_email() or request.remote_addr or "unknown")


def login_limit_per_account() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def login_limit_per_ip() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def registration_email_key() -> str:
    return "registration:" + (_posted_email() or request.remote_addr or "unknown")


def registration_limit_per_email() -> str:
    return current_app.config["REGISTRATION_LIMIT_PER_EMAIL"]


def registration_limit_per_ip() -> str:
    return current_app.config["REGISTRATION_LIMIT_PER_IP"]


def vote_token_key() -> str:
    """Per manage link: one visitor hammering the vote form, not the venue's shared address."""
    return "vote:" + str((request.view_args or {}).get("token", ""))[:200]


def vote_limit_per_token() -> str:
    return current_app.config["VOTE_LIMIT_PER_TOKEN"]


def vote_limit_per_ip() -> str:
    return current_app.config["VOTE_LIMIT_PER_IP"]


# --- anonymous registration and "lost your link?" ----------------------------------------------------
# One budget per client address across the page and the API (a shared scope), lifted for the networks a
# venue trusts (its own NAT, where hundreds of people share one address).

REGISTRATION_IP_SCOPE = "registration-ip"
RESEND_IP_SCOPE = "resend-ip"
RESEND_EMAIL_SCOPE = "resend-email"


@functools.lru_cache(maxsize=8)
def _parse_networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            log.error("RATELIMIT_TRUSTED_NETWORKS: %r is not a network (CIDR); ignored", part)
    return tuple(networks)


def trusted_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return _parse_networks(current_app.config.get("RATELIMIT_TRUSTED_NETWORKS") or "")


def from_trusted_network(remote_addr: str | None = None) -> bool:
    """True when the client's address (the request's unless given) is inside RATELIMIT_TRUSTED_NETWORKS
    (no per-IP limit then)."""
    networks = trusted_networks()
    remote_addr = remote_addr if remote_addr is not None else request.remote_addr
    if not networks or not remote_addr:
        return False
    try:
        address = ipaddress.ip_address(remote_addr.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:10.0.0.5 from a dual-stack socket is 10.0.0.5
    return any(address.version == network.version and address in network for network in networks)


def storage_options(config) -> dict:
    """Keyword arguments for the rate-limit storage, Flask-Limiter's and the sign-in throttle's alike. For
    Redis a short socket timeout (RATELIMIT_STORAGE_TIMEOUT): redis-py waits 5 s per command by default, so
    a hung Redis held every sign-in for 10 s; the callers carry on without limits when the store fails.
    Anything the operator sets in RATELIMIT_STORAGE_OPTIONS wins."""
    options: dict = {}
    uri = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if uri.split(":", 1)[0].startswith("redis"):  # redis, rediss, redis+unix, redis+sentinel, redis+cluster
        timeout = float(config.get("RATELIMIT_STORAGE_TIMEOUT") or 0.5)
        options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    options.update(config.get("RATELIMIT_STORAGE_OPTIONS") or {})
    return options


def network_of(address: str | None) -> str:
    """An IPv4 address, or an IPv6 address's /64: one IPv6 subscriber holds a whole /64 and could
    otherwise take a fresh address for every request (or every guess)."""
    raw = (address or "").split("%", 1)[0]
    try:
        parsed = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64] or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def client_network_key() -> str:
    """The requesting client's network (`network_of`), the key of per-client limits."""
    return network_of(request.remote_addr)


def resend_email_key() -> str:
    """Per address as the service reads it, so spellings of one address share one budget."""
    posted = _posted_email()
    with contextlib.suppress(ValidationError):
        posted = clean_email(posted)
    return "resend:" + (posted or request.remote_addr or "unknown")


def resend_limit_per_email() -> str:
    return current_app.config["RESEND_LIMIT_PER_EMAIL"]


def resend_limit_per_ip() -> str:
    return current_app.config["RESEND_LIMIT_PER_IP"]
