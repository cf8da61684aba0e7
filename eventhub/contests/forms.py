"""Forms of the contest pages. Services validate; these only carry values and show errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..forms import Form

CRITERIA_HELP = _l("Write each criterion on its own line: key | name | weight | maximum score, e.g. "
                   "team | Team | 2 | 10. Pairwise comparison on the floor needs none: leave it "
                   "empty, or write the rubric of the pitch final.")


class ContestForm(Form):
    code = StringField(_l("Code"), description=_l("Lower-case letters, digits and hyphens."))
    name = StringField(_l("Name"))
    description = TextAreaField(_l("Description"))
    rules = TextAreaField(_l("Rules"))
    criteria = TextAreaField(_l("Criteria"), description=CRITERIA_HELP, render_kw={"rows": 6})
    judges_per_entry = IntegerField(_l("Judges per entry"), default=3, validators=[Optional()])
    blind = BooleanField(_l("Blind judging (judges do not see who the team is)"))
    scoring = SelectField(_l("Scoring"), choices=[
        SelectChoice("zscore", _l("Normalized per judge (z-scores)")),
        SelectChoice("raw", _l("Raw averages")),
        SelectChoice("pairwise", _l("Pairwise comparison on the exhibition floor"))],
        description=_l("Pairwise: judges walk from booth to booth and say which of two entries was better; "
                       "the ranking and each judge's reliability are worked out from their answers."))
    submission_deadline = DateTimeLocalField(_l("Submission deadline"), format="%Y-%m-%dT%H:%M",
                                             validators=[Optional()])
    judging_deadline = DateTimeLocalField(_l("Judging deadline"), format="%Y-%m-%dT%H:%M",
                                          validators=[Optional()])
    peoples_choice = BooleanField(_l("People's choice vote by checked-in visitors"))
    vote_closes_at = DateTimeLocalField(_l("Vote closes at"), format="%Y-%m-%dT%H:%M",
                                        validators=[Optional()])


def parse_criteria(text: str) -> list[dict] | str:
    """The criteria lines as dicts; text the service will refuse comes back as it is."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 4:
            return line
        key, name, weight, max_score = parts
        # each number on its own, so that only the column that is not a number is named in the error
        out.append({"key": key, "name": name, "weight": _number_or_text(weight),
                    "max_score": _number_or_text(max_score)})
    return out


def _number_or_text(text: str) -> float | str:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def _number_text(value: float) -> str:
    """Short when that is exact ("2", "7.5"), else every digit: a weight shown as 0.333333 would come
    back changed with the next save and start a new rubric version."""
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


def criteria_text(criteria) -> str:
    return "\n".join(f"{c.key} | {c.name} | {_number_text(c.weight)} | {_number_text(c.max_score)}"
                     for c in criteria)


BOOTH_HELP = _l("Optional, e.g. AI05. Needed only when the entry's organization is not the name of an "
                "exhibitor: pairwise judges are sent to the exhibitor's booth of the same name.")


class EntryForm(Form):
    title = StringField(_l("Title"))
    summary = TextAreaField(_l("Summary"))
    organization = StringField(_l("Organization"))
    team = TextAreaField(_l("Other team members"),
                         description=_l("Write each person on their own line: full name, a comma, "
                                        "then the e-mail address – e.g. Trần Văn Bình, binh@example.vn. "
                                        "Each of them gets an e-mail and can see the entry."))
    links = TextAreaField(_l("Links (demo, video)"),
                          description=_l("Write each web address on its own line."))


class OrganizerEntryForm(EntryForm):
    """What an organizer edits besides the team's fields: where the entry is shown on the floor."""

    booth_code = StringField(_l("Booth code"), description=BOOTH_HELP)


class BoothForm(Form):
    """The booth alone: organizers set it at the exhibition, after the entries have closed."""

    booth_code = StringField(_l("Booth code"), description=BOOTH_HELP)


def parse_team(text: str) -> list[dict]:
    team = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, _sep, email = line.rpartition(",")
        team.append({"full_name": name.strip(), "email": email.strip()})
    return team


class DeckForm(Form):
    file = FileField(_l("Pitch deck (PDF, at most 20 MB)"))


class JudgesForm(Form):
    emails = TextAreaField(_l("Judges' e-mail addresses"),
                           description=_l("Write each judge's e-mail address on its own line; each judge "
                                           "must already have an account."))


class ConflictForm(Form):
    reason = StringField(_l("Reason"))


@dataclass
class PostedSheet:
    """A score sheet as the judge sent it: what the service validates and the page shows again."""

    scores: dict[str, float | str]
    comment: str
    submit: bool


def parse_score_sheet(form: Mapping[str, str], criteria) -> PostedSheet:
    """`c_<key>` fields as numbers (a decimal comma too), text that is none kept for the service to
    refuse next to its field; empty fields left out; `action=submit` submits, anything else drafts."""
    scores: dict[str, float | str] = {}
    for criterion in criteria:
        text = (form.get(f"c_{criterion.key}") or "").strip().replace(",", ".")
        if not text:
            continue
        try:
            scores[criterion.key] = float(text)
        except ValueError:
            scores[criterion.key] = text
    return PostedSheet(scores=scores, comment=form.get("comment", ""), submit=form.get("action") == "submit")
