"""Absolute links for e-mails and documents, inside a request or outside (jobs, CLI)."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """An absolute link on BASE_URL – never on the request's Host header, which a client chooses
    (a password-reset or manage link sent to someone else's host would hand over their token)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def page_path(endpoint: str, **values) -> str:
    """A page's path on this site (no host), inside a request or outside one (a job, the command line):
    what a line of a list links to, whoever reads it later."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def calendar_host() -> str:
    """The domain of every calendar UID: BASE_URL's host, the same whichever address a request came by
    (a UID built on the Host header makes a calendar subscribed through two addresses show it all twice)."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "eventhub"


def calendar_uid(kind: str, record_id: int) -> str:
    """A stable iCalendar UID for a record: calendar apps update the entry instead of adding another."""
    return f"{kind}-{record_id}@{calendar_host()}"


def safe_local_path(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default`: "//evil.example", "https://…" and
    paths with white space or control characters (browsers drop a tab: "/\t/evil") would send
    people away (an open redirect)."""
    target = target or ""
    parts = urlsplit(target)
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target)
            or parts.scheme or parts.netloc):
        return default
    return target
