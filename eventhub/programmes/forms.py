"""The programme form read by hand: its fields and a grid of targets (one row per indicator, one number per
year), into the body the services take – so the page and the API obey the same rules."""

from __future__ import annotations

import math

from flask_babel import gettext as _

from .labels import indicators

EMPTY_ROWS = 3  # blank rows under the filled ones, so that no JavaScript is needed to add one


def _int(text: str) -> int | str:
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else text


def read(form, years: list[int]) -> tuple[dict, dict[str, str]]:
    """(body for services.save, {cell name: message}) – a cell that is not a number is refused here."""
    cell_errors: dict[str, str] = {}
    targets = []
    rows = sorted({int(name.split("-")[1]) for name in form if name.startswith("indicator-")
                   and name.split("-")[1].isdigit() and len(name.split("-")[1]) <= 3})
    for row in rows:
        indicator = form.get(f"indicator-{row}", "")
        for year in years:
            name = f"target-{row}-{year}"
            text = (form.get(name) or "").strip().replace(",", ".")
            if not text:
                continue
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value < 0:
                cell_errors[name] = _("Enter a number, 0 or more.")
            elif indicator:
                targets.append({"indicator": indicator, "year": year, "target": value})
            else:
                cell_errors[f"indicator-{row}"] = _("Choose an indicator for this row.")
    body = {"code": form.get("code", ""), "name": form.get("name", ""),
            "start_year": _int(form.get("start_year", "")), "end_year": _int(form.get("end_year", "")),
            "targets": targets}
    return body, cell_errors


def grid(form, years: list[int]) -> list[dict]:
    """The rows to show again after a refused post, under their own numbers (so that a cell's message
    finds its cell), then blank rows."""
    rows = []
    for name in form:
        number = name.split("-")[1] if name.startswith("indicator-") else ""
        if number.isdigit() and len(number) <= 3:
            values = {year: form.get(f"target-{number}-{year}", "") for year in years}
            if form.get(name) or any(values.values()):
                rows.append({"index": int(number), "indicator": form.get(name), "values": values})
    return rows + blank_rows(max((row["index"] for row in rows), default=-1) + 1)


def from_programme(programme) -> list[dict]:
    """The saved targets as rows, one per indicator in the report's order, then blank rows."""
    by_indicator: dict[str, dict[int, str]] = {}
    for target in programme.targets:
        value = target.target
        by_indicator.setdefault(target.indicator, {})[target.year] = \
            str(int(value)) if float(value).is_integer() else str(value)
    rows = [{"index": i, "indicator": key, "values": by_indicator[key]}
            for i, key in enumerate(k for k in indicators() if k in by_indicator)]
    return rows + blank_rows(len(rows))


def blank_rows(start: int) -> list[dict]:
    return [{"index": start + n, "indicator": "", "values": {}} for n in range(EMPTY_ROWS)]
