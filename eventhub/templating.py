"""What every template can use: permission questions, languages, security headers."""

from __future__ import annotations

from flask import Flask, g, request, url_for
from flask_login import current_user

from . import hooks, permissions
from .i18n import register_template_helpers
from .registration.tickets import grouped_ticket_code
from .sectors import sector_label


class _Can:
    """`can.manage_event(event)` in templates asks permissions about the current user."""

    def __getattr__(self, name: str):
        predicate = permissions.TEMPLATE_PREDICATES[name]
        return lambda *args: predicate(current_user, *args)


def _url_for_lang(lang: str) -> str:
    args = {**(request.view_args or {}), **request.args.to_dict(), "lang": lang}
    return url_for(request.endpoint, **args) if request.endpoint else url_for("events.home",
                                                                               lang=lang)


def _menu_links() -> list[tuple[str, str]]:
    """The main menu's links of other features: for signed-in people only, worked out once a request."""
    if not getattr(current_user, "is_authenticated", False):
        return []
    if "menu_links" not in g:
        g.menu_links = hooks.menu_links(current_user)
    return g.menu_links


def _static_url_function():
    """`static_url(filename)`: url_for('static', …) worked out once per file (a page names six)."""
    known: dict[tuple[str, str], str] = {}

    def static_url(filename: str) -> str:
        key = (request.root_path, filename)
        found = known.get(key)
        if found is None:
            found = url_for("static", filename=filename)
            if len(known) < 256:  # a few files, under one or two mount paths
                known[key] = found
        return found

    return static_url


def init_app(app: Flask) -> None:
    register_template_helpers(app)
    app.add_template_global(_static_url_function(), "static_url")
    # `{{ reg.ticket_code|ticket_code }}`: in groups of four, for people to read out (QR codes keep it whole).
    app.add_template_filter(grouped_ticket_code, "ticket_code")
    # `{{ exhibitor.sector|sector }}`: the sector's label (booths and matchmaking share the list).
    app.add_template_filter(sector_label, "sector")

    @app.context_processor
    def _globals():
        return {"can": _Can(), "languages": app.config["LANGUAGES"],
                "url_for_lang": _url_for_lang, "menu_links": _menu_links()}

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        return response
