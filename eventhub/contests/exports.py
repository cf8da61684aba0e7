"""XLSX export of every score of a round: one row per judge and entry, one column per criterion.

Written with `eventhub.spreadsheets`: entry titles, names, comments and criterion names are people's
text and are never read as formulas; scores are numbers, times are dates in the event's time zone.
Each sheet is a table for people (`spreadsheets.write_table`): headers in the reader's language, states
as words, fitted columns, a frozen header and a filter.
"""

from __future__ import annotations

from flask_babel import gettext as _

from .. import spreadsheets
from ..accounts.models import User
from ..extensions import db
from .models import Contest, ContestRound, Entry, Score
from .results import contest_results


def _state(value: str) -> str:
    return {"draft": _("Draft"), "submitted": _("Submitted")}.get(value, value)


def scores_xlsx(contest: Contest, round_: ContestRound | None = None) -> bytes:
    round_ = round_ or contest.active_round
    report = contest_results(contest, round_, detail=True)
    criteria = round_.criteria
    tz = contest.event.tz
    workbook, ws = spreadsheets.new_workbook(_("Scores"))
    header = [_("Entry"), _("Title"), _("Judge"), _("E-mail"), _("Status"), _("Rubric version"),
              *[f"{c.name} (/{c.max_score:g}, ×{c.weight:g})" for c in criteria],
              _("Total"), _("Z-score"), _("Comment"), _("Submitted at")]
    rows = db.session.execute(
        db.select(Score, Entry.title, User.full_name, User.email)
        .join(Entry, Entry.id == Score.entry_id).join(User, User.id == Score.user_id)
        .where(Score.round_id == round_.id).order_by(Score.entry_id, User.email)).tuples()

    def score_rows():
        for score, title, name, email in rows:
            cell = report.cells.get((score.entry_id, score.user_id))
            yield [score.entry_id, title, name, email, _state(score.status.value), score.criteria_version,
                   *[score.values.get(c.key) for c in criteria],
                   cell[0] if cell else None, cell[1] if cell else None, score.comment, score.submitted_at]

    spreadsheets.write_table(ws, header, score_rows(), tz=tz)
    ranking = spreadsheets.add_sheet(workbook, _("Results"))
    spreadsheets.write_table(
        ranking, [_("Rank"), _("Entry"), _("Title"), _("Raw mean"), _("Normalized"), _("Scores")],
        ([r.rank, r.entry_id, report.titles.get(r.entry_id, ""), r.raw_mean, r.normalized, r.scores_count]
         for r in report.results))
    return spreadsheets.workbook_bytes(workbook)
