"""XLSX export of every score of a round: one row per judge and entry, one column per criterion."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook

from ..accounts.models import User
from ..extensions import db
from .models import Contest, ContestRound, Entry, Score
from .results import contest_results


def scores_xlsx(contest: Contest, round_: ContestRound | None = None) -> bytes:
    round_ = round_ or contest.active_round
    report = contest_results(contest, round_, detail=True)
    criteria = round_.criteria
    wb = Workbook()
    ws = wb.active
    ws.title = _("Scores")[:31]
    ws.append([_("Entry"), _("Title"), _("Judge"), _("E-mail"), _("Status"), _("Rubric version"),
               *[f"{c.name} (/{c.max_score:g}, ×{c.weight:g})" for c in criteria],
               _("Total"), _("Z-score"), _("Comment")])
    rows = db.session.execute(
        db.select(Score, Entry.title, User.full_name, User.email)
        .join(Entry, Entry.id == Score.entry_id).join(User, User.id == Score.user_id)
        .where(Score.round_id == round_.id).order_by(Score.entry_id, User.email)).tuples()
    for score, title, name, email in rows:
        cell = report.cells.get((score.entry_id, score.user_id))
        ws.append([score.entry_id, title, name, email, score.status.value, score.criteria_version,
                   *[score.values.get(c.key) for c in criteria],
                   cell[0] if cell else None, cell[1] if cell else None, score.comment])
    ranking = wb.create_sheet(_("Results")[:31])
    ranking.append([_("Rank"), _("Entry"), _("Title"), _("Raw mean"), _("Normalized"), _("Scores")])
    for r in report.results:
        ranking.append([r.rank, r.entry_id, report.titles.get(r.entry_id, ""), r.raw_mean, r.normalized,
                        r.scores_count])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
