"""Language choice and the local formats: dd/mm/yyyy, 24-hour times, VND."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from .vietnamese import format_phone, format_vnd

DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def select_locale() -> str:
    """?lang= (remembered in the session), then the account's choice, then Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background jobs: Vietnamese unless forced
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in languages:
        if not request.path.startswith("/api/"):
            session["lang"] = asked
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    if request.path.startswith("/api/"):
        # Machines may ask for English; people get Vietnamese unless they choose.
        return request.accept_languages.best_match(languages, default="vi")
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _local(value: datetime, tz: ZoneInfo | str | None) -> datetime:
    if isinstance(tz, str):
        tz = ZoneInfo(tz)
    return value.astimezone(tz or DEFAULT_TZ) if value.tzinfo else value


def format_date(value: datetime | None, tz=None) -> str:
    """dd/mm/yyyy in the given (or Ho Chi Minh City's) time zone, whatever the language."""
    return _local(value, tz).strftime("%d/%m/%Y") if value else ""


def format_time(value: datetime | None, tz=None) -> str:
    return _local(value, tz).strftime("%H:%M") if value else ""


def format_datetime(value: datetime | None, tz=None) -> str:
    return _local(value, tz).strftime("%d/%m/%Y %H:%M") if value else ""


def format_date_range(start: datetime, end: datetime, tz=None) -> str:
    first, last = format_date(start, tz), format_date(end, tz)
    return first if first == last else f"{first} – {last}"


def current_language() -> str:
    return str(get_locale() or "vi")


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=format_date, time=format_time, datetime=format_datetime, vnd=format_vnd,
        phone=format_phone,
    )
    app.jinja_env.globals.update(format_date_range=format_date_range,
                                 current_language=current_language)
