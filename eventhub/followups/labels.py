"""The follow-ups' words: answers, sides and subjects as people read them (codes stay in the API)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ANSWER_LABELS = {
    "nothing": _l("Nothing yet"),
    "follow_up_meeting": _l("A follow-up meeting"),
    "pilot": _l("A pilot"),
    "investment": _l("An investment"),
}
SIDE_LABELS = {"investor": _l("Investor"), "startup": _l("Startup"), "team": _l("Team member")}
SUBJECT_LABELS = {"meeting": _l("Meeting"), "award": _l("Award")}


def answers_text(followup) -> str:
    """What the row says, in words: "A pilot, An investment"; "Nothing yet"; "" when not answered."""
    if followup.answered_at is None:
        return ""
    given = followup.answers
    return ", ".join(str(ANSWER_LABELS[key]) for key in given) if given else str(ANSWER_LABELS["nothing"])
