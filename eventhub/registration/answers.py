"""Checking answers to a registration type's custom questions (pure: plain data in and out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

MAX_TEXT = {"short_text": 300, "long_text": 5000}


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    label: str
    kind: str
    required: bool
    options: tuple[str, ...] = ()


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def _clean_one(spec: QuestionSpec, value: Any) -> Any:
    """The cleaned value, or raises ValueError with a message for the person."""
    if spec.kind in ("short_text", "long_text"):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ValueError(_("Enter text."))
        text = str(value).strip()
        if len(text) > MAX_TEXT[spec.kind]:
            raise ValueError(_("At most %(n)d characters.", n=MAX_TEXT[spec.kind]))
        return text
    if spec.kind == "number":
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        try:
            number = float(str(value).replace(",", ".").strip())
        except ValueError as exc:
            raise ValueError(_("Enter a number.")) from exc
        if number != number or number in (float("inf"), float("-inf")) or abs(number) > 1e15:
            raise ValueError(_("Enter a number."))
        return int(number) if number.is_integer() else number
    if spec.kind == "checkbox":
        if value in (True, "true", "on", "y", "yes", "1", 1):
            return True
        if value in (False, "false", "off", "n", "no", "0", 0, None, ""):
            return False
        raise ValueError(_("Enter true or false."))
    if spec.kind == "single_choice":
        if not isinstance(value, str) or value not in spec.options:
            raise ValueError(_("Choose one of the options."))
        return value
    if spec.kind == "multiple_choice":
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(_("Choose one or more of the options."))
        if any(v not in spec.options for v in values):
            raise ValueError(_("Choose one or more of the options."))
        return [option for option in spec.options if option in values]  # in the options' order
    raise ValueError(_("Unknown question."))


def clean_answers(specs: list[QuestionSpec], given: dict[str, Any] | None
                  ) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """(answers with a copy of each question, errors keyed `answers.<key>`)."""
    given = given if isinstance(given, dict) else {}
    answers: list[dict[str, Any]] = []
    errors: dict[str, list[str]] = {}
    for spec in specs:
        raw = given.get(spec.key)
        if _is_blank(raw):
            if spec.required:
                errors[f"answers.{spec.key}"] = [_("This field is required.")]
                continue
            value: Any = False if spec.kind == "checkbox" else ([] if spec.kind == "multiple_choice"
                                                                 else None)
        else:
            try:
                value = _clean_one(spec, raw)
            except ValueError as exc:
                errors[f"answers.{spec.key}"] = [str(exc)]
                continue
            if spec.required and _is_blank(value):
                errors[f"answers.{spec.key}"] = [_("This field is required.")]
                continue
        answers.append({"key": spec.key, "label": spec.label, "kind": spec.kind, "value": value})
    return answers, errors
