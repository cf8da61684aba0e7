"""Reading and checking a floor plan: from the API's JSON, an uploaded JSON or CSV file, or the form.

`clean_plan` returns plain zones and booths or raises ValidationError whose fields name the offending
item (`booths.3.zone`, `booths.7`), with a message that names the booth by its code: overlapping booths,
a booth outside its zone's outline, unknown zone codes, duplicate codes, sizes that are not positive.

CSV: a header row and one row per zone or booth, `kind` telling which:
    kind,code,name,sector,zone,x,y,w,h,size,price_tier
    zone,AI,Trí tuệ nhân tạo,ai,,0,0,30,12,,
    booth,AI01,,,AI,1,1,3,3,standard,A
A zone's x, y, w, h are optional (its outline); a booth's are required.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from .. import spreadsheets
from ..errors import ValidationError
from ..vietnamese import normalize_text
from .geometry import Rect, contains, first_overlap

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
SIZE_RE = re.compile(r"^[a-z0-9][a-z0-9._x-]{0,19}$")
MAX_COORD = 10_000
MAX_SIDE = 1_000
MAX_ZONES = 100
MAX_BOOTHS = 2_000
CSV_COLUMNS = ("kind", "code", "name", "sector", "zone", "x", "y", "w", "h", "size", "price_tier")


@dataclass(frozen=True)
class ZoneData:
    code: str
    name: str
    sector: str | None
    outline: Rect | None


@dataclass(frozen=True)
class BoothData:
    code: str
    zone: str
    rect: Rect
    size: str
    price_tier: str | None


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _int(value, field: str, errors: _Errors, *, low: int, high: int, required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            errors.add(field, _("This field is required."))
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,7}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.add(field, _("Enter a whole number."))
        return None
    if not low <= value <= high:
        errors.add(field, _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high))
        return None
    return value


def _text(value, field: str, errors: _Errors, *, max_length: int, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.add(field, _("This field is required."))
        return None
    if not isinstance(value, str):
        errors.add(field, _("Enter text."))
        return None
    text = normalize_text(value)
    if len(text) > max_length or any(ord(ch) < 32 for ch in text):
        errors.add(field, _("At most %(n)d characters.", n=max_length))
        return None
    return text


def _code(value, field: str, errors: _Errors) -> str | None:
    if not isinstance(value, str) or not CODE_RE.match(value.strip()):
        errors.add(field, _("Use 1 to 20 letters, digits, dots, - or _ (e.g. A01)."))
        return None
    return value.strip()


def clean_size(value, field: str, errors: _Errors) -> str | None:
    if not isinstance(value, str) or not SIZE_RE.match(value.strip().lower()):
        errors.add(field, _("Use a size type of lower-case letters and digits (e.g. standard, 3x3)."))
        return None
    return value.strip().lower()


def _zone(index: int, item, errors: _Errors) -> ZoneData | None:
    field = f"zones.{index}"
    if not isinstance(item, dict):
        errors.add(field, _("Enter an object."))
        return None
    code = _code(item.get("code"), f"{field}.code", errors)
    name = _text(item.get("name"), f"{field}.name", errors, max_length=200, required=True)
    sector = _text(item.get("sector"), f"{field}.sector", errors, max_length=60, required=False)
    sides = [item.get(key) for key in ("x", "y", "w", "h")]
    outline = None
    if any(v not in (None, "") for v in sides):
        x = _int(sides[0], f"{field}.x", errors, low=0, high=MAX_COORD)
        y = _int(sides[1], f"{field}.y", errors, low=0, high=MAX_COORD)
        w = _int(sides[2], f"{field}.w", errors, low=1, high=MAX_COORD)
        h = _int(sides[3], f"{field}.h", errors, low=1, high=MAX_COORD)
        if None not in (x, y, w, h):
            outline = Rect(x, y, w, h)
    if code is None or name is None:
        return None
    return ZoneData(code, name, sector.lower() if sector else None, outline)


def _booth(index: int, item, errors: _Errors) -> BoothData | None:
    field = f"booths.{index}"
    if not isinstance(item, dict):
        errors.add(field, _("Enter an object."))
        return None
    before = len(errors)
    code = _code(item.get("code"), f"{field}.code", errors)
    zone = _code(item.get("zone"), f"{field}.zone", errors)
    x = _int(item.get("x"), f"{field}.x", errors, low=0, high=MAX_COORD)
    y = _int(item.get("y"), f"{field}.y", errors, low=0, high=MAX_COORD)
    w = _positive(item.get("w"), f"{field}.w", code, errors)
    h = _positive(item.get("h"), f"{field}.h", code, errors)
    size = clean_size(item.get("size"), f"{field}.size", errors)
    tier = _text(item.get("price_tier"), f"{field}.price_tier", errors, max_length=20, required=False)
    if len(errors) > before or None in (code, zone, x, y, w, h, size):
        return None
    return BoothData(code, zone, Rect(x, y, w, h), size, tier)


def _positive(value, field: str, code: str | None, errors: _Errors) -> int | None:
    number = _int(value, field, _Errors(), low=-MAX_COORD, high=MAX_COORD)
    if number is not None and number <= 0:
        errors.add(field, _("Booth %(code)s: width and height must be positive.", code=code or "?"))
        return None
    return _int(value, field, errors, low=1, high=MAX_SIDE)


def clean_plan(data) -> tuple[list[ZoneData], list[BoothData]]:
    """The plan's zones and booths, checked as a whole; ValidationError naming every offender."""
    errors = _Errors()
    if not isinstance(data, dict):
        raise ValidationError({"_schema": [_("The body must be a JSON object.")]})
    raw_zones, raw_booths = data.get("zones"), data.get("booths")
    if not isinstance(raw_zones, list) or not raw_zones:
        errors.add("zones", _("List at least one zone."))
        raw_zones = raw_zones if isinstance(raw_zones, list) else []
    if not isinstance(raw_booths, list):
        errors.add("booths", _("Enter a list."))
        raw_booths = []
    if len(raw_zones) > MAX_ZONES or len(raw_booths) > MAX_BOOTHS:
        raise ValidationError({"booths": [_("At most %(z)d zones and %(b)d booths.", z=MAX_ZONES,
                                            b=MAX_BOOTHS)]})
    zones = [_zone(i, item, errors) for i, item in enumerate(raw_zones)]
    booths = [_booth(i, item, errors) for i, item in enumerate(raw_booths)]
    seen: dict[str, int] = {}
    for index, zone in enumerate(zones):
        if zone and seen.setdefault(zone.code.lower(), index) != index:
            errors.add(f"zones.{index}.code", _("Zone code %(code)s is used twice.", code=zone.code))
    zone_by_code = {z.code: z for z in zones if z}
    seen = {}
    for index, booth in enumerate(booths):
        if booth is None:
            continue
        if seen.setdefault(booth.code.lower(), index) != index:
            errors.add(f"booths.{index}.code", _("Booth code %(code)s is used twice.", code=booth.code))
        zone = zone_by_code.get(booth.zone)
        if zone is None:
            errors.add(f"booths.{index}.zone", _("Booth %(code)s is in zone %(zone)s, which is not in "
                                                 "the plan.", code=booth.code, zone=booth.zone))
        elif zone.outline is not None and not contains(zone.outline, booth.rect):
            errors.add(f"booths.{index}", _("Booth %(code)s lies outside its zone %(zone)s.",
                                            code=booth.code, zone=booth.zone))
    valid = [(i, b) for i, b in enumerate(booths) if b is not None]
    pair = first_overlap([b.rect for _i, b in valid])
    if pair is not None:
        (_i, a), (j, b) = valid[pair[0]], valid[pair[1]]
        errors.add(f"booths.{j}", _("Booth %(a)s overlaps booth %(b)s.", a=b.code, b=a.code))
    if errors:
        raise ValidationError(dict(errors))
    return [z for z in zones if z], [b for b in booths if b]


def parse_json(raw: bytes | str) -> dict:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ValidationError({"file": [_("This file is not valid JSON.")]}) from exc
    if not isinstance(data, dict):
        raise ValidationError({"file": [_("The file must hold an object with zones and booths.")]})
    return data


def parse_csv(raw: bytes | str) -> dict:
    """The plan of a CSV file (see the module's docstring) as the JSON shape."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        rows = list(csv.DictReader(io.StringIO(text)))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ValidationError({"file": [_("This file is not a UTF-8 CSV file.")]}) from exc
    if not rows or "kind" not in rows[0] or "code" not in rows[0]:
        raise ValidationError({"file": [_("The CSV file needs the columns %(columns)s.",
                                          columns=", ".join(CSV_COLUMNS))]})
    zones, booths = [], []
    for row in rows:
        kind = (row.get("kind") or "").strip().lower()
        values = {k: spreadsheets.unneutralize((v or "").strip()) for k, v in row.items() if k in CSV_COLUMNS}
        if kind == "zone":
            zones.append({k: values.get(k) or None for k in ("code", "name", "sector", "x", "y", "w", "h")})
        elif kind == "booth":
            booths.append({k: values.get(k) or None for k in ("code", "zone", "x", "y", "w", "h", "size",
                                                               "price_tier")})
    return {"zones": zones, "booths": booths}


def plan_as_csv(zones, booths) -> str:
    """A stored plan (models) in the CSV format that parse_csv reads; names that a spreadsheet would
    run as formulas are neutralized (and parse_csv takes the quote off again)."""
    rows = [["zone", z.code, z.name, z.sector, None, z.x, z.y, z.w, z.h, None, None] for z in zones]
    rows += [["booth", b.code, None, None, b.zone.code, b.x, b.y, b.w, b.h, b.size, b.price_tier]
             for b in booths]
    return spreadsheets.csv_text(CSV_COLUMNS, rows)
