"""Reading the organizers' survey form (a fixed number of question rows) and a respondent's answers.

The services judge every value; these only turn posted fields into the services' arguments and put the
services' errors back beside the row or the question they are about."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..errors import ValidationError
from .models import Survey

ROWS = 10  # question rows on the form; blank rows are left out
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what a datetime-local input posts


def blank_rows() -> list[dict[str, Any]]:
    return [{"kind": "rating", "label": "", "choices": "", "required": False} for _ in range(ROWS)]


def read_survey(form: MultiDict) -> tuple[dict[str, Any], list[dict[str, Any]], list[int]]:
    """(the service's arguments, the rows as typed, the row number of each question sent)."""
    rows, questions, numbers = [], [], []
    for number in range(ROWS):
        row = {"kind": form.get(f"kind-{number}", "rating"), "label": form.get(f"label-{number}", ""),
               "choices": form.get(f"choices-{number}", ""),
               "required": form.get(f"required-{number}") == "y"}
        rows.append(row)
        if not row["label"].strip():
            continue
        question = {"kind": row["kind"], "label": row["label"], "required": row["required"]}
        if row["kind"] == "choice":
            question["choices"] = [line.strip() for line in row["choices"].splitlines() if line.strip()]
        questions.append(question)
        numbers.append(number)
    session = form.get("session_id", "")
    session_id = int(session) if session.isascii() and session.isdigit() and len(session) < 10 else None
    body = {"title": form.get("title", ""), "questions": questions, "session_id": session_id}
    return body, rows, numbers


def read_closes_at(form: MultiDict, tz: ZoneInfo) -> datetime | None:
    """The optional closing time, typed in the event's time zone (as other forms of the project take
    times); None when blank. ValidationError on `closes_at` for what is not a date and time (the service
    judges whether it is in the future)."""
    text = form.get("closes_at", "").strip()
    if not text:
        return None
    try:
        typed = datetime.strptime(text, DATETIME_FORMAT)
    except ValueError:
        raise ValidationError({"closes_at": [_("Not a valid datetime value.")]}) from None
    return typed.replace(tzinfo=tz)


def row_errors(fields: dict[str, list[str]], numbers: list[int]) -> tuple[dict[str, list[str]], dict]:
    """The service's errors: those of the form itself, and {row number: {part: messages}} of the rows."""
    general: dict[str, list[str]] = {}
    rows: dict[int, dict[str, list[str]]] = {}
    for key, messages in fields.items():
        parts = key.split(".")
        in_row = len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(numbers)
        if parts[0] == "questions" and in_row:
            rows.setdefault(numbers[int(parts[1])], {})[parts[2] if len(parts) > 2 else "label"] = messages
        else:
            general[key] = messages
    return general, rows


def read_answers(form: MultiDict, survey: Survey) -> dict[str, str]:
    return {str(q.id): form.get(f"q{q.id}", "") for q in survey.questions}
