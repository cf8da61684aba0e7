"""Language choice and the local formats: dd/mm/yyyy, 24-hour times, VND."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import get_timezone_location
from babel.numbers import format_decimal, format_percent, get_decimal_symbol
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .vietnamese import format_phone, format_vnd

DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VIETNAM_ZONES = frozenset({"Asia/Ho_Chi_Minh", "Asia/Saigon"})


def select_locale() -> str:
    """?lang= (remembered in the session), then the account's choice, then Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background jobs: Vietnamese unless forced
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in languages:
        if not request.path.startswith("/api/") and session.get("lang") != asked:
            session["lang"] = asked  # only when it changes: the same choice again re-signs no cookie
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


def format_day_month(value: datetime | date | None, tz=None) -> str:
    """dd/mm, whatever the language: a day of the event where its year goes without saying (a phone's
    day selector); a datetime in the given (or Ho Chi Minh City's) time zone, a date as it is."""
    if value is None:
        return ""
    return (_local(value, tz) if isinstance(value, datetime) else value).strftime("%d/%m")


def format_date_range(start: datetime, end: datetime, tz=None) -> str:
    first, last = format_date(start, tz), format_date(end, tz)
    return first if first == last else f"{first} – {last}"


def format_long_date(value: datetime | date | None, tz=None, locale: str | None = None) -> str:
    """A date written out, as official documents date themselves after the place: "ngày 07 tháng 02 năm
    2026" in Vietnamese (the day with two digits, the month with two for January and February only, as
    Decree 30/2020/NĐ-CP asks), "7 February 2026" in English; in the current language unless one is
    given, in the given (or Ho Chi Minh City's) time zone; "" for None."""
    if value is None:
        return ""
    day = _local(value, tz).date() if isinstance(value, datetime) else value
    if (locale or current_language()) == "vi":
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return babel_format_date(day, "d MMMM y", locale=locale or current_language())


def format_number(value: int | float | None, locale: str | None = None) -> str:
    """A count or an amount as people read it: 3.175 in Vietnamese, 3,175 in English (the current
    language unless one is given); "" for None. Not for the API or CSV, which print plain numbers."""
    if value is None or value == "":
        return ""
    return format_decimal(value, format="#,##0.##", locale=locale or current_language())


def format_share(value: float | None, locale: str | None = None) -> str:
    """A fraction as a percentage people read, to one decimal at most: "62,5%" in Vietnamese, "62.5%" in
    English; "–" for None (a share of nothing). Not for the API, which gives the fraction itself."""
    if value is None:
        return "–"
    return format_percent(value, format="#,##0.#%", locale=locale or current_language())


def decimal_point(locale: str | None = None) -> str:
    """The decimal separator people read: "," in Vietnamese, "." in English."""
    return get_decimal_symbol(locale=locale or current_language())


def format_fixed(value: float | None, digits: int = 2) -> str:
    """A measure with a fixed number of decimals, as people read it: "0,637" in Vietnamese, "0.637" in
    English; "–" for None."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}".replace(".", decimal_point())


def zone_name(tz: ZoneInfo | str | None, when: datetime | None = None) -> str:
    """A time zone in words, as visitors read it: "giờ Việt Nam" / "Vietnam time" for Ho Chi Minh
    City's; another zone by its city and its UTC offset (at `when`, or now): "giờ Berlin (UTC+1)"."""
    name = str(getattr(tz, "key", tz) or DEFAULT_TZ.key)
    if name in VIETNAM_ZONES:
        return _("Vietnam time")
    try:
        zone = ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return name
    delta = (when or datetime.now(zone)).astimezone(zone).utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta is not None else 0
    sign, minutes = ("+" if minutes >= 0 else "−"), abs(minutes)
    offset = f"{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")
    if name in ("UTC", "Etc/UTC", "Etc/GMT", "GMT") or name.startswith("Etc/"):
        return "UTC" if not minutes else f"UTC{offset}"
    try:
        city = get_timezone_location(name, locale=current_language(), return_city=True)
    except (LookupError, ValueError):
        city = name.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(city)s time (UTC%(offset)s)", city=city, offset=offset if minutes else "")


def current_language() -> str:
    return str(get_locale() or "vi")


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=format_date, time=format_time, datetime=format_datetime, vnd=format_vnd,
        phone=format_phone, number=format_number, long_date=format_long_date,
        day_month=format_day_month, fixed=format_fixed,
    )
    app.jinja_env.globals.update(format_date_range=format_date_range, zone_name=zone_name,
                                 current_language=current_language)
