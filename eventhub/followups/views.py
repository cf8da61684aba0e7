"""The organizers' view of an event's follow-ups: a row per question in words, totals, the XLSX."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import spreadsheets
from ..contests.recipients import award_label
from ..events.models import Event
from . import figures
from .labels import SIDE_LABELS, SUBJECT_LABELS, answers_text
from .mailing import recipient
from .models import OutcomeFollowUp, Subject


def about(followup: OutcomeFollowUp) -> str:
    """What the question is about, in words: "Meeting: Quỹ ABC – Sao Khuê"; "Award: First prize – Title"."""
    if followup.subject == Subject.meeting:
        meeting = followup.meeting
        sides = f"{meeting.investor.organization} – {meeting.startup.organization}"
        return f"{SUBJECT_LABELS['meeting']}: {sides}"
    entry = followup.entry
    level = award_label(entry.award_level.value) if entry.award_level else ""
    return f"{SUBJECT_LABELS['award']}: {level} – {entry.title}".replace(":  – ", ": ")


def rows(followups: list[OutcomeFollowUp]) -> list[dict]:
    found = []
    for followup in followups:
        person = recipient(followup)
        found.append({"followup": followup, "about": about(followup),
                      "side": str(SIDE_LABELS[followup.side]),
                      "who": (person[1] or person[0]) if person else "", "answers": answers_text(followup)})
    return found


def totals(event: Event, followups: list[OutcomeFollowUp]) -> dict[str, int]:
    values = figures.load([event.id]).get(event.id, dict.fromkeys(figures.LABELS, 0))
    return {"asked": len(followups), "answered": sum(1 for f in followups if f.answered_at is not None),
            **values}


def xlsx(event: Event, followups: list[OutcomeFollowUp]) -> bytes:
    header = [_("About"), _("Side"), _("Person asked"), _("Days after"), _("Asked"), _("Answered"),
              _("Answers"), _("Amount (VND)")]
    body = ([row["about"], row["side"], row["who"], row["followup"].days, row["followup"].asked_at,
             row["followup"].answered_at, row["answers"], row["followup"].amount] for row in rows(followups))
    return spreadsheets.people_xlsx(_("Follow-ups"), header, body, tz=event.tz)
