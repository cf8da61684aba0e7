"""The organizer's reading of a pairwise report (floor_results.py), shared by the floor pages and the XLSX:
a judge's reliability in words, the score with its uncertainty as people read it, how long ago.

A judge's reliability is the model's alpha / (alpha + beta): a new judge starts at 10 / 11 ≈ 91 % and an
honest one stays near it, while one who votes backwards sinks towards 50 % and below within some dozens of
votes (benchmarks/bench_pairwise.py). So a judge is worth a look when clearly below the others (or below
what even a careless judge keeps); with a few votes the figure still says only what the prior said.
"""

from __future__ import annotations

import statistics
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from .. import permissions
from ..extensions import db
from ..i18n import format_fixed, format_share, format_time
from .models import Contest, Scoring

MIN_VOTES = 3  # fewer: the reliability is still the prior's
LOW = 0.7  # below this a judge agrees with the others little more than a coin would
GAP = 0.15  # this far below the panel's typical judge


def verdict(reliability: float, votes: int, typical: float | None) -> str:
    """"few" (too few votes to tell), "check" (well below the others) or "reliable"."""
    if votes < MIN_VOTES:
        return "few"
    if reliability < LOW or (typical is not None and reliability < typical - GAP):
        return "check"
    return "reliable"


def verdict_words(key: str) -> str:
    return {"few": _("too few votes to tell"), "check": _("check their votes"),
            "reliable": _("reliable")}.get(key, key)


def typical_reliability(judges) -> float | None:
    """The median reliability of the judges who have voted enough to tell."""
    known = [j.reliability for j in judges if j.votes >= MIN_VOTES]
    return statistics.median(known) if known else None


def judge_verdicts(judges) -> dict[int, str]:
    """{user id: verdict key} for a report's judges."""
    typical = typical_reliability(judges)
    return {j.user_id: verdict(j.reliability, j.votes, typical) for j in judges}


def visitors_count(row) -> int:
    visitors = row.visitors
    return visitors if isinstance(visitors, int) else len(visitors or ())


def score_text(row) -> str:
    if row.votes == 0 or row.score is None:
        return "–"
    return format_fixed(round(row.score, 2) + 0.0, 2)  # + 0.0: never "-0,00"


def sigma_text(row) -> str:
    return "–" if row.sigma is None else "± " + format_fixed(row.sigma, 2)


def bars(rows) -> dict[int, tuple[float, float, float]]:
    """{entry id: (left, width, centre)} of each voted entry's score ± uncertainty on a 0–100 scale shared
    by the whole ranking (an SVG draws it: the page's CSP forbids inline styles)."""
    voted = [r for r in rows if r.votes and r.score is not None and r.sigma is not None]
    if not voted:
        return {}
    lo = min(r.score - r.sigma for r in voted)
    hi = max(r.score + r.sigma for r in voted)
    span = (hi - lo) or 1.0

    def at(x: float) -> float:
        return round(100 * (x - lo) / span, 2)

    return {r.entry_id: (at(r.score - r.sigma), round(at(r.score + r.sigma) - at(r.score - r.sigma), 2),
                         at(r.score)) for r in voted}


def ago(moment: datetime | None, now: datetime, tz) -> str:
    """"14:05 (3 minutes ago)"; "–" when never."""
    if moment is None:
        return "–"
    minutes = max(0, int((now - moment).total_seconds() // 60))
    when = format_time(moment, tz)
    if minutes < 1:
        return _("%(time)s (just now)", time=when)
    if minutes >= 120:
        return when
    return ngettext("%(time)s (%(num)s minute ago)", "%(time)s (%(num)s minutes ago)", minutes, time=when)


def share(value: float | None) -> str:
    return format_share(value)


def sees_floor(user, event) -> bool:
    """The organizer's menu links the floor overview when the event has a contest judged on the floor."""
    if not permissions.can_manage_event(user, event):
        return False
    return db.session.scalar(db.select(Contest.id).where(
        Contest.event_id == event.id, Contest.scoring == Scoring.pairwise).limit(1)) is not None
