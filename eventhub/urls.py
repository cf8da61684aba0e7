"""Absolute links for e-mails and documents, inside a request or outside (jobs, CLI)."""

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def safe_local_path(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default`: "//evil.example" and "https://…"
    would send people away (an open redirect)."""
    target = target or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
