"""Rate-limit keys and limits. Per-account keys stop password guessing without locking out a
venue, where hundreds of people share one public IP (CTFd #1091)."""

from __future__ import annotations

from flask import current_app, request


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
